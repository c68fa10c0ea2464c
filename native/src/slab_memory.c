/* Resident memory for frame bytes. The resume window fills up to 1 GiB of fresh memory, and every
   first write to a 4 KiB page faults: measured as a third of a core at 180k events/s when a thread
   touched each page ahead of use. Here a slab is 2 MiB aligned and advised for transparent huge
   pages, so one fault maps 512 pages at once, and the fault is taken on the calling (libuv worker)
   thread, not on the thread that copies frames. Without THP (disabled, or no huge page free) the
   same code falls back to 4 KiB pages: slower to fault in, never wrong.

   Freed slabs (the garbage collector dropped every view of them, so no frame can still be read from
   them) are kept resident and handed out again: once the resume window is full, new frames land in
   memory that evicted ones left, and nothing faults at all. On a VM whose host backs guest memory
   lazily, a fault on memory returned to the host costs ~1.6 s of CPU per GiB (measured here, for 4 KiB
   and 2 MiB pages alike), so reuse matters more than page size there. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "slab_memory.h"

static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { void *base; size_t bytes; } free_slabs[SLAB_FREE_MAX];
static int free_count;

size_t slab_round(size_t bytes) {
    return (bytes + SLAB_ALIGN - 1) & ~(SLAB_ALIGN - 1);
}

struct slab_info slab_map(size_t bytes) {
    struct slab_info s = {0};
    if (bytes == 0 || bytes > SLAB_MAX_BYTES) {
        s.err = EINVAL;
        return s;
    }
    size_t len = slab_round(bytes);
    /* Over-map by one alignment unit, then trim both ends so the slab starts on a 2 MiB boundary
       (a huge page can only back an aligned 2 MiB range). */
    size_t span = len + SLAB_ALIGN;
    uint8_t *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) {
        s.err = errno;
        return s;
    }
    uint8_t *base = (uint8_t *)(((uintptr_t)raw + SLAB_ALIGN - 1) & ~(uintptr_t)(SLAB_ALIGN - 1));
    if (base > raw) munmap(raw, (size_t)(base - raw));
    size_t tail = (size_t)((raw + span) - (base + len));
    if (tail > 0) munmap(base + len, tail);
#ifdef MADV_HUGEPAGE
    s.huge_advised = madvise(base, len, MADV_HUGEPAGE) == 0;
#endif
    volatile uint8_t *p = base;
    for (size_t off = 0; off < len; off += 4096) p[off] = 0;
    s.base = base;
    s.bytes = len;
    return s;
}

struct slab_info slab_reuse(size_t bytes) {
    struct slab_info s = {0};
    size_t len = slab_round(bytes);
    pthread_mutex_lock(&free_lock);
    for (int i = free_count - 1; i >= 0; i--) {
        if (free_slabs[i].bytes != len) continue;
        s.base = free_slabs[i].base;
        s.bytes = len;
        free_slabs[i] = free_slabs[--free_count];
        break;
    }
    pthread_mutex_unlock(&free_lock);
    return s;
}

int slab_release(void *base, size_t bytes) {
    if (base == NULL) return 0;
    pthread_mutex_lock(&free_lock);
    int kept = free_count < SLAB_FREE_MAX;
    if (kept) {
        free_slabs[free_count].base = base;
        free_slabs[free_count].bytes = bytes;
        free_count++;
    }
    pthread_mutex_unlock(&free_lock);
    if (!kept) munmap(base, bytes);
    return kept;
}

int slab_free_count(void) {
    pthread_mutex_lock(&free_lock);
    int n = free_count;
    pthread_mutex_unlock(&free_lock);
    return n;
}
