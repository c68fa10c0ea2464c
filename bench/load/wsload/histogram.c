// Latency histogram: HdrHistogram's layout, 3 significant digits.
// Same bucket layout as hdr-histogram-js with lowestDiscernibleValue 1 and 3 significant digits
// (2048 sub-buckets, unit magnitude 0): bucket 0 holds 0..2047 exactly, bucket i ≥ 1 holds
// [1024·2^i, 2048·2^i) in steps of 2^i. It covers every non-negative int64 (the JS histogram
// auto-resizes, so even absurd latencies are kept, not clamped).
#include "histogram.h"

#include <inttypes.h>
#include <string.h>

#define SUB_HALF_MAG 10
#define SUB_HALF (1 << SUB_HALF_MAG)
#define SUB_MASK ((uint64_t)(2 * SUB_HALF - 1))
#define BUCKETS 53
#define HIST_LEN ((BUCKETS + 1) * SUB_HALF)

static uint64_t hist[HIST_LEN];

static size_t hist_index(uint64_t v) {
  int bucket = (64 - __builtin_clzll(v | SUB_MASK)) - (SUB_HALF_MAG + 1);
  uint64_t sub = v >> bucket;
  return ((size_t)(bucket + 1) << SUB_HALF_MAG) + (size_t)(sub - SUB_HALF);
}

/* The lowest value of bucket `i`: what a report lists, since recording it into an identically
 * configured hdr histogram lands in the same bucket (so merged percentiles are exact). */
static uint64_t hist_value(size_t i) {
  int bucket = (int)(i >> SUB_HALF_MAG) - 1;
  uint64_t sub = (i & (SUB_HALF - 1)) + SUB_HALF;
  if (bucket < 0) {
    sub -= SUB_HALF;
    bucket = 0;
  }
  return sub << bucket;
}

void hist_record(uint64_t v) {
  hist[hist_index(v)]++;
}

void hist_clear(void) {
  memset(hist, 0, sizeof hist);
}

void hist_append_counts(buf_t *b) {
  int first = 1;
  for (size_t i = 0; i < HIST_LEN; i++)
    if (hist[i]) {
      buf_printf(b, "%s[%" PRIu64 ",%" PRIu64 "]", first ? "" : ",", hist_value(i), hist[i]);
      first = 0;
    }
}
