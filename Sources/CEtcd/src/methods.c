/* The etcd RPCs by method path, with their message types. */
#include "internal.h"

static const cetcd_method_info methods[CETCD_METHOD_COUNT] = {
    [CETCD_KV_RANGE] = {"/etcdserverpb.KV/Range",
        &etcdserverpb__range_request__descriptor, &etcdserverpb__range_response__descriptor},
    [CETCD_KV_PUT] = {"/etcdserverpb.KV/Put",
        &etcdserverpb__put_request__descriptor, &etcdserverpb__put_response__descriptor},
    [CETCD_KV_DELETE_RANGE] = {"/etcdserverpb.KV/DeleteRange",
        &etcdserverpb__delete_range_request__descriptor, &etcdserverpb__delete_range_response__descriptor},
    [CETCD_KV_TXN] = {"/etcdserverpb.KV/Txn",
        &etcdserverpb__txn_request__descriptor, &etcdserverpb__txn_response__descriptor},
    [CETCD_KV_COMPACT] = {"/etcdserverpb.KV/Compact",
        &etcdserverpb__compaction_request__descriptor, &etcdserverpb__compaction_response__descriptor},
    [CETCD_WATCH] = {"/etcdserverpb.Watch/Watch",
        &etcdserverpb__watch_request__descriptor, &etcdserverpb__watch_response__descriptor},
    [CETCD_LEASE_GRANT] = {"/etcdserverpb.Lease/LeaseGrant",
        &etcdserverpb__lease_grant_request__descriptor, &etcdserverpb__lease_grant_response__descriptor},
    [CETCD_LEASE_REVOKE] = {"/etcdserverpb.Lease/LeaseRevoke",
        &etcdserverpb__lease_revoke_request__descriptor, &etcdserverpb__lease_revoke_response__descriptor},
    [CETCD_LEASE_KEEP_ALIVE] = {"/etcdserverpb.Lease/LeaseKeepAlive",
        &etcdserverpb__lease_keep_alive_request__descriptor, &etcdserverpb__lease_keep_alive_response__descriptor},
    [CETCD_LEASE_TIME_TO_LIVE] = {"/etcdserverpb.Lease/LeaseTimeToLive",
        &etcdserverpb__lease_time_to_live_request__descriptor, &etcdserverpb__lease_time_to_live_response__descriptor},
    [CETCD_CLUSTER_MEMBER_LIST] = {"/etcdserverpb.Cluster/MemberList",
        &etcdserverpb__member_list_request__descriptor, &etcdserverpb__member_list_response__descriptor},
    [CETCD_MAINTENANCE_STATUS] = {"/etcdserverpb.Maintenance/Status",
        &etcdserverpb__status_request__descriptor, &etcdserverpb__status_response__descriptor},
    [CETCD_MAINTENANCE_SNAPSHOT] = {"/etcdserverpb.Maintenance/Snapshot",
        &etcdserverpb__snapshot_request__descriptor, &etcdserverpb__snapshot_response__descriptor},
    [CETCD_AUTH_AUTHENTICATE] = {"/etcdserverpb.Auth/Authenticate",
        &etcdserverpb__authenticate_request__descriptor, &etcdserverpb__authenticate_response__descriptor},
};

const cetcd_method_info *cetcd_method_get(cetcd_method method) {
    if ((int)method < 0 || method >= CETCD_METHOD_COUNT) return NULL;
    return &methods[method];
}

const ProtobufCMessageDescriptor *cetcd_method_response_descriptor(cetcd_method method) {
    const cetcd_method_info *info = cetcd_method_get(method);
    return info ? info->response : NULL;
}
