/* Streaming calls. Three kinds of batch run side by side on one grpc_call:
 *   - receive: one RECV_MESSAGE at a time, re-armed after each message, so
 *     messages reach the callback strictly in order;
 *   - send: one SEND_MESSAGE at a time from a FIFO queue (gRPC allows only one
 *     in flight), then SEND_CLOSE_FROM_CLIENT when asked;
 *   - status: RECV_STATUS_ON_CLIENT, armed at open, completes when the call ends.
 * The close callback runs once both the status and the receive loop are done. */
#include <stdlib.h>
#include <string.h>

#include <grpc/support/alloc.h>
#include <grpc/support/string_util.h>

#include "internal.h"

typedef struct pending_send {
    struct pending_send *next;
    grpc_byte_buffer *buffer;
} pending_send;

struct cetcd_stream {
    cetcd_tag start_tag, recv_tag, send_tag, status_tag;
    cetcd_client *client;
    const cetcd_method_info *method;
    grpc_call *call;
    size_t endpoint;
    cetcd_stream_message_callback on_message;
    cetcd_stream_close_callback on_close;
    void *context;
    atomic_int refs; /* the caller's, plus one per batch in flight */

    /* Guarded by client->lock: membership of client->streams. */
    cetcd_stream *prev, *next;

    pthread_mutex_t lock; /* guards everything below */
    pending_send *queue_head, *queue_tail;
    grpc_byte_buffer *sending;
    bool send_in_flight;
    bool close_send_wanted, close_send_done;
    bool recv_done, status_done, closed;

    grpc_metadata token;
    bool has_token;
    grpc_metadata_array initial_metadata;
    grpc_metadata_array trailing_metadata;
    grpc_byte_buffer *received;
    grpc_status_code status;
    grpc_slice details;
};

/* Frees requests still waiting to be sent (lock held, or the last reference). */
static void drop_queued_sends(cetcd_stream *s) {
    while (s->queue_head) {
        pending_send *p = s->queue_head;
        s->queue_head = p->next;
        grpc_byte_buffer_destroy(p->buffer);
        free(p);
    }
    s->queue_tail = NULL;
}

static void stream_unref(cetcd_stream *s) {
    if (atomic_fetch_sub(&s->refs, 1) != 1) return;
    cetcd_client *client = s->client;
    grpc_call_unref(s->call);
    if (s->has_token) grpc_slice_unref(s->token.value);
    grpc_metadata_array_destroy(&s->initial_metadata);
    grpc_metadata_array_destroy(&s->trailing_metadata);
    grpc_slice_unref(s->details);
    drop_queued_sends(s);
    pthread_mutex_destroy(&s->lock);
    free(s);
    cetcd_client_end(client);
}

static bool start_batch(cetcd_stream *s, const grpc_op *ops, size_t count, cetcd_tag *tag) {
    atomic_fetch_add(&s->refs, 1);
    if (grpc_call_start_batch(s->call, ops, count, tag, NULL) == GRPC_CALL_OK) return true;
    atomic_fetch_sub(&s->refs, 1);
    return false;
}

/* Runs the close callback once the call has ended and every message was
 * delivered; unlinks the stream so destroy no longer cancels it. */
static void maybe_close(cetcd_stream *s) {
    pthread_mutex_lock(&s->lock);
    bool report = s->recv_done && s->status_done && !s->closed;
    if (report) s->closed = true;
    pthread_mutex_unlock(&s->lock);
    if (!report) return;

    pthread_mutex_lock(&s->client->lock);
    if (s->prev) s->prev->next = s->next;
    else s->client->streams = s->next;
    if (s->next) s->next->prev = s->prev;
    pthread_mutex_unlock(&s->client->lock);

    if (s->status == GRPC_STATUS_UNAVAILABLE) cetcd_client_fail_over(s->client, s->endpoint);
    char *details = grpc_slice_to_c_string(s->details);
    s->on_close(s->context, (int32_t)s->status, details);
    gpr_free(details);
}

static void arm_receive(cetcd_stream *s, bool with_initial_metadata) {
    grpc_op ops[2];
    memset(ops, 0, sizeof ops);
    size_t n = 0;
    if (with_initial_metadata) {
        ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
        ops[n++].data.recv_initial_metadata.recv_initial_metadata = &s->initial_metadata;
    }
    ops[n].op = GRPC_OP_RECV_MESSAGE;
    ops[n++].data.recv_message.recv_message = &s->received;
    if (!start_batch(s, ops, n, &s->recv_tag)) {
        pthread_mutex_lock(&s->lock);
        s->recv_done = true;
        pthread_mutex_unlock(&s->lock);
    }
}

static void recv_complete(cetcd_tag *tag, bool ok) {
    cetcd_stream *s = (cetcd_stream *)((char *)tag - offsetof(cetcd_stream, recv_tag));
    grpc_byte_buffer *buffer = s->received;
    s->received = NULL;
    if (ok && buffer) {
        ProtobufCMessage *message = cetcd_unpack(buffer, s->method->response);
        grpc_byte_buffer_destroy(buffer);
        if (message) {
            s->on_message(s->context, message);
        } else {
            /* Stop rather than skip: a watcher must never miss an event silently. */
            grpc_call_cancel_with_status(s->call, GRPC_STATUS_INTERNAL,
                                         "etcd sent a stream message that is not valid protobuf", NULL);
        }
        arm_receive(s, false);
    } else {
        if (buffer) grpc_byte_buffer_destroy(buffer);
        pthread_mutex_lock(&s->lock);
        s->recv_done = true;
        pthread_mutex_unlock(&s->lock);
    }
    maybe_close(s);
    stream_unref(s);
}

static void status_complete(cetcd_tag *tag, bool ok) {
    (void)ok;
    cetcd_stream *s = (cetcd_stream *)((char *)tag - offsetof(cetcd_stream, status_tag));
    pthread_mutex_lock(&s->lock);
    s->status_done = true;
    pthread_mutex_unlock(&s->lock);
    maybe_close(s);
    stream_unref(s);
}

static void start_complete(cetcd_tag *tag, bool ok) {
    (void)ok;
    cetcd_stream *s = (cetcd_stream *)((char *)tag - offsetof(cetcd_stream, start_tag));
    stream_unref(s);
}

/* Starts the next queued send, or the half-close; lock held. */
static void pump_sends_locked(cetcd_stream *s) {
    if (s->send_in_flight) return;
    grpc_op op;
    memset(&op, 0, sizeof op);
    if (s->queue_head) {
        pending_send *p = s->queue_head;
        s->queue_head = p->next;
        if (!s->queue_head) s->queue_tail = NULL;
        s->sending = p->buffer;
        free(p);
        op.op = GRPC_OP_SEND_MESSAGE;
        op.data.send_message.send_message = s->sending;
    } else if (s->close_send_wanted && !s->close_send_done) {
        s->close_send_done = true;
        op.op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    } else {
        return;
    }
    s->send_in_flight = true;
    if (!start_batch(s, &op, 1, &s->send_tag)) {
        s->send_in_flight = false;
        if (s->sending) grpc_byte_buffer_destroy(s->sending);
        s->sending = NULL;
    }
}

static void send_complete(cetcd_tag *tag, bool ok) {
    cetcd_stream *s = (cetcd_stream *)((char *)tag - offsetof(cetcd_stream, send_tag));
    pthread_mutex_lock(&s->lock);
    if (s->sending) grpc_byte_buffer_destroy(s->sending);
    s->sending = NULL;
    s->send_in_flight = false;
    if (ok) {
        pump_sends_locked(s);
    } else {
        /* The call is over; queued requests can never go out. */
        drop_queued_sends(s);
    }
    pthread_mutex_unlock(&s->lock);
    stream_unref(s);
}

cetcd_stream *cetcd_stream_open(cetcd_client *client, cetcd_method method,
                                int64_t timeout_ms,
                                cetcd_stream_message_callback on_message,
                                cetcd_stream_close_callback on_close, void *context) {
    const cetcd_method_info *info = cetcd_method_get(method);
    if (info == NULL || on_message == NULL || on_close == NULL) return NULL;
    if (!cetcd_client_begin(client)) return NULL;

    cetcd_stream *s = calloc(1, sizeof *s);
    s->start_tag.complete = start_complete;
    s->recv_tag.complete = recv_complete;
    s->send_tag.complete = send_complete;
    s->status_tag.complete = status_complete;
    s->client = client;
    s->method = info;
    s->on_message = on_message;
    s->on_close = on_close;
    s->context = context;
    s->details = grpc_empty_slice();
    atomic_init(&s->refs, 1);
    pthread_mutex_init(&s->lock, NULL);
    grpc_metadata_array_init(&s->initial_metadata);
    grpc_metadata_array_init(&s->trailing_metadata);
    cetcd_client_token_metadata(client, &s->token, &s->has_token);

    s->endpoint = cetcd_client_current_endpoint(client);
    grpc_slice path = grpc_slice_from_static_string(info->path);
    s->call = grpc_channel_create_call(client->channels[s->endpoint], NULL, GRPC_PROPAGATE_DEFAULTS,
                                       client->queue, path, NULL, cetcd_deadline(timeout_ms), NULL);

    pthread_mutex_lock(&client->lock);
    s->next = client->streams;
    if (client->streams) client->streams->prev = s;
    client->streams = s;
    pthread_mutex_unlock(&client->lock);

    grpc_op start;
    memset(&start, 0, sizeof start);
    start.op = GRPC_OP_SEND_INITIAL_METADATA;
    start.data.send_initial_metadata.count = s->has_token ? 1 : 0;
    start.data.send_initial_metadata.metadata = s->has_token ? &s->token : NULL;
    grpc_op status;
    memset(&status, 0, sizeof status);
    status.op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    status.data.recv_status_on_client.trailing_metadata = &s->trailing_metadata;
    status.data.recv_status_on_client.status = &s->status;
    status.data.recv_status_on_client.status_details = &s->details;

    bool started = start_batch(s, &start, 1, &s->start_tag);
    if (started && start_batch(s, &status, 1, &s->status_tag)) {
        arm_receive(s, true);
    } else {
        /* Cannot happen with a fresh call; end it the documented way anyway. */
        s->status = GRPC_STATUS_INTERNAL;
        grpc_slice_unref(s->details);
        s->details = grpc_slice_from_static_string("could not start gRPC stream");
        s->recv_done = s->status_done = true;
        grpc_call_cancel(s->call, NULL);
        maybe_close(s);
    }
    return s;
}

int32_t cetcd_stream_send(cetcd_stream *s, const ProtobufCMessage *request) {
    grpc_byte_buffer *buffer = cetcd_pack(request, s->method->request);
    if (buffer == NULL) return CETCD_INVALID_ARGUMENT;
    pthread_mutex_lock(&s->lock);
    if (s->status_done || s->close_send_wanted) {
        pthread_mutex_unlock(&s->lock);
        grpc_byte_buffer_destroy(buffer);
        return CETCD_FAILED_PRECONDITION;
    }
    pending_send *p = calloc(1, sizeof *p);
    p->buffer = buffer;
    if (s->queue_tail) s->queue_tail->next = p;
    else s->queue_head = p;
    s->queue_tail = p;
    pump_sends_locked(s);
    pthread_mutex_unlock(&s->lock);
    return CETCD_OK;
}

void cetcd_stream_close_send(cetcd_stream *s) {
    pthread_mutex_lock(&s->lock);
    s->close_send_wanted = true;
    pump_sends_locked(s);
    pthread_mutex_unlock(&s->lock);
}

void cetcd_stream_cancel(cetcd_stream *s) {
    grpc_call_cancel(s->call, NULL);
}

void cetcd_stream_release(cetcd_stream *s) {
    stream_unref(s);
}

void cetcd_stream_cancel_all_locked(cetcd_client *client) {
    for (cetcd_stream *s = client->streams; s; s = s->next) grpc_call_cancel(s->call, NULL);
}
