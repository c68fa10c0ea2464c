// wsload's per-frame accounting: frame-meter.mjs, byte for byte (frames, events, bytes, warnings,
// dropped frames, negative latencies, firehose spans), so wsload's reports and client.mjs's agree.
#ifndef WSLOAD_METER_H
#define WSLOAD_METER_H

#include <stddef.h>
#include <stdint.h>

/* Per connection, for firehose losses: the window's first and last ring seqno and events got. */
typedef struct {
  int64_t first_ring, last_ring, events;
} span_t;

typedef struct {
  uint64_t frames, events_frames, bytes, warnings, dropped, negative, other_warnings;
  int64_t events;
} meter_counts_t;

typedef struct {
  int firehose; /* the "all" channel: every ring event, in order, so losses can be counted */
  meter_counts_t count;
} meter_t;

extern meter_t meter;

/* One complete message received at now_ns (ns since the epoch). */
void meter_frame(const uint8_t *b, size_t n, span_t *span, int64_t now_ns);
/* A new window: counts and the latency histogram start from zero. */
void meter_reset(void);

#endif
