/* Drives every kind of CEtcd call against a real etcd so that valgrind's
 * memcheck can prove the shim frees what it allocates and touches no freed
 * memory: unary calls (success, etcd error, failover from a dead endpoint,
 * deadline), a watch with events then cancelled, a keep-alive stream, a
 * snapshot stream, and destroying a client with a stream still open.
 * Usage: leak_check LIVE_ENDPOINT DEAD_ENDPOINT (both host:port). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cetcd.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "leak_check: " __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

typedef struct {
    int done;
    int32_t status;
    ProtobufCMessage *response;
} waiter;

static void unary_done(void *context, int32_t status, const char *message, ProtobufCMessage *response) {
    waiter *w = context;
    if (status != CETCD_OK && getenv("LEAK_CHECK_VERBOSE")) fprintf(stderr, "call ended with %d: %s\n", status, message);
    pthread_mutex_lock(&lock);
    w->status = status;
    w->response = response;
    w->done = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static int32_t call(cetcd_client *client, cetcd_method method, const ProtobufCMessage *request,
                    int64_t timeout_ms, ProtobufCMessage **response) {
    waiter w = {0};
    int32_t started = cetcd_unary_call(client, method, request, timeout_ms, unary_done, &w);
    if (started != CETCD_OK) return started;
    pthread_mutex_lock(&lock);
    while (!w.done) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
    if (response) *response = w.response;
    else cetcd_message_free(w.response);
    return w.status;
}

static int32_t put(cetcd_client *client, const char *key, const char *value) {
    Etcdserverpb__PutRequest request = ETCDSERVERPB__PUT_REQUEST__INIT;
    request.key = (ProtobufCBinaryData){strlen(key), (uint8_t *)key};
    request.value = (ProtobufCBinaryData){strlen(value), (uint8_t *)value};
    return call(client, CETCD_KV_PUT, &request.base, 5000, NULL);
}

typedef struct {
    int messages;
    int closed;
    int32_t status;
} stream_state;

static void stream_message(void *context, ProtobufCMessage *message) {
    stream_state *s = context;
    pthread_mutex_lock(&lock);
    s->messages++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    cetcd_message_free(message);
}

static void stream_close(void *context, int32_t status, const char *message) {
    (void)message;
    stream_state *s = context;
    pthread_mutex_lock(&lock);
    s->closed = 1;
    s->status = status;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static void wait_for(stream_state *s, int messages) {
    pthread_mutex_lock(&lock);
    while (s->messages < messages && !s->closed) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
}

static void wait_closed(stream_state *s) {
    pthread_mutex_lock(&lock);
    while (!s->closed) pthread_cond_wait(&changed, &lock);
    pthread_mutex_unlock(&lock);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: leak_check LIVE_ENDPOINT DEAD_ENDPOINT\n");
        return 2;
    }
    char error[256];
    const char *endpoints[] = {argv[2], argv[1]}; /* dead first: exercises failover */
    cetcd_client_options options = {endpoints, 2, NULL, NULL, NULL, 0};
    cetcd_client *client = cetcd_client_create(&options, error, sizeof error);
    CHECK(client != NULL, "create failed: %s", error);
    if (!client) return 1;
    cetcd_client_set_token(client, NULL);

    /* Unary: puts (the first fails over), a range, an etcd error, a txn. */
    for (int i = 0; i < 50; i++) {
        char key[32];
        snprintf(key, sizeof key, "/leak/%d", i);
        int32_t put_status = put(client, key, "value");
        CHECK(put_status == CETCD_OK, "put %d failed with %d", i, put_status);
    }
    CHECK(cetcd_client_current_endpoint(client) == 1, "did not fail over");
    Etcdserverpb__RangeRequest range = ETCDSERVERPB__RANGE_REQUEST__INIT;
    range.key = (ProtobufCBinaryData){6, (uint8_t *)"/leak/"};
    range.range_end = (ProtobufCBinaryData){6, (uint8_t *)"/leak0"};
    ProtobufCMessage *response = NULL;
    CHECK(call(client, CETCD_KV_RANGE, &range.base, 5000, &response) == CETCD_OK, "range failed");
    CHECK(response && ((Etcdserverpb__RangeResponse *)response)->n_kvs == 50, "range returned the wrong count");
    cetcd_message_free(response);
    CHECK(put(client, "", "empty key") == CETCD_INVALID_ARGUMENT, "empty key accepted");
    CHECK(cetcd_unary_call(client, CETCD_KV_PUT, &range.base, 5000, unary_done, NULL) == CETCD_INVALID_ARGUMENT,
          "a RangeRequest was accepted for Put");

    Etcdserverpb__Compare compare = ETCDSERVERPB__COMPARE__INIT;
    compare.key = range.key;
    compare.target = ETCDSERVERPB__COMPARE__COMPARE_TARGET__CREATE;
    compare.target_union_case = ETCDSERVERPB__COMPARE__TARGET_UNION_CREATE_REVISION;
    Etcdserverpb__Compare *compares[] = {&compare};
    Etcdserverpb__RequestOp op = ETCDSERVERPB__REQUEST_OP__INIT;
    op.request_case = ETCDSERVERPB__REQUEST_OP__REQUEST_REQUEST_RANGE;
    op.request_range = &range;
    Etcdserverpb__RequestOp *ops[] = {&op};
    Etcdserverpb__TxnRequest txn = ETCDSERVERPB__TXN_REQUEST__INIT;
    txn.n_compare = 1;
    txn.compare = compares;
    txn.n_success = txn.n_failure = 1;
    txn.success = txn.failure = ops;
    CHECK(call(client, CETCD_KV_TXN, &txn.base, 5000, NULL) == CETCD_OK, "txn failed");

    /* A deadline that cannot be met. */
    Etcdserverpb__StatusRequest status = ETCDSERVERPB__STATUS_REQUEST__INIT;
    int32_t code = call(client, CETCD_MAINTENANCE_STATUS, &status.base, 1, NULL);
    CHECK(code == CETCD_DEADLINE_EXCEEDED || code == CETCD_OK, "1 ms deadline gave %d", code);

    /* Watch: events arrive, then cancel ends the stream. */
    stream_state watch_state = {0};
    cetcd_stream *watch = cetcd_stream_open(client, CETCD_WATCH, 0, stream_message, stream_close, &watch_state);
    Etcdserverpb__WatchCreateRequest create = ETCDSERVERPB__WATCH_CREATE_REQUEST__INIT;
    create.key = range.key;
    create.range_end = range.range_end;
    create.start_revision = 1;
    Etcdserverpb__WatchRequest watch_request = ETCDSERVERPB__WATCH_REQUEST__INIT;
    watch_request.request_union_case = ETCDSERVERPB__WATCH_REQUEST__REQUEST_UNION_CREATE_REQUEST;
    watch_request.create_request = &create;
    CHECK(cetcd_stream_send(watch, &watch_request.base) == CETCD_OK, "watch create not sent");
    wait_for(&watch_state, 2);
    CHECK(watch_state.messages >= 2, "watch delivered %d messages", watch_state.messages);
    cetcd_stream_cancel(watch);
    wait_closed(&watch_state);
    CHECK(watch_state.status == CETCD_CANCELLED, "cancelled watch closed with %d", watch_state.status);
    cetcd_stream_release(watch);

    /* Keep-alive stream: grant, refresh three times, half-close. */
    Etcdserverpb__LeaseGrantRequest grant = ETCDSERVERPB__LEASE_GRANT_REQUEST__INIT;
    grant.ttl = 30;
    CHECK(call(client, CETCD_LEASE_GRANT, &grant.base, 5000, &response) == CETCD_OK, "lease grant failed");
    int64_t lease = response ? ((Etcdserverpb__LeaseGrantResponse *)response)->id : 0;
    cetcd_message_free(response);
    stream_state keep_state = {0};
    cetcd_stream *keep = cetcd_stream_open(client, CETCD_LEASE_KEEP_ALIVE, 5000, stream_message, stream_close, &keep_state);
    Etcdserverpb__LeaseKeepAliveRequest keep_request = ETCDSERVERPB__LEASE_KEEP_ALIVE_REQUEST__INIT;
    keep_request.id = lease;
    for (int i = 0; i < 3; i++) cetcd_stream_send(keep, &keep_request.base);
    wait_for(&keep_state, 3);
    CHECK(keep_state.messages == 3, "keep-alive answered %d times", keep_state.messages);
    cetcd_stream_close_send(keep);
    wait_closed(&keep_state);
    cetcd_stream_release(keep);

    /* Snapshot: a server stream to its end. */
    stream_state snap_state = {0};
    cetcd_stream *snap = cetcd_stream_open(client, CETCD_MAINTENANCE_SNAPSHOT, 30000, stream_message, stream_close, &snap_state);
    Etcdserverpb__SnapshotRequest snap_request = ETCDSERVERPB__SNAPSHOT_REQUEST__INIT;
    cetcd_stream_send(snap, &snap_request.base);
    cetcd_stream_close_send(snap);
    wait_closed(&snap_state);
    CHECK(snap_state.status == CETCD_OK && snap_state.messages > 0, "snapshot ended with %d after %d chunks",
          snap_state.status, snap_state.messages);
    cetcd_stream_release(snap);

    /* Destroy with a watch still open: destroy cancels it. */
    stream_state open_state = {0};
    cetcd_stream *open_watch = cetcd_stream_open(client, CETCD_WATCH, 0, stream_message, stream_close, &open_state);
    cetcd_stream_send(open_watch, &watch_request.base);
    wait_for(&open_state, 1);
    cetcd_stream_release(open_watch);
    cetcd_client_destroy(client);
    CHECK(open_state.closed, "destroy returned before the open watch closed");

    if (failures) return 1;
    printf("leak_check: every call completed\n");
    return 0;
}
