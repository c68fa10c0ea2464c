// wsload's small utilities (see util.h): libc only, nothing here knows about WebSocket.
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("wsload: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

void buf_reserve(buf_t *b, size_t want) {
  if (b->cap >= want) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < want) cap *= 2;
  uint8_t *p = realloc(b->data, cap);
  if (!p) die("out of memory (%zu bytes)", cap);
  b->data = p;
  b->cap = cap;
}

void buf_append(buf_t *b, const void *p, size_t n) {
  if (n == 0) return;
  buf_reserve(b, b->len + n);
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

void buf_free(buf_t *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* Empty buffers give their memory back once they grew for a burst: memory stays bounded by the
 * partial frames actually in flight. */
void buf_trim(buf_t *b) {
  if (b->len == 0 && b->cap > KEEP_CAP) buf_free(b);
}

void buf_printf(buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  buf_reserve(b, b->len + (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void buf_json_string(buf_t *b, const char *s) {
  buf_append(b, "\"", 1);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') buf_printf(b, "\\%c", ch);
    else if (ch < 0x20) buf_printf(b, "\\u%04x", ch);
    else buf_append(b, s, 1);
  }
  buf_append(b, "\"", 1);
}

double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void write_all(int fd, const void *p, size_t n) {
  const uint8_t *s = p;
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) exit(0); /* our reader is gone: nobody to report to */
    s += w;
    n -= (size_t)w;
  }
}

/* xorshift64*: masking keys need no cryptographic strength (RFC 6455 §10.3 is about proxies
 * that the benchmark does not have); seeded from getrandom. */
static uint64_t rng_state;

void rng_seed(void) {
  if (getrandom(&rng_state, sizeof rng_state, 0) != sizeof rng_state) rng_state = (uint64_t)realtime_ns();
  rng_state |= 1;
}

uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

/* readUint of frame-meter.mjs: the decimal digits at p (none: 0). */
uint64_t read_uint(const uint8_t *p, const uint8_t *end) {
  uint64_t v = 0;
  for (; p < end && *p >= '0' && *p <= '9'; p++) v = v * 10 + (uint64_t)(*p - '0');
  return v;
}
