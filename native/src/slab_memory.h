/* Resident memory for the gateway's frame bytes (see slab_memory.c). */
#ifndef MONAD_GW_SLAB_MEMORY_H
#define MONAD_GW_SLAB_MEMORY_H

#include <stddef.h>

#define SLAB_ALIGN ((size_t)2 << 20) /* one x86-64 / arm64 transparent huge page */
#define SLAB_MAX_BYTES ((size_t)1 << 30)

struct slab_info {
    void *base;
    size_t bytes;      /* requested size rounded up to SLAB_ALIGN */
    int huge_advised;  /* madvise(MADV_HUGEPAGE) accepted */
    int err;           /* errno on failure (base == NULL) */
};

#define SLAB_FREE_MAX 8 /* freed slabs kept resident for reuse */

/* Maps `bytes` (1..SLAB_MAX_BYTES) of anonymous memory aligned to 2 MiB, asks for transparent huge
   pages, and writes every page so that it is resident on return. Blocking: run it off the JS thread. */
struct slab_info slab_map(size_t bytes);
/* A freed slab of exactly `bytes` (rounded as slab_map rounds) for reuse, its old contents intact;
   base == NULL when none is kept. Thread-safe. */
struct slab_info slab_reuse(size_t bytes);
/* Gives a slab back: kept for reuse while fewer than SLAB_FREE_MAX are, unmapped otherwise.
   Returns 1 when kept. Thread-safe. */
int slab_release(void *base, size_t bytes);
size_t slab_round(size_t bytes);
int slab_free_count(void);

#endif
