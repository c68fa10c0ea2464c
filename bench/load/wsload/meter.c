// Per-frame accounting: frame-meter.mjs, byte for byte. A few memmem()s per frame instead of a
// JSON parse: the gateway writes compact JSON with a fixed `{"server_seqno":N,"Kind":` prefix.
#define _GNU_SOURCE
#include "meter.h"

#include <string.h>

#include "histogram.h"
#include "util.h"

static const char TS_KEY[] = "\"timestamp_ns\":";
static const char SEQNO_KEY[] = "\"seqno\":";
static const char EVENT_KEY[] = "\"event_name\":";
#define KEYLEN(k) (sizeof(k) - 1)
#define PREFIX_LEN 16 /* strlen("{\"server_seqno\":") */

meter_t meter;

static const uint8_t *memmem_last(const uint8_t *h, size_t hn, const char *needle, size_t nn) {
  if (hn < nn) return NULL;
  const uint8_t *p = h + hn - nn;
  for (;;) {
    const uint8_t *q = memrchr(h, needle[0], (size_t)(p - h) + 1);
    if (!q) return NULL;
    if (memcmp(q, needle, nn) == 0) return q;
    if (q == h) return NULL;
    p = q - 1;
  }
}

static const uint8_t *skip_ws(const uint8_t *p, const uint8_t *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

static void meter_events(const uint8_t *b, size_t n, span_t *span, int64_t now_ns) {
  meter.count.events_frames++;
  const uint8_t *end = b + n;
  const uint8_t *t = memmem_last(b, n, TS_KEY, KEYLEN(TS_KEY));
  if (t) {
    // ns since the epoch: 19 digits, fits int64 until 2262 (the JS client splits µs and ns
    // to stay exact in doubles; integers need no such care).
    int64_t lat_ns = now_ns - (int64_t)read_uint(t + KEYLEN(TS_KEY), end);
    if (lat_ns < 0) meter.count.negative++;
    // max(1, Math.round(µs)): halves round up.
    int64_t us = lat_ns < 0 ? 1 : (lat_ns + 500) / 1000;
    hist_record(us < 1 ? 1 : (uint64_t)us);
  }
  if (meter.firehose) {
    // Every ring event, in order: the frame holds ring seqnos first..last, all of them.
    const uint8_t *f = memmem(b, n, SEQNO_KEY, KEYLEN(SEQNO_KEY));
    const uint8_t *l = memmem_last(b, n, SEQNO_KEY, KEYLEN(SEQNO_KEY));
    // (indexOf = -1 makes the JS read from offset KEYLEN-1, always a non-digit of the prefix: 0)
    int64_t first = f ? (int64_t)read_uint(f + KEYLEN(SEQNO_KEY), end) : 0;
    int64_t last = l ? (int64_t)read_uint(l + KEYLEN(SEQNO_KEY), end) : 0;
    int64_t count = last - first + 1;
    meter.count.events += count;
    if (span->first_ring < 0) span->first_ring = first;
    span->last_ring = last;
    span->events += count;
  } else {
    for (const uint8_t *p = b; (p = memmem(p, (size_t)(end - p), EVENT_KEY, KEYLEN(EVENT_KEY))); p += KEYLEN(EVENT_KEY)) meter.count.events++;
  }
}

/* FrameMeter.onWarning JSON.parses the frame; the gateway writes compact JSON whose Warning object
 * is flat ({"type":..,"dropped":N,..}), so reading those two keys gives the same answer. A frame
 * without them counts as another warning, as a JSON.parse failure would. */
static void meter_warning(const uint8_t *b, size_t n) {
  meter.count.warnings++;
  const uint8_t *end = b + n;
  const uint8_t *w = memmem(b, n, "\"Warning\":", 10);
  const uint8_t *type = w ? memmem(w, (size_t)(end - w), "\"type\":", 7) : NULL;
  if (type) {
    const uint8_t *v = skip_ws(type + 7, end);
    if ((size_t)(end - v) >= 14 && memcmp(v, "\"backpressure\"", 14) == 0) {
      const uint8_t *d = memmem(w, (size_t)(end - w), "\"dropped\":", 10);
      if (d) {
        meter.count.dropped += (uint64_t)read_uint(skip_ws(d + 10, end), end);
        return;
      }
    }
  }
  meter.count.other_warnings++;
}

void meter_frame(const uint8_t *b, size_t n, span_t *span, int64_t now_ns) {
  meter.count.frames++;
  meter.count.bytes += n;
  // After `{"server_seqno":N,"` comes the kind: Events / Warning / others.
  size_t p = PREFIX_LEN;
  while (p < n && b[p] >= '0' && b[p] <= '9') p++;
  size_t k = p + 2;
  if (k + 1 < n && b[k] == 'E' && b[k + 1] == 'v') meter_events(b, n, span, now_ns);
  else if (k < n && b[k] == 'W') meter_warning(b, n);
}

void meter_reset(void) {
  memset(&meter.count, 0, sizeof meter.count);
  hist_clear();
}
