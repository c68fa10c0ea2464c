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
// This file: the options, the control protocol on stdin/stdout, and the event loop. The rest:
// util (buffers, clocks), histogram + meter (accounting), target (the URL), ws_conn (connections),
// ws_handshake and ws_frames (the wire).
// Build: cc -O2 -Wall -Wextra -o wsload *.c   (libc only; bench/load/native-client.mjs does it)
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "histogram.h"
#include "meter.h"
#include "target.h"
#include "util.h"
#include "ws_conn.h"

#define STDIN_TAG UINT64_MAX

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
  meter.firehose = strcmp(opt.channel, "all") == 0;
}

/* ---------- control: ready, report, reset, exit ---------- */

static void print_ready(void) {
  buf_t b = {0};
  buf_printf(&b, "{\"type\":\"ready\",\"open\":%ld,\"failed\":%ld,\"failReasons\":{", pool.opened, pool.failed_count);
  for (int i = 0; i < pool.n_reasons; i++) {
    if (i) buf_append(&b, ",", 1);
    buf_json_string(&b, pool.reasons[i].text);
    buf_printf(&b, ":%ld", pool.reasons[i].count);
  }
  buf_append(&b, "}}\n", 3);
  write_all(1, b.data, b.len);
  buf_free(&b);
}

static void print_report(void) {
  int64_t missed = 0;
  if (meter.firehose)
    for (long i = 0; i < opt.connections; i++) {
      const span_t *s = &pool.conns[i].span;
      if (s->first_ring >= 0) missed += s->last_ring - s->first_ring + 1 - s->events;
    }
  buf_t b = {0};
  buf_printf(&b, "{\"type\":\"report\",\"connections\":%ld,\"failed\":%ld,\"closes\":{", opt.connections, pool.failed_count);
  int first = 1;
  for (int code = 0; code < 65536; code++)
    if (pool.closes[code]) {
      buf_printf(&b, "%s\"%d\":%" PRIu32, first ? "" : ",", code, pool.closes[code]);
      first = 0;
    }
  const meter_counts_t *m = &meter.count;
  buf_printf(&b,
             "},\"frames\":%" PRIu64 ",\"eventsFrames\":%" PRIu64 ",\"events\":%" PRId64 ",\"bytes\":%" PRIu64
             ",\"warnings\":%" PRIu64 ",\"droppedFrames\":%" PRIu64 ",\"otherWarnings\":%" PRIu64
             ",\"missedEvents\":%" PRId64 ",\"negativeLatencies\":%" PRIu64 ",\"latencyCounts\":[",
             m->frames, m->events_frames, m->events, m->bytes, m->warnings, m->dropped, m->other_warnings, missed,
             m->negative);
  hist_append_counts(&b);
  buf_append(&b, "]}\n", 3);
  write_all(1, b.data, b.len);
  buf_free(&b);
}

static void reset_window(void) {
  meter_reset();
  pool_reset_window();
}

static void do_exit(void) {
  pool.stopping = 1;
  for (long i = 0; i < opt.connections; i++)
    if (pool.conns[i].fd >= 0) close(pool.conns[i].fd);
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

/* ---------- the event loop ---------- */

int main(int argc, char **argv) {
  parse_options(argc, argv);
  signal(SIGPIPE, SIG_IGN);
  // One descriptor per connection: lift the soft limit to the hard one, as Node does at start-up.
  struct rlimit nofile;
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  rng_seed();
  resolve_target(opt.url);
  pool_init(opt.connections, opt.open_concurrency, opt.slow);
  reset_window();
  struct epoll_event sev = {.events = EPOLLIN, .data.u64 = STDIN_TAG};
  if (epoll_ctl(pool.epfd, EPOLL_CTL_ADD, 0, &sev) != 0) {
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
    for (long i = pool.n_inflight - 1; i >= 0; i--) {
      if (i >= pool.n_inflight) continue;
      conn_t *c = &pool.conns[pool.inflight[i]];
      if (now >= c->deadline) fail_open(c, "no open within 30 s");
    }
    start_next(now);
    if (!ready_sent && pool.settled == opt.connections) {
      print_ready();
      ready_sent = 1;
    }
    if (debug && !ready_sent && now >= next_debug) {
      fprintf(stderr, "opened %ld failed %ld of %ld (started %ld)\n", pool.opened, pool.failed_count, opt.connections,
              pool.started);
      next_debug = now + 2;
    }
    double wake = end_at;
    for (long i = 0; i < pool.n_inflight; i++)
      if (pool.conns[pool.inflight[i]].deadline < wake) wake = pool.conns[pool.inflight[i]].deadline;
    if (debug && !ready_sent && next_debug < wake) wake = next_debug;
    double wait_ms = (wake - now) * 1000 + 1;
    int n = epoll_wait(pool.epfd, evs, 256, wait_ms < 0 ? 0 : wait_ms > 60000 ? 60000 : (int)wait_ms);
    if (n < 0 && errno != EINTR) die("epoll_wait: %s", strerror(errno));
    for (int i = 0; i < n; i++) {
      if (evs[i].data.u64 == STDIN_TAG) {
        if (!read_stdin()) do_exit();
        continue;
      }
      conn_t *c = &pool.conns[evs[i].data.u64];
      if (c->fd >= 0) on_conn_event(c, evs[i].events);
    }
  }
}
