/* The floor under EtcdClient's per-operation CPU: the same unary Put and
 * Range calls through the CEtcd shim from plain C, with no Swift, no
 * continuations and no thread hops (each completion issues the next call on
 * the poller thread). What this costs per operation is gRPC core's own
 * per-call work; scripts/bench prints it beside the Swift figures.
 * Usage: cetcd_floor HOST:PORT CONCURRENCY OPERATIONS put|range */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cetcd.h"

static cetcd_client *client;
static bool use_range;
static long total;
static atomic_long issued, finished, failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t all_done = PTHREAD_COND_INITIALIZER;
static char value[256];

static void issue(long index);

static void completed(void *context, int32_t status, const char *message, ProtobufCMessage *response) {
    (void)context;
    if (status != CETCD_OK && atomic_fetch_add(&failed, 1) == 0) fprintf(stderr, "call failed: %s\n", message);
    cetcd_message_free(response);
    long next = atomic_fetch_add(&issued, 1);
    if (next < total) issue(next);
    if (atomic_fetch_add(&finished, 1) + 1 == total) {
        pthread_mutex_lock(&lock);
        pthread_cond_signal(&all_done);
        pthread_mutex_unlock(&lock);
    }
}

static void issue(long index) {
    char key[64];
    snprintf(key, sizeof key, use_range ? "/bench/get/%ld" : "/bench/put/%ld", index % 1000);
    ProtobufCBinaryData key_bytes = {strlen(key), (uint8_t *)key};
    int32_t started;
    if (use_range) {
        Etcdserverpb__RangeRequest request = ETCDSERVERPB__RANGE_REQUEST__INIT;
        request.key = key_bytes;
        started = cetcd_unary_call(client, CETCD_KV_RANGE, &request.base, 30000, completed, NULL);
    } else {
        Etcdserverpb__PutRequest request = ETCDSERVERPB__PUT_REQUEST__INIT;
        request.key = key_bytes;
        request.value = (ProtobufCBinaryData){sizeof value, (uint8_t *)value};
        started = cetcd_unary_call(client, CETCD_KV_PUT, &request.base, 30000, completed, NULL);
    }
    if (started != CETCD_OK) {
        fprintf(stderr, "could not start a call (%d)\n", started);
        exit(1);
    }
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: cetcd_floor HOST:PORT CONCURRENCY OPERATIONS put|range\n");
        return 2;
    }
    const char *endpoint = argv[1];
    long concurrency = atol(argv[2]);
    total = atol(argv[3]);
    use_range = strcmp(argv[4], "range") == 0;
    memset(value, 'v', sizeof value);

    cetcd_client_options options = {0};
    options.endpoints = &endpoint;
    options.endpoint_count = 1;
    char error[256];
    client = cetcd_client_create(&options, error, sizeof error);
    if (client == NULL) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }

    double cpu_before = cpu_seconds(), started = now_seconds();
    atomic_store(&issued, concurrency);
    for (long i = 0; i < concurrency && i < total; i++) issue(i);
    pthread_mutex_lock(&lock);
    while (atomic_load(&finished) < total) pthread_cond_wait(&all_done, &lock);
    pthread_mutex_unlock(&lock);
    double wall = now_seconds() - started, cpu = cpu_seconds() - cpu_before;

    printf("| %s (C, no Swift) | %ld | %ld | %.0f | %.1f |\n", use_range ? "Range" : "Put", concurrency,
           total, total / wall, cpu / total * 1e6);
    cetcd_client_destroy(client);
    return atomic_load(&failed) == 0 ? 0 : 1;
}
