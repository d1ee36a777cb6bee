/* Shared between the shim's .c files; not part of the public surface. */
#ifndef CETCD_INTERNAL_H
#define CETCD_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <grpc/grpc.h>

#include "../include/cetcd.h"

/* Every batch started on the completion queue carries one of these as its tag;
 * the poller thread calls complete() when the batch finishes. */
typedef struct cetcd_tag {
    void (*complete)(struct cetcd_tag *tag, bool ok);
} cetcd_tag;

typedef struct cetcd_method_info {
    const char *path; /* "/etcdserverpb.KV/Range" */
    const ProtobufCMessageDescriptor *request;
    const ProtobufCMessageDescriptor *response;
} cetcd_method_info;

const cetcd_method_info *cetcd_method_get(cetcd_method method);

struct cetcd_client {
    grpc_completion_queue *queue;
    pthread_t poller;
    grpc_channel **channels;
    size_t channel_count;
    atomic_size_t current; /* channel new calls start on */

    pthread_mutex_t lock;
    pthread_cond_t idle; /* signalled when active reaches 0 */
    size_t active;       /* calls and streams not yet finished */
    bool shutting_down;
    char *token;
    cetcd_stream *streams; /* open streams, for cancelling on destroy */
};

/* Registers a new call; false when the client is shutting down. */
bool cetcd_client_begin(cetcd_client *client);
/* The call has delivered its last callback. */
void cetcd_client_end(cetcd_client *client);

/* A copy of the current token as call metadata; has_token false when none. */
void cetcd_client_token_metadata(cetcd_client *client, grpc_metadata *md, bool *has_token);

/* Moves new calls off channel `failed` (if it is still the current one). */
void cetcd_client_fail_over(cetcd_client *client, size_t failed);

/* gRPC deadline timeout_ms from now; infinite for 0. */
gpr_timespec cetcd_deadline(int64_t timeout_ms);

/* Packs a message into a new byte buffer; NULL if it has the wrong type. */
grpc_byte_buffer *cetcd_pack(const ProtobufCMessage *message,
                             const ProtobufCMessageDescriptor *expected);
/* Unpacks a received buffer; NULL if it is not a valid message. */
ProtobufCMessage *cetcd_unpack(grpc_byte_buffer *buffer,
                               const ProtobufCMessageDescriptor *descriptor);

/* Stream list maintenance for cetcd_client_destroy (lock held by caller). */
void cetcd_stream_cancel_all_locked(cetcd_client *client);

#endif
