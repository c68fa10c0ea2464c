// wsload: a native WebSocket load generator, drop-in for `client.mjs --protocol ws` (same options,
// same stdin/stdout line protocol, same per-frame accounting as frame-meter.mjs). One process, one
// thread, epoll (level-triggered), non-blocking sockets: at hundreds of connections or a 50k events/s
// firehose the Node client costs more CPU than the server it measures; this one costs a read() and a
// few memmem()s per batch of frames.
//
//   wsload --url ws://HOST:PORT/PATH?QUERY --connections N [--channel all|blocks|...] [--slow]
//          [--max-seconds S] [--open-concurrency 32] [--protocol ws]
//   stdout {"type":"ready","open":..,"failed":..,"failReasons":{..}}  once every connection settled
//   stdin  reset | report | exit      (stdin EOF and --max-seconds passing also exit)
//
// Build: cc -O2 -Wall -Wextra -o wsload wsload.c   (libc only; bench/load/native-client.mjs does it)
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OPEN_TIMEOUT_S 30.0
#define READ_CHUNK (256 * 1024)
/* A partial frame shorter than this is copied in front of the next read; longer ones are read
 * straight into the connection's own buffer, sized for the whole frame. */
#define SMALL_PARTIAL (64 * 1024)
#define KEEP_CAP (64 * 1024) /* an emptied buffer bigger than this is freed */
#define MAX_MESSAGE (100u << 20) /* ws's default maxPayload: client.mjs closes 1009 beyond it */
#define MAX_RESPONSE_HEAD (64 * 1024)
#define MAX_PENDING_OUT (64 * 1024)
#define MAX_REASONS 32
#define STDIN_TAG UINT64_MAX

/* ---------- small utilities ---------- */

typedef struct {
  uint8_t *data;
  size_t len, cap;
} buf_t;

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("wsload: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void buf_reserve(buf_t *b, size_t want) {
  if (b->cap >= want) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < want) cap *= 2;
  uint8_t *p = realloc(b->data, cap);
  if (!p) die("out of memory (%zu bytes)", cap);
  b->data = p;
  b->cap = cap;
}

static void buf_append(buf_t *b, const void *p, size_t n) {
  if (n == 0) return;
  buf_reserve(b, b->len + n);
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static void buf_free(buf_t *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* Empty buffers give their memory back once they grew for a burst: memory stays bounded by the
 * partial frames actually in flight. */
static void buf_trim(buf_t *b) {
  if (b->len == 0 && b->cap > KEEP_CAP) buf_free(b);
}

static void buf_printf(buf_t *b, const char *fmt, ...) {
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

static void buf_json_string(buf_t *b, const char *s) {
  buf_append(b, "\"", 1);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') buf_printf(b, "\\%c", ch);
    else if (ch < 0x20) buf_printf(b, "\\u%04x", ch);
    else buf_append(b, s, 1);
  }
  buf_append(b, "\"", 1);
}

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t realtime_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void write_all(int fd, const void *p, size_t n) {
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
static uint64_t rng_next(void) {
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

/* ---------- latency histogram: HdrHistogram's layout, 3 significant digits ---------- */
// Same bucket layout as hdr-histogram-js with lowestDiscernibleValue 1 and 3 significant digits
// (2048 sub-buckets, unit magnitude 0): bucket 0 holds 0..2047 exactly, bucket i ≥ 1 holds
// [1024·2^i, 2048·2^i) in steps of 2^i. It covers every non-negative int64 (the JS histogram
// auto-resizes, so even absurd latencies are kept, not clamped).

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

/* ---------- per-frame accounting: frame-meter.mjs, byte for byte ---------- */

static const char TS_KEY[] = "\"timestamp_ns\":";
static const char SEQNO_KEY[] = "\"seqno\":";
static const char EVENT_KEY[] = "\"event_name\":";
#define KEYLEN(k) (sizeof(k) - 1)
#define PREFIX_LEN 16 /* strlen("{\"server_seqno\":") */

typedef struct {
  uint64_t frames, events_frames, bytes, warnings, dropped, negative, other_warnings;
  int64_t events;
} meter_t;

static meter_t meter;
static int firehose;

/* Per connection, for firehose losses: the window's first and last ring seqno and events got. */
typedef struct {
  int64_t first_ring, last_ring, events;
} span_t;

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

/* readUint of frame-meter.mjs: the decimal digits at p (none: 0). */
static uint64_t read_uint(const uint8_t *p, const uint8_t *end) {
  uint64_t v = 0;
  for (; p < end && *p >= '0' && *p <= '9'; p++) v = v * 10 + (uint64_t)(*p - '0');
  return v;
}

static const uint8_t *skip_ws(const uint8_t *p, const uint8_t *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

static void meter_events(const uint8_t *b, size_t n, span_t *span, int64_t now_ns) {
  meter.events_frames++;
  const uint8_t *end = b + n;
  const uint8_t *t = memmem_last(b, n, TS_KEY, KEYLEN(TS_KEY));
  if (t) {
    // ns since the epoch: 19 digits, fits int64 until 2262 (the JS client splits µs and ns
    // to stay exact in doubles; integers need no such care).
    int64_t lat_ns = now_ns - (int64_t)read_uint(t + KEYLEN(TS_KEY), end);
    if (lat_ns < 0) meter.negative++;
    // max(1, Math.round(µs)): halves round up.
    int64_t us = lat_ns < 0 ? 1 : (lat_ns + 500) / 1000;
    hist[hist_index(us < 1 ? 1 : (uint64_t)us)]++;
  }
  if (firehose) {
    // Every ring event, in order: the frame holds ring seqnos first..last, all of them.
    const uint8_t *f = memmem(b, n, SEQNO_KEY, KEYLEN(SEQNO_KEY));
    const uint8_t *l = memmem_last(b, n, SEQNO_KEY, KEYLEN(SEQNO_KEY));
    // (indexOf = -1 makes the JS read from offset KEYLEN-1, always a non-digit of the prefix: 0)
    int64_t first = f ? (int64_t)read_uint(f + KEYLEN(SEQNO_KEY), end) : 0;
    int64_t last = l ? (int64_t)read_uint(l + KEYLEN(SEQNO_KEY), end) : 0;
    int64_t count = last - first + 1;
    meter.events += count;
    if (span->first_ring < 0) span->first_ring = first;
    span->last_ring = last;
    span->events += count;
  } else {
    for (const uint8_t *p = b; (p = memmem(p, (size_t)(end - p), EVENT_KEY, KEYLEN(EVENT_KEY))); p += KEYLEN(EVENT_KEY)) meter.events++;
  }
}

/* FrameMeter.onWarning JSON.parses the frame; the gateway writes compact JSON whose Warning object
 * is flat ({"type":..,"dropped":N,..}), so reading those two keys gives the same answer. A frame
 * without them counts as another warning, as a JSON.parse failure would. */
static void meter_warning(const uint8_t *b, size_t n) {
  meter.warnings++;
  const uint8_t *end = b + n;
  const uint8_t *w = memmem(b, n, "\"Warning\":", 10);
  const uint8_t *type = w ? memmem(w, (size_t)(end - w), "\"type\":", 7) : NULL;
  if (type) {
    const uint8_t *v = skip_ws(type + 7, end);
    if ((size_t)(end - v) >= 14 && memcmp(v, "\"backpressure\"", 14) == 0) {
      const uint8_t *d = memmem(w, (size_t)(end - w), "\"dropped\":", 10);
      if (d) {
        meter.dropped += (uint64_t)read_uint(skip_ws(d + 10, end), end);
        return;
      }
    }
  }
  meter.other_warnings++;
}

static void meter_frame(const uint8_t *b, size_t n, span_t *span, int64_t now_ns) {
  meter.frames++;
  meter.bytes += n;
  // After `{"server_seqno":N,"` comes the kind: Events / Warning / others.
  size_t p = PREFIX_LEN;
  while (p < n && b[p] >= '0' && b[p] <= '9') p++;
  size_t k = p + 2;
  if (k + 1 < n && b[k] == 'E' && b[k + 1] == 'v') meter_events(b, n, span, now_ns);
  else if (k < n && b[k] == 'W') meter_warning(b, n);
}

/* ---------- options ---------- */

static struct {
  const char *url;
  long connections;
  const char *channel;
  int slow;
  double max_seconds;
  long open_concurrency;
} opt = {NULL, 1, "all", 0, 600, 32};

static void usage(FILE *to) {
  fputs("usage: wsload --url ws://HOST:PORT/PATH?QUERY --connections N [--channel all|blocks|...] [--slow]\n"
        "              [--max-seconds S] [--open-concurrency 32] [--protocol ws]\n"
        "Opens N WebSocket connections and meters every frame (see bench/load/client.mjs: same\n"
        "options and stdin/stdout protocol; socket.io is client.mjs only).\n", to);
}

static long parse_count(const char *name, const char *v, long min) {
  char *end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || end == v || *end || x < min) die("--%s must be an integer >= %ld, got \"%s\"", name, min, v);
  return x;
}

static void parse_options(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      exit(0);
    }
    if (strcmp(a, "--slow") == 0) {
      opt.slow = 1;
      continue;
    }
    if (strncmp(a, "--", 2) != 0) die("unexpected argument \"%s\"", a);
    // --name value or --name=value, as node's parseArgs accepts.
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    const char *v = eq ? eq + 1 : NULL;
    if (!v) {
      if (i + 1 >= argc) die("option --%s needs a value", name);
      v = argv[++i];
    }
#define IS(s) (nlen == strlen(s) && strncmp(name, s, nlen) == 0)
    if (IS("url")) opt.url = v;
    else if (IS("connections")) opt.connections = parse_count("connections", v, 0);
    else if (IS("channel")) opt.channel = v;
    else if (IS("open-concurrency")) opt.open_concurrency = parse_count("open-concurrency", v, 1);
    else if (IS("max-seconds")) {
      char *end;
      opt.max_seconds = strtod(v, &end);
      if (end == v || *end || !(opt.max_seconds > 0)) die("--max-seconds must be a positive number, got \"%s\"", v);
    } else if (IS("protocol")) {
      if (strcmp(v, "ws") != 0) die("--protocol %s: wsload speaks plain WebSocket (ws) only; use client.mjs for socket.io", v);
    } else {
      usage(stderr);
      die("unknown option --%.*s", (int)nlen, name);
    }
#undef IS
  }
  if (!opt.url) {
    usage(stderr);
    die("--url is required");
  }
  firehose = strcmp(opt.channel, "all") == 0;
}

/* ---------- the target: ws://host[:port]/path?query ---------- */

static struct {
  char host_header[300];
  char path[4096];
  struct addrinfo *addrs;
  char error[300]; /* set when the URL cannot be used: every connection fails with it */
} target;

static void resolve_target(const char *url) {
  if (strncmp(url, "ws://", 5) != 0) {
    snprintf(target.error, sizeof target.error, "invalid URL \"%.200s\": wsload supports ws:// only", url);
    return;
  }
  const char *h = url + 5;
  const char *slash = h + strcspn(h, "/?#");
  char hostport[300];
  if (slash == h || (size_t)(slash - h) >= sizeof hostport) {
    snprintf(target.error, sizeof target.error, "invalid URL \"%.200s\": no host", url);
    return;
  }
  memcpy(hostport, h, (size_t)(slash - h));
  hostport[slash - h] = 0;
  char host[300];
  const char *port = "80";
  if (hostport[0] == '[') { /* [v6]:port */
    char *close = strchr(hostport, ']');
    if (!close) {
      snprintf(target.error, sizeof target.error, "invalid URL \"%.200s\": unterminated [", url);
      return;
    }
    *close = 0;
    snprintf(host, sizeof host, "%s", hostport + 1);
    if (close[1] == ':') port = close + 2;
    *close = ']';
  } else {
    char *colon = strrchr(hostport, ':');
    if (colon) {
      *colon = 0;
      port = colon + 1;
    }
    snprintf(host, sizeof host, "%s", hostport);
    if (colon) *colon = ':';
  }
  snprintf(target.host_header, sizeof target.host_header, "%s", hostport);
  const char *frag = strchr(slash, '#');
  size_t plen = frag ? (size_t)(frag - slash) : strlen(slash);
  if (plen + 2 > sizeof target.path) {
    snprintf(target.error, sizeof target.error, "invalid URL: path longer than %zu bytes", sizeof target.path - 2);
    return;
  }
  size_t o = 0;
  if (plen == 0 || slash[0] != '/') target.path[o++] = '/';
  memcpy(target.path + o, slash, plen);
  target.path[o + plen] = 0;
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
  int rc = getaddrinfo(host, port, &hints, &target.addrs);
  if (rc != 0) snprintf(target.error, sizeof target.error, "getaddrinfo %.200s: %s", host, gai_strerror(rc));
}

/* ---------- connections ---------- */

typedef enum { C_IDLE, C_CONNECTING, C_SENDING, C_RECEIVING, C_OPEN, C_DONE } cstate_t;

typedef struct {
  int fd;
  cstate_t st;
  int was_open;
  uint32_t events_mask;
  double deadline;
  struct addrinfo *addr; /* the address being tried (the next one on a failed connect) */
  buf_t in;              /* handshake response, or the partial frame a read left */
  size_t need;           /* bytes of the partial frame in `in` once its header is known */
  buf_t msg;             /* a fragmented message being reassembled */
  int in_message;
  buf_t out;             /* unsent bytes: the handshake request, pongs, our close */
  size_t out_off;
  span_t span;
} conn_t;

static conn_t *conns;
static int epfd;
static int stopping;
static long started, settled, opened, failed_count;
static long *inflight; /* indices of connections still opening: at most --open-concurrency */
static long n_inflight;
static struct {
  char text[200];
  long count;
} reasons[MAX_REASONS];
static int n_reasons;
static uint32_t closes[65536];
static uint8_t scratch[SMALL_PARTIAL + READ_CHUNK];

static void fail_reason(const char *why) {
  failed_count++;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < n_reasons; i++)
      if (strcmp(reasons[i].text, why) == 0) {
        reasons[i].count++;
        return;
      }
    if (n_reasons < MAX_REASONS - 1) break;
    why = "other reasons"; /* the last slot takes every further kind */
  }
  snprintf(reasons[n_reasons].text, sizeof reasons[n_reasons].text, "%s", why);
  reasons[n_reasons++].count = 1;
}

static void ep_set(conn_t *c, uint32_t mask) {
  if (c->events_mask == mask) return;
  struct epoll_event ev = {.events = mask, .data.u64 = (uint64_t)(c - conns)};
  int op = c->events_mask == 0 ? EPOLL_CTL_ADD : mask == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
  if (epoll_ctl(epfd, op, c->fd, &ev) != 0) die("epoll_ctl: %s", strerror(errno));
  c->events_mask = mask;
}

static void release(conn_t *c) {
  if (c->fd >= 0) {
    ep_set(c, 0);
    close(c->fd);
  }
  c->fd = -1;
  c->st = C_DONE;
  buf_free(&c->in);
  buf_free(&c->msg);
  buf_free(&c->out);
}

static void inflight_remove(long idx) {
  for (long i = 0; i < n_inflight; i++)
    if (inflight[i] == idx) {
      inflight[i] = inflight[--n_inflight];
      return;
    }
}

/* A connection that never opened: counted with its reason. */
static void fail_open(conn_t *c, const char *why) {
  release(c);
  inflight_remove(c - conns);
  settled++;
  fail_reason(why);
}

/* An open connection ended: its close code counts unless we ended it (exit). */
static void end_open(conn_t *c, int code) {
  if (c->was_open && !stopping) closes[code]++;
  release(c);
}

/* Flushes c->out; returns -1 if the socket failed. */
static int flush_out(conn_t *c) {
  while (c->out_off < c->out.len) {
    ssize_t w = send(c->fd, c->out.data + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    if (w < 0) return -1;
    c->out_off += (size_t)w;
  }
  c->out.len = c->out_off = 0;
  buf_trim(&c->out);
  return 0;
}

/* Queues a masked client frame (RFC 6455 §5.3: client frames are always masked). */
static void send_frame(conn_t *c, int opcode, const uint8_t *payload, size_t n) {
  if (c->out.len - c->out_off + n + 8 > MAX_PENDING_OUT) return; /* a peer not reading our pongs: skip */
  uint8_t head[8] = {(uint8_t)(0x80 | opcode), (uint8_t)(0x80 | n)}; /* control frames: n <= 125 */
  uint32_t key = (uint32_t)rng_next();
  memcpy(head + 2, &key, 4);
  buf_append(&c->out, head, 6);
  const uint8_t *k = head + 2;
  for (size_t i = 0; i < n; i++) {
    uint8_t m = payload[i] ^ k[i & 3];
    buf_append(&c->out, &m, 1);
  }
  if (flush_out(c) == 0 && c->out.len > 0 && !opt.slow) ep_set(c, EPOLLIN | EPOLLOUT);
}

/* Ends an open connection for a protocol violation as ws does: a close frame with `code` goes to
 * the server, but ws discards what arrives after the error (the server's answering close frame
 * too), so client.mjs sees an abnormal close: 1006 is what it counts, and so do we. */
static void protocol_error(conn_t *c, int code) {
  uint8_t p[2] = {(uint8_t)(code >> 8), (uint8_t)code};
  send_frame(c, 0x8, p, 2);
  end_open(c, 1006);
}

/* One complete message (text or binary: both are metered). */
static void on_message(conn_t *c, const uint8_t *b, size_t n, int64_t now_ns) {
  meter_frame(b, n, &c->span, now_ns);
}

/* Handles a whole frame; returns 0 if the connection ended. */
static int on_frame(conn_t *c, int fin, int op, const uint8_t *p, size_t n, int64_t now_ns) {
  if (op >= 0x8) {
    if (!fin || n > 125) return protocol_error(c, 1002), 0;
    if (op == 0x8) {
      if (n == 1) return protocol_error(c, 1002), 0;
      int code = n >= 2 ? (p[0] << 8 | p[1]) : 1005;
      // Answer the close (ws does) with the same code, then drop the socket.
      send_frame(c, 0x8, p, n >= 2 ? 2 : 0);
      end_open(c, code);
      return 0;
    }
    if (op == 0x9) send_frame(c, 0xA, p, n);
    else if (op != 0xA) return protocol_error(c, 1002), 0;
    return 1;
  }
  if (op == 0x0) {
    if (!c->in_message) return protocol_error(c, 1002), 0;
    buf_append(&c->msg, p, n);
    if (fin) {
      on_message(c, c->msg.data, c->msg.len, now_ns);
      c->in_message = 0;
      c->msg.len = 0;
      buf_trim(&c->msg);
    }
    return 1;
  }
  if ((op != 0x1 && op != 0x2) || c->in_message) return protocol_error(c, 1002), 0;
  if (fin) on_message(c, p, n, now_ns);
  else {
    c->in_message = 1;
    buf_append(&c->msg, p, n);
  }
  return 1;
}

/* Parses every complete frame in b[0..n); returns bytes consumed, or -1 if the connection ended.
 * Sets c->need to the size of the incomplete frame at the end once its header is there. */
static long parse_frames(conn_t *c, const uint8_t *b, size_t n, int64_t now_ns) {
  size_t p = 0;
  c->need = 0;
  while (n - p >= 2) {
    int fin = b[p] & 0x80, rsv = b[p] & 0x70, op = b[p] & 0x0f;
    int masked = b[p + 1] & 0x80;
    uint64_t len = b[p + 1] & 0x7f;
    size_t hl = 2;
    if (len == 126) {
      if (n - p < 4) break;
      len = (uint64_t)b[p + 2] << 8 | b[p + 3];
      hl = 4;
    } else if (len == 127) {
      if (n - p < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | b[p + 2 + i];
      hl = 10;
    }
    // No extension was negotiated (RSV must be 0) and servers never mask: ws fails both with 1002.
    if (rsv || masked) return protocol_error(c, 1002), -1;
    if (len > MAX_MESSAGE || (op == 0 && c->msg.len + len > MAX_MESSAGE)) return protocol_error(c, 1009), -1;
    if (n - p < hl + len) {
      c->need = hl + (size_t)len;
      break;
    }
    if (!on_frame(c, fin, op, b + p + hl, (size_t)len, now_ns)) return -1;
    p += hl + (size_t)len;
  }
  return (long)p;
}

/* Keeps the unparsed tail of a read (in scratch, c->in itself, or elsewhere) for the next one.
 * A tail too big to go in front of the next read gets room for its whole frame. */
static void keep_partial(conn_t *c, const uint8_t *tail, size_t n) {
  int own = c->in.data && tail >= c->in.data && tail <= c->in.data + c->in.len;
  if (own) memmove(c->in.data, tail, n);
  else if (n) {
    buf_reserve(&c->in, n);
    memcpy(c->in.data, tail, n);
  }
  c->in.len = n;
  if (n > SMALL_PARTIAL) buf_reserve(&c->in, c->need);
  buf_trim(&c->in);
}

/* Reads an open connection until the kernel has nothing more (or a fair share has been read:
 * level-triggered epoll brings us back). */
static void read_open(conn_t *c) {
  for (int round = 0; round < 16; round++) {
    uint8_t *base;
    size_t have, room;
    if (c->in.len > SMALL_PARTIAL) {
      // A big frame in progress: read straight into its own buffer (keep_partial sized it).
      base = c->in.data;
      have = c->in.len;
      room = c->in.cap - have;
    } else {
      // The common case: the small partial frame (if any) goes in front of a fresh read.
      base = scratch;
      have = c->in.len;
      if (have) memcpy(scratch, c->in.data, have);
      room = READ_CHUNK;
    }
    ssize_t r = read(c->fd, base + have, room);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (r <= 0) return end_open(c, 1006); /* reset or EOF without a close frame */
    int64_t now = realtime_ns();
    size_t total = have + (size_t)r;
    if (base == c->in.data) {
      c->in.len = total;
      if (total < c->need) {
        if ((size_t)r < room) return;
        continue;
      }
    }
    long used = parse_frames(c, base, total, now);
    if (used < 0) return;
    keep_partial(c, base + used, total - (size_t)used);
    if ((size_t)r < room) return; /* drained: the next read would say EAGAIN */
  }
}

static int parse_status(const uint8_t *head, size_t n) {
  // "HTTP/1.1 101 Switching Protocols"
  const uint8_t *sp = memchr(head, ' ', n);
  if (n < 5 || !sp || (size_t)(head + n - sp) < 4 || memcmp(head, "HTTP/", 5) != 0) return -1;
  return (int)read_uint(sp + 1, head + n);
}

static void on_open(conn_t *c, const uint8_t *rest, size_t n) {
  inflight_remove(c - conns);
  settled++;
  opened++;
  c->st = C_OPEN;
  c->was_open = 1;
  buf_free(&c->in);
  if (opt.slow) {
    // The paused socket of client.mjs: never read again (the kernel's buffers fill, then the
    // server's). Bytes that came with the response are dropped unread, as a paused ws drops them.
    ep_set(c, 0);
    return;
  }
  ep_set(c, EPOLLIN);
  if (n > 0) {
    long used = parse_frames(c, rest, n, realtime_ns());
    if (used >= 0) keep_partial(c, rest + used, n - (size_t)used);
  }
}

static void read_handshake(conn_t *c) {
  for (;;) {
    buf_reserve(&c->in, c->in.len + 16384);
    ssize_t r = read(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (r < 0) {
      char why[200];
      snprintf(why, sizeof why, "handshake: %s", strerror(errno));
      return fail_open(c, why);
    }
    if (r == 0) return fail_open(c, "handshake: server closed the connection before answering");
    c->in.len += (size_t)r;
    const uint8_t *end = memmem(c->in.data, c->in.len, "\r\n\r\n", 4);
    if (!end) {
      if (c->in.len > MAX_RESPONSE_HEAD) return fail_open(c, "handshake: response head over 64 KiB");
      continue;
    }
    int status = parse_status(c->in.data, (size_t)(end - c->in.data));
    if (status != 101) {
      char why[200];
      if (status < 0) snprintf(why, sizeof why, "handshake: not an HTTP response");
      else snprintf(why, sizeof why, "Unexpected server response: %d", status);
      return fail_open(c, why);
    }
    size_t head = (size_t)(end - c->in.data) + 4;
    size_t n = c->in.len - head;
    uint8_t *rest = n ? malloc(n) : NULL;
    if (n && !rest) die("out of memory");
    if (n) memcpy(rest, c->in.data + head, n);
    on_open(c, rest, n);
    free(rest);
    return;
  }
}

static void base64(const uint8_t *in, size_t n, char *out) {
  static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
    out[o++] = t[v >> 18 & 63];
    out[o++] = t[v >> 12 & 63];
    out[o++] = i + 1 < n ? t[v >> 6 & 63] : '=';
    out[o++] = i + 2 < n ? t[v & 63] : '=';
  }
  out[o] = 0;
}

static void send_handshake(conn_t *c) {
  uint8_t raw[16];
  for (int i = 0; i < 16; i += 8) {
    uint64_t r = rng_next();
    memcpy(raw + i, &r, 8);
  }
  char key[32];
  base64(raw, 16, key);
  c->out.len = c->out_off = 0;
  buf_printf(&c->out,
             "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
             target.path, target.host_header, key);
  c->st = C_SENDING;
}

static void start_connect(conn_t *c);

/* The outcome of connect(): try the next address on failure, else send the upgrade request. */
static void connect_result(conn_t *c, int err) {
  if (!err) return send_handshake(c);
  char why[200], addr[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  const struct sockaddr *sa = c->addr->ai_addr;
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
    port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
    port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
  }
  snprintf(why, sizeof why, "connect %s port %d: %s", addr, port, strerror(err));
  if (!c->addr->ai_next) return fail_open(c, why);
  ep_set(c, 0);
  close(c->fd);
  c->fd = -1;
  c->addr = c->addr->ai_next;
  start_connect(c);
}

static void start_connect(conn_t *c) {
  c->fd = socket(c->addr->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    char why[200];
    snprintf(why, sizeof why, "socket: %s", strerror(errno));
    return fail_open(c, why);
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc;
  do rc = connect(c->fd, c->addr->ai_addr, c->addr->ai_addrlen);
  while (rc != 0 && errno == EINTR);
  c->st = C_CONNECTING;
  ep_set(c, EPOLLOUT); /* writable = connected (or failed: SO_ERROR says) */
  if (rc != 0 && errno != EINPROGRESS) connect_result(c, errno);
}

static void start_next(double now) {
  while (started < opt.connections && n_inflight < opt.open_concurrency) {
    conn_t *c = &conns[started];
    c->deadline = now + OPEN_TIMEOUT_S;
    inflight[n_inflight++] = started++;
    if (target.error[0]) {
      fail_open(c, target.error);
      continue;
    }
    c->addr = target.addrs;
    start_connect(c);
  }
}

static void on_conn_event(conn_t *c, uint32_t ev) {
  switch (c->st) {
  case C_CONNECTING: {
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    connect_result(c, err);
    if (c->st != C_SENDING) return;
    __attribute__((fallthrough)); /* connected: the socket is writable */
  }
  case C_SENDING:
    if (flush_out(c) != 0) {
      char why[200];
      snprintf(why, sizeof why, "handshake: %s", strerror(errno));
      return fail_open(c, why);
    }
    if (c->out.len == 0) {
      c->st = C_RECEIVING;
      ep_set(c, EPOLLIN);
    }
    return;
  case C_RECEIVING:
    return read_handshake(c);
  case C_OPEN:
    if (ev & EPOLLOUT) {
      if (flush_out(c) != 0) return end_open(c, 1006);
      if (c->out.len == 0) ep_set(c, EPOLLIN);
    }
    if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) read_open(c);
    return;
  default:
    return;
  }
}

/* ---------- control: ready, report, reset, exit ---------- */

static void print_ready(void) {
  buf_t b = {0};
  buf_printf(&b, "{\"type\":\"ready\",\"open\":%ld,\"failed\":%ld,\"failReasons\":{", opened, failed_count);
  for (int i = 0; i < n_reasons; i++) {
    if (i) buf_append(&b, ",", 1);
    buf_json_string(&b, reasons[i].text);
    buf_printf(&b, ":%ld", reasons[i].count);
  }
  buf_append(&b, "}}\n", 3);
  write_all(1, b.data, b.len);
  buf_free(&b);
}

static void print_report(void) {
  int64_t missed = 0;
  if (firehose)
    for (long i = 0; i < opt.connections; i++)
      if (conns[i].span.first_ring >= 0) missed += conns[i].span.last_ring - conns[i].span.first_ring + 1 - conns[i].span.events;
  buf_t b = {0};
  buf_printf(&b, "{\"type\":\"report\",\"connections\":%ld,\"failed\":%ld,\"closes\":{", opt.connections, failed_count);
  int first = 1;
  for (int code = 0; code < 65536; code++)
    if (closes[code]) {
      buf_printf(&b, "%s\"%d\":%" PRIu32, first ? "" : ",", code, closes[code]);
      first = 0;
    }
  buf_printf(&b,
             "},\"frames\":%" PRIu64 ",\"eventsFrames\":%" PRIu64 ",\"events\":%" PRId64 ",\"bytes\":%" PRIu64
             ",\"warnings\":%" PRIu64 ",\"droppedFrames\":%" PRIu64 ",\"otherWarnings\":%" PRIu64
             ",\"missedEvents\":%" PRId64 ",\"negativeLatencies\":%" PRIu64 ",\"latencyCounts\":[",
             meter.frames, meter.events_frames, meter.events, meter.bytes, meter.warnings, meter.dropped,
             meter.other_warnings, missed, meter.negative);
  first = 1;
  for (size_t i = 0; i < HIST_LEN; i++)
    if (hist[i]) {
      buf_printf(&b, "%s[%" PRIu64 ",%" PRIu64 "]", first ? "" : ",", hist_value(i), hist[i]);
      first = 0;
    }
  buf_append(&b, "]}\n", 3);
  write_all(1, b.data, b.len);
  buf_free(&b);
}

static void reset_window(void) {
  memset(&meter, 0, sizeof meter);
  memset(hist, 0, sizeof hist);
  memset(closes, 0, sizeof closes);
  for (long i = 0; i < opt.connections; i++) conns[i].span = (span_t){-1, -1, 0};
}

static void do_exit(void) {
  stopping = 1;
  for (long i = 0; i < opt.connections; i++)
    if (conns[i].fd >= 0) close(conns[i].fd);
  exit(0);
}

static void on_command(char *line) {
  char *s = line, *e = line + strlen(line);
  while (*s == ' ' || *s == '\t' || *s == '\r') s++;
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) *--e = 0;
  if (strcmp(s, "reset") == 0) reset_window();
  else if (strcmp(s, "report") == 0) print_report();
  else if (strcmp(s, "exit") == 0) do_exit();
}

static char line_buf[4096];
static size_t line_len;

/* Returns 0 at end of input. */
static int read_stdin(void) {
  ssize_t r;
  do r = read(0, line_buf + line_len, sizeof line_buf - 1 - line_len);
  while (r < 0 && errno == EINTR);
  if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1;
  if (r <= 0) return 0;
  line_len += (size_t)r;
  char *start = line_buf, *nl;
  while ((nl = memchr(start, '\n', line_len - (size_t)(start - line_buf)))) {
    *nl = 0;
    on_command(start);
    start = nl + 1;
  }
  line_len -= (size_t)(start - line_buf);
  memmove(line_buf, start, line_len);
  if (line_len == sizeof line_buf - 1) line_len = 0; /* an overlong line is no command */
  return 1;
}

int main(int argc, char **argv) {
  parse_options(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  // One descriptor per connection: lift the soft limit to the hard one, as Node does at start-up.
  struct rlimit nofile;
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  if (getrandom(&rng_state, sizeof rng_state, 0) != sizeof rng_state) rng_state = (uint64_t)realtime_ns();
  rng_state |= 1;
  resolve_target(opt.url);
  conns = calloc((size_t)opt.connections + 1, sizeof *conns);
  inflight = calloc((size_t)opt.open_concurrency, sizeof *inflight);
  if (!conns || !inflight) die("out of memory");
  for (long i = 0; i < opt.connections; i++) conns[i].fd = -1;
  reset_window();
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) die("epoll_create1: %s", strerror(errno));
  struct epoll_event sev = {.events = EPOLLIN, .data.u64 = STDIN_TAG};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &sev) != 0) {
    // stdin is a regular file or /dev/null (no epoll): its commands now, then its end = exit.
    while (read_stdin()) {
    }
    do_exit();
  }
  double t0 = mono_s(), end_at = t0 + opt.max_seconds, next_debug = t0 + 2;
  int ready_sent = 0, debug = getenv("BENCH_DEBUG") != NULL;
  struct epoll_event evs[256];
  for (;;) {
    double now = mono_s();
    if (now >= end_at) do_exit();
    start_next(now);
    for (long i = n_inflight - 1; i >= 0; i--) {
      if (i >= n_inflight) continue;
      conn_t *c = &conns[inflight[i]];
      if (now >= c->deadline) fail_open(c, "no open within 30 s");
    }
    start_next(now);
    if (!ready_sent && settled == opt.connections) {
      print_ready();
      ready_sent = 1;
    }
    if (debug && !ready_sent && now >= next_debug) {
      fprintf(stderr, "opened %ld failed %ld of %ld (started %ld)\n", opened, failed_count, opt.connections, started);
      next_debug = now + 2;
    }
    double wake = end_at;
    for (long i = 0; i < n_inflight; i++)
      if (conns[inflight[i]].deadline < wake) wake = conns[inflight[i]].deadline;
    if (debug && !ready_sent && next_debug < wake) wake = next_debug;
    double wait_ms = (wake - now) * 1000 + 1;
    int n = epoll_wait(epfd, evs, 256, wait_ms < 0 ? 0 : wait_ms > 60000 ? 60000 : (int)wait_ms);
    if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
      if (evs[i].data.u64 == STDIN_TAG) {
        if (!read_stdin()) do_exit();
        continue;
      }
      conn_t *c = &conns[evs[i].data.u64];
      if (c->fd >= 0) on_conn_event(c, evs[i].events);
    }
  }
}
