// wsload's latency histogram (µs): HdrHistogram's bucket layout at 3 significant digits, so that
// fleet.mjs can record each reported bucket into an hdr-histogram-js histogram and merge exactly.
#ifndef WSLOAD_HISTOGRAM_H
#define WSLOAD_HISTOGRAM_H

#include <stdint.h>

#include "util.h"

void hist_record(uint64_t v);
void hist_clear(void);
/* Appends `[value,count]` pairs for the non-empty buckets, comma-separated, lowest first. */
void hist_append_counts(buf_t *b);

#endif
