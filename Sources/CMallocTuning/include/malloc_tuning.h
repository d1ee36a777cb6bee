#ifndef BERTH_MALLOC_TUNING_H
#define BERTH_MALLOC_TUNING_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>

/// glibc raises its mmap threshold each time a large mmapped block is freed
/// (up to 32 MiB); after that, the multi-megabyte buffers of big list
/// responses come from the per-thread heap arenas and stay there: a server
/// that answered thirty lists of 10,000 ConfigMaps held 480 MiB. A fixed
/// threshold keeps such buffers mmapped, so they go back to the system when
/// freed, and fewer arenas bound what the many NIO and Swift concurrency
/// threads can hold on to. Swift cannot see <malloc.h>, hence this header.
static inline void berth_tune_malloc(void) {
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_ARENA_MAX, 4);
}

/// Gives the heap's free pages back to the system. Rendering an OpenAPI
/// document builds a tree of many small values that is freed at once, as
/// does a watch cache's fill with the etcd responses it decodes; the pages
/// they leave free would otherwise stay in the process (15 MiB for a group
/// of 100 custom kinds, 26 MiB for a cache of 10,000 ConfigMaps).
static inline void berth_release_free_memory(void) {
    malloc_trim(0);
}
#else
static inline void berth_tune_malloc(void) {}
static inline void berth_release_free_memory(void) {}
#endif

#endif
