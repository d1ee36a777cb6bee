/* The client: channels (one per endpoint), the completion queue and its poller
 * thread, the auth token, and bookkeeping so destroy can wait for every call. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

#include "internal.h"

static void *poll_queue(void *arg) {
    cetcd_client *client = arg;
    for (;;) {
        grpc_event event = grpc_completion_queue_next(
            client->queue, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
        if (event.type == GRPC_QUEUE_SHUTDOWN) return NULL;
        if (event.type == GRPC_OP_COMPLETE) {
            cetcd_tag *tag = event.tag;
            tag->complete(tag, event.success != 0);
        }
    }
}

static grpc_channel_credentials *make_credentials(const cetcd_client_options *options,
                                                  char *error, size_t error_len) {
    if (options->ca_pem == NULL) {
        if (options->cert_pem || options->key_pem) {
            snprintf(error, error_len, "a client certificate needs a CA (TLS) as well");
            return NULL;
        }
        return grpc_insecure_credentials_create();
    }
    if ((options->cert_pem == NULL) != (options->key_pem == NULL)) {
        snprintf(error, error_len, "a client certificate needs both the certificate and its key");
        return NULL;
    }
    grpc_ssl_pem_key_cert_pair pair = {options->key_pem, options->cert_pem};
    return grpc_ssl_credentials_create(options->ca_pem, options->cert_pem ? &pair : NULL,
                                       NULL, NULL);
}

cetcd_client *cetcd_client_create(const cetcd_client_options *options,
                                  char *error, size_t error_len) {
    if (options == NULL || options->endpoint_count == 0) {
        snprintf(error, error_len, "no etcd endpoints given");
        return NULL;
    }
    for (size_t i = 0; i < options->endpoint_count; i++) {
        if (options->endpoints[i] == NULL || options->endpoints[i][0] == '\0') {
            snprintf(error, error_len, "etcd endpoint %zu is empty", i + 1);
            return NULL;
        }
    }
    grpc_init();
    grpc_channel_credentials *credentials = make_credentials(options, error, error_len);
    if (credentials == NULL) {
        grpc_shutdown();
        return NULL;
    }

    cetcd_client *client = calloc(1, sizeof *client);
    pthread_mutex_init(&client->lock, NULL);
    pthread_cond_init(&client->idle, NULL);
    atomic_init(&client->current, 0);

    int max_receive = options->max_receive_bytes > 0 ? options->max_receive_bytes : INT_MAX;
    grpc_arg args[] = {
        {GRPC_ARG_INTEGER, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, {.integer = max_receive}},
        {GRPC_ARG_INTEGER, GRPC_ARG_MAX_SEND_MESSAGE_LENGTH, {.integer = -1}},
        /* Come back quickly after an etcd restart instead of gRPC's default
         * backoff of up to two minutes. The "min" backoff is also how long one
         * connection attempt may take (to the HTTP/2 SETTINGS frame): keep it
         * generous, or a busy member looks dead. */
        {GRPC_ARG_INTEGER, GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, {.integer = 100}},
        {GRPC_ARG_INTEGER, GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, {.integer = 5000}},
        {GRPC_ARG_INTEGER, GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, {.integer = 1000}},
        /* Notice a member that vanished without closing the connection, which
         * would otherwise leave watches waiting forever. etcd accepts pings
         * every 5 s or slower. */
        {GRPC_ARG_INTEGER, GRPC_ARG_KEEPALIVE_TIME_MS, {.integer = 30000}},
        {GRPC_ARG_INTEGER, GRPC_ARG_KEEPALIVE_TIMEOUT_MS, {.integer = 10000}},
        {GRPC_ARG_INTEGER, GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, {.integer = 0}},
        /* Each client gets its own connections, not ones shared process-wide. */
        {GRPC_ARG_INTEGER, GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, {.integer = 1}},
    };
    grpc_channel_args channel_args = {sizeof args / sizeof args[0], args};

    client->channel_count = options->endpoint_count;
    client->channels = calloc(client->channel_count, sizeof *client->channels);
    for (size_t i = 0; i < client->channel_count; i++) {
        client->channels[i] = grpc_channel_create(options->endpoints[i], credentials, &channel_args);
    }
    grpc_channel_credentials_release(credentials);

    client->queue = grpc_completion_queue_create_for_next(NULL);
    if (pthread_create(&client->poller, NULL, poll_queue, client) != 0) {
        snprintf(error, error_len, "could not start the etcd poller thread");
        for (size_t i = 0; i < client->channel_count; i++) grpc_channel_destroy(client->channels[i]);
        grpc_completion_queue_shutdown(client->queue);
        grpc_completion_queue_destroy(client->queue);
        free(client->channels);
        free(client);
        grpc_shutdown();
        return NULL;
    }
    return client;
}

static void *destroy_elsewhere(void *client) {
    cetcd_client_destroy(client);
    return NULL;
}

void cetcd_client_destroy(cetcd_client *client) {
    if (client == NULL) return;
    if (pthread_equal(pthread_self(), client->poller)) {
        /* Called from a callback (say, by a language runtime dropping its last
         * reference there): the poller cannot join itself, so finish on a
         * thread of its own. */
        pthread_t helper;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_create(&helper, &attr, destroy_elsewhere, client);
        pthread_attr_destroy(&attr);
        return;
    }
    pthread_mutex_lock(&client->lock);
    client->shutting_down = true;
    cetcd_stream_cancel_all_locked(client);
    /* Unary calls end by their deadline at the latest. */
    while (client->active > 0) pthread_cond_wait(&client->idle, &client->lock);
    pthread_mutex_unlock(&client->lock);

    grpc_completion_queue_shutdown(client->queue);
    pthread_join(client->poller, NULL);
    grpc_completion_queue_destroy(client->queue);
    for (size_t i = 0; i < client->channel_count; i++) grpc_channel_destroy(client->channels[i]);
    free(client->channels);
    free(client->token);
    pthread_cond_destroy(&client->idle);
    pthread_mutex_destroy(&client->lock);
    free(client);
    grpc_shutdown();
}

bool cetcd_client_begin(cetcd_client *client) {
    pthread_mutex_lock(&client->lock);
    bool open = !client->shutting_down;
    if (open) client->active++;
    pthread_mutex_unlock(&client->lock);
    return open;
}

void cetcd_client_end(cetcd_client *client) {
    pthread_mutex_lock(&client->lock);
    if (--client->active == 0) pthread_cond_broadcast(&client->idle);
    pthread_mutex_unlock(&client->lock);
}

void cetcd_client_set_token(cetcd_client *client, const char *token) {
    char *copy = token ? strdup(token) : NULL;
    pthread_mutex_lock(&client->lock);
    free(client->token);
    client->token = copy;
    pthread_mutex_unlock(&client->lock);
}

void cetcd_client_token_metadata(cetcd_client *client, grpc_metadata *md, bool *has_token) {
    pthread_mutex_lock(&client->lock);
    *has_token = client->token != NULL;
    if (*has_token) {
        memset(md, 0, sizeof *md);
        md->key = grpc_slice_from_static_string("token");
        md->value = grpc_slice_from_copied_string(client->token);
    }
    pthread_mutex_unlock(&client->lock);
}

size_t cetcd_client_current_endpoint(const cetcd_client *client) {
    return atomic_load(&((cetcd_client *)client)->current);
}

void cetcd_client_fail_over(cetcd_client *client, size_t failed) {
    size_t next = (failed + 1) % client->channel_count;
    /* Only the first call to notice the failure moves the client on. */
    atomic_compare_exchange_strong(&client->current, &failed, next);
}

gpr_timespec cetcd_deadline(int64_t timeout_ms) {
    if (timeout_ms <= 0) return gpr_inf_future(GPR_CLOCK_MONOTONIC);
    return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                        gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
}
