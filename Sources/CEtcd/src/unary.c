/* Unary calls: one batch per attempt, retried on the next endpoint when the
 * current one is UNAVAILABLE, until every endpoint was tried once. */
#include <stdlib.h>
#include <string.h>

#include <grpc/support/alloc.h>
#include <grpc/support/string_util.h>

#include "internal.h"

typedef struct unary_call {
    cetcd_tag tag;
    cetcd_client *client;
    const cetcd_method_info *method;
    grpc_byte_buffer *request; /* kept for retries; never sent itself */
    gpr_timespec deadline;
    size_t endpoint;
    size_t attempts;
    cetcd_unary_callback callback;
    void *context;

    /* Per attempt. */
    grpc_call *call;
    grpc_byte_buffer *sent; /* gRPC empties a buffer as it sends it */
    grpc_metadata token;
    bool has_token;
    grpc_metadata_array initial_metadata;
    grpc_metadata_array trailing_metadata;
    grpc_byte_buffer *response;
    grpc_status_code status;
    grpc_slice details;
} unary_call;

static void unary_complete(cetcd_tag *tag, bool ok);

static void reset_attempt(unary_call *uc) {
    if (uc->call) grpc_call_unref(uc->call);
    uc->call = NULL;
    if (uc->has_token) {
        grpc_slice_unref(uc->token.value);
        uc->has_token = false;
    }
    grpc_metadata_array_destroy(&uc->initial_metadata);
    grpc_metadata_array_destroy(&uc->trailing_metadata);
    if (uc->sent) grpc_byte_buffer_destroy(uc->sent);
    uc->sent = NULL;
    if (uc->response) grpc_byte_buffer_destroy(uc->response);
    uc->response = NULL;
    grpc_slice_unref(uc->details);
    uc->details = grpc_empty_slice();
}

static grpc_call_error start_attempt(unary_call *uc) {
    uc->attempts++;
    grpc_metadata_array_init(&uc->initial_metadata);
    grpc_metadata_array_init(&uc->trailing_metadata);
    cetcd_client_token_metadata(uc->client, &uc->token, &uc->has_token);
    grpc_slice path = grpc_slice_from_static_string(uc->method->path);
    uc->call = grpc_channel_create_call(uc->client->channels[uc->endpoint], NULL,
                                        GRPC_PROPAGATE_DEFAULTS, uc->client->queue, path,
                                        NULL, uc->deadline, NULL);

    grpc_op ops[6];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[0].data.send_initial_metadata.count = uc->has_token ? 1 : 0;
    ops[0].data.send_initial_metadata.metadata = uc->has_token ? &uc->token : NULL;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    uc->sent = grpc_byte_buffer_copy(uc->request);
    ops[1].data.send_message.send_message = uc->sent;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = &uc->initial_metadata;
    ops[4].op = GRPC_OP_RECV_MESSAGE;
    ops[4].data.recv_message.recv_message = &uc->response;
    ops[5].op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    ops[5].data.recv_status_on_client.trailing_metadata = &uc->trailing_metadata;
    ops[5].data.recv_status_on_client.status = &uc->status;
    ops[5].data.recv_status_on_client.status_details = &uc->details;
    return grpc_call_start_batch(uc->call, ops, 6, &uc->tag, NULL);
}

static void finish(unary_call *uc, int32_t status, const char *message, ProtobufCMessage *response) {
    uc->callback(uc->context, status, message, response);
    cetcd_client *client = uc->client;
    reset_attempt(uc);
    grpc_byte_buffer_destroy(uc->request);
    free(uc);
    cetcd_client_end(client);
}

static void unary_complete(cetcd_tag *tag, bool ok) {
    unary_call *uc = (unary_call *)tag;
    if (!ok) {
        finish(uc, CETCD_INTERNAL, "gRPC batch failed", NULL);
        return;
    }
    if (uc->status == GRPC_STATUS_UNAVAILABLE) {
        cetcd_client_fail_over(uc->client, uc->endpoint);
        if (uc->attempts < uc->client->channel_count) {
            /* The request never reached a member that could serve it: try the
             * next endpoint within the same deadline. */
            reset_attempt(uc);
            uc->endpoint = (uc->endpoint + 1) % uc->client->channel_count;
            if (start_attempt(uc) == GRPC_CALL_OK) return;
            finish(uc, CETCD_INTERNAL, "could not start gRPC call", NULL);
            return;
        }
    }
    if (uc->status != GRPC_STATUS_OK) {
        char *details = grpc_slice_to_c_string(uc->details);
        finish(uc, (int32_t)uc->status, details, NULL);
        gpr_free(details);
        return;
    }
    ProtobufCMessage *message =
        uc->response ? cetcd_unpack(uc->response, uc->method->response) : NULL;
    if (message == NULL) {
        finish(uc, CETCD_INTERNAL, "etcd sent a response that is not valid protobuf", NULL);
        return;
    }
    finish(uc, CETCD_OK, "", message);
}

int32_t cetcd_unary_call(cetcd_client *client, cetcd_method method,
                         const ProtobufCMessage *request, int64_t timeout_ms,
                         cetcd_unary_callback callback, void *context) {
    const cetcd_method_info *info = cetcd_method_get(method);
    if (info == NULL || timeout_ms <= 0 || callback == NULL) return CETCD_INVALID_ARGUMENT;
    grpc_byte_buffer *packed = cetcd_pack(request, info->request);
    if (packed == NULL) return CETCD_INVALID_ARGUMENT;
    if (!cetcd_client_begin(client)) {
        grpc_byte_buffer_destroy(packed);
        return CETCD_CANCELLED;
    }

    unary_call *uc = calloc(1, sizeof *uc);
    uc->tag.complete = unary_complete;
    uc->client = client;
    uc->method = info;
    uc->request = packed;
    uc->deadline = cetcd_deadline(timeout_ms);
    uc->endpoint = cetcd_client_current_endpoint(client);
    uc->callback = callback;
    uc->context = context;
    uc->details = grpc_empty_slice();
    if (start_attempt(uc) != GRPC_CALL_OK) {
        reset_attempt(uc);
        grpc_byte_buffer_destroy(packed);
        free(uc);
        cetcd_client_end(client);
        return CETCD_INTERNAL;
    }
    return CETCD_OK;
}
