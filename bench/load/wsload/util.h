// wsload's small utilities: a growable byte buffer (with printf and JSON-string appends), the two
// clocks, write_all for the stdout reports, the masking-key RNG, read_uint, and die() for the
// errors after which there is nothing sensible to do.
#ifndef WSLOAD_UTIL_H
#define WSLOAD_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define KEEP_CAP (64 * 1024) /* an emptied buffer bigger than this is freed */

typedef struct {
  uint8_t *data;
  size_t len, cap;
} buf_t;

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

void buf_reserve(buf_t *b, size_t want);
void buf_append(buf_t *b, const void *p, size_t n);
void buf_free(buf_t *b);
void buf_trim(buf_t *b);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_json_string(buf_t *b, const char *s);

double mono_s(void);
int64_t realtime_ns(void);

void write_all(int fd, const void *p, size_t n);

void rng_seed(void);
uint64_t rng_next(void);

uint64_t read_uint(const uint8_t *p, const uint8_t *end);

#endif
