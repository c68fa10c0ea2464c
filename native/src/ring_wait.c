#include "ring_wait.h"

#include <stdatomic.h>
#include <sys/prctl.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int ring_wait_for_seqno(const struct ring_map *m, uint64_t after, uint64_t timeout_ns, const volatile int *cancel) {
    /* The default 50 us timer slack would double the short sleeps; this thread only sleeps briefly. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    const uint64_t start = now_ns();
    for (;;) {
        if (atomic_load_explicit(&m->header->control.last_seqno, memory_order_acquire) > after) return 1;
        if (*cancel) return 0;
        uint64_t waited = now_ns() - start;
        if (waited >= timeout_ns) return 0;
        uint64_t nap = waited < RING_WAIT_FAST_FOR_NS ? RING_WAIT_FAST_NS : RING_WAIT_SLOW_NS;
        struct timespec ts = {0, (long)nap};
        nanosleep(&ts, NULL);
    }
}
