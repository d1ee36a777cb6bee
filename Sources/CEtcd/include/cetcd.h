/*
 * CEtcd: the whole C surface Berth uses to talk to etcd v3.
 *
 * A thin, asynchronous layer over gRPC's C core. Requests and responses are
 * protobuf-c messages generated from proto/etcd (see generated/); this layer only
 * packs them, moves them over gRPC and unpacks the answers. It holds no business
 * logic.
 *
 * Threading: each client owns one completion queue and one poller thread. Every
 * callback below runs on that poller thread and must return quickly. Nothing
 * here blocks the calling thread except cetcd_client_destroy (which, called
 * from a callback, finishes on a thread of its own instead).
 *
 * Memory ownership, in one place:
 *   - Request messages stay owned by the caller; they are packed before the call
 *     returns, so the caller may free them as soon as it returns.
 *   - A response message handed to a callback belongs to the callee from then on;
 *     free it with cetcd_message_free.
 *   - Strings handed to callbacks (status messages) are valid only during the
 *     callback; copy them to keep them.
 *   - Strings passed in cetcd_client_options are copied by cetcd_client_create.
 */
#ifndef CETCD_H
#define CETCD_H

#include <stddef.h>
#include <stdint.h>

#include "../generated/etcdserverpb/rpc.pb-c.h"

#ifdef __cplusplus
extern "C" {
#endif

/* gRPC status codes as etcd returns them (same numbers as grpc_status_code). */
enum {
    CETCD_OK = 0,
    CETCD_CANCELLED = 1,
    CETCD_UNKNOWN = 2,
    CETCD_INVALID_ARGUMENT = 3,
    CETCD_DEADLINE_EXCEEDED = 4,
    CETCD_NOT_FOUND = 5,
    CETCD_ALREADY_EXISTS = 6,
    CETCD_PERMISSION_DENIED = 7,
    CETCD_RESOURCE_EXHAUSTED = 8,
    CETCD_FAILED_PRECONDITION = 9,
    CETCD_ABORTED = 10,
    CETCD_OUT_OF_RANGE = 11,
    CETCD_UNIMPLEMENTED = 12,
    CETCD_INTERNAL = 13,
    CETCD_UNAVAILABLE = 14,
    CETCD_DATA_LOSS = 15,
    CETCD_UNAUTHENTICATED = 16,
};

/* The RPCs Berth makes. Each names its request and response message types. */
typedef enum cetcd_method {
    CETCD_KV_RANGE,                 /* RangeRequest -> RangeResponse */
    CETCD_KV_PUT,                   /* PutRequest -> PutResponse */
    CETCD_KV_DELETE_RANGE,          /* DeleteRangeRequest -> DeleteRangeResponse */
    CETCD_KV_TXN,                   /* TxnRequest -> TxnResponse */
    CETCD_KV_COMPACT,               /* CompactionRequest -> CompactionResponse */
    CETCD_WATCH,                    /* stream WatchRequest -> stream WatchResponse */
    CETCD_LEASE_GRANT,              /* LeaseGrantRequest -> LeaseGrantResponse */
    CETCD_LEASE_REVOKE,             /* LeaseRevokeRequest -> LeaseRevokeResponse */
    CETCD_LEASE_KEEP_ALIVE,         /* stream LeaseKeepAliveRequest -> stream ...Response */
    CETCD_LEASE_TIME_TO_LIVE,       /* LeaseTimeToLiveRequest -> LeaseTimeToLiveResponse */
    CETCD_CLUSTER_MEMBER_LIST,      /* MemberListRequest -> MemberListResponse */
    CETCD_MAINTENANCE_STATUS,       /* StatusRequest -> StatusResponse */
    CETCD_MAINTENANCE_SNAPSHOT,     /* SnapshotRequest -> stream SnapshotResponse */
    CETCD_AUTH_AUTHENTICATE,        /* AuthenticateRequest -> AuthenticateResponse */
    CETCD_METHOD_COUNT
} cetcd_method;

typedef struct cetcd_client cetcd_client;
typedef struct cetcd_stream cetcd_stream;

typedef struct cetcd_client_options {
    /* "host:port" of each member, tried in order; a call that fails with
     * UNAVAILABLE moves on to the next endpoint. */
    const char *const *endpoints;
    size_t endpoint_count;
    /* PEM contents (not paths). ca_pem non-NULL switches the channels to TLS;
     * cert_pem and key_pem, both or neither, add a client certificate. */
    const char *ca_pem;
    const char *cert_pem;
    const char *key_pem;
    /* Largest response accepted, in bytes; 0 means the largest gRPC allows. */
    int32_t max_receive_bytes;
} cetcd_client_options;

/* Creates a client and starts its poller thread. Returns NULL and writes a
 * reason into error (of error_len bytes) when the options are unusable. */
cetcd_client *cetcd_client_create(const cetcd_client_options *options,
                                  char *error, size_t error_len);

/* Cancels every open stream, waits until every call has delivered its last
 * callback and every stream was released, stops the poller thread and frees
 * the client. */
void cetcd_client_destroy(cetcd_client *client);

/* Sets (or, with NULL, clears) the etcd auth token sent as "token" metadata on
 * every call started afterwards. The string is copied. */
void cetcd_client_set_token(cetcd_client *client, const char *token);

/* Index of the endpoint new calls start on (moves on after UNAVAILABLE). */
size_t cetcd_client_current_endpoint(const cetcd_client *client);

/* The method's response type, e.g. to check a message handed to a callback. */
const ProtobufCMessageDescriptor *cetcd_method_response_descriptor(cetcd_method method);

/* Frees a response message handed to a callback. NULL is fine. */
void cetcd_message_free(ProtobufCMessage *message);

/* ---- unary calls ---- */

/* status is CETCD_OK and response non-NULL on success; otherwise response is
 * NULL and message says why. */
typedef void (*cetcd_unary_callback)(void *context, int32_t status,
                                     const char *message,
                                     ProtobufCMessage *response);

/* Starts a unary call that must finish within timeout_ms (> 0). Returns 0 when
 * started: the callback then runs exactly once. Returns a CETCD_ status code
 * when it could not start (wrong request type, client shutting down): the
 * callback never runs. */
int32_t cetcd_unary_call(cetcd_client *client, cetcd_method method,
                         const ProtobufCMessage *request, int64_t timeout_ms,
                         cetcd_unary_callback callback, void *context);

/* ---- streams (Watch, LeaseKeepAlive, Snapshot) ---- */

/* One response, in the order the server sent it. */
typedef void (*cetcd_stream_message_callback)(void *context,
                                              ProtobufCMessage *message);
/* The stream ended. Always the last callback of a stream, exactly once, after
 * every message callback, whether the server ended it, the deadline passed or
 * it was cancelled. */
typedef void (*cetcd_stream_close_callback)(void *context, int32_t status,
                                            const char *message);

/* Opens a stream on the current endpoint. timeout_ms 0 means no deadline.
 * Returns NULL when the client is shutting down (no callback runs). The caller
 * holds one reference, dropped with cetcd_stream_release. */
cetcd_stream *cetcd_stream_open(cetcd_client *client, cetcd_method method,
                                int64_t timeout_ms,
                                cetcd_stream_message_callback on_message,
                                cetcd_stream_close_callback on_close,
                                void *context);

/* Queues a request; requests go out one at a time in the order queued.
 * Returns 0, or a CETCD_ status code when the message has the wrong type or
 * the stream has ended. */
int32_t cetcd_stream_send(cetcd_stream *stream, const ProtobufCMessage *request);

/* Half-closes the stream after every queued request has gone out. */
void cetcd_stream_close_send(cetcd_stream *stream);

/* Ends the stream; its close callback follows with CETCD_CANCELLED. */
void cetcd_stream_cancel(cetcd_stream *stream);

/* Drops the caller's reference. Callbacks still arrive until the close
 * callback; the stream is freed after both. */
void cetcd_stream_release(cetcd_stream *stream);

#ifdef __cplusplus
}
#endif

#endif /* CETCD_H */
