/* Waiting for new events without spinning the JS thread: a libuv worker thread watches the ring's
   last_seqno with short sleeps and wakes the event loop the moment the writer has allocated a seqno
   past the reader. See event_ring.md, "Waiting for events". */
#ifndef MONAD_GW_RING_WAIT_H
#define MONAD_GW_RING_WAIT_H

#include <stdint.h>

#include "ring_map.h"

/* Sleep between checks while the ring was recently busy, and once it has been idle for a while. */
#define RING_WAIT_FAST_NS 40000ULL
#define RING_WAIT_SLOW_NS 250000ULL
#define RING_WAIT_FAST_FOR_NS 20000000ULL

/* Returns 1 as soon as the writer's last_seqno exceeds `after`, 0 after `timeout_ns` or when
   `*cancel` becomes nonzero. Touches only the mapped header. */
int ring_wait_for_seqno(const struct ring_map *m, uint64_t after, uint64_t timeout_ns, const volatile int *cancel);

#endif
