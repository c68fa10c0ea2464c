// The connection pool and each connection's life (see ws_conn.h): connect (trying every address),
// open timeouts via deadlines, failure reasons, close codes, and the epoll interest of each state.
#define _GNU_SOURCE
#include "ws_conn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "target.h"
#include "ws_frames.h"
#include "ws_handshake.h"

#define OPEN_TIMEOUT_S 30.0

conn_pool_t pool;

void pool_init(long connections, long open_concurrency, int slow) {
  pool.connections = connections;
  pool.open_concurrency = open_concurrency;
  pool.slow = slow;
  pool.conns = calloc((size_t)connections + 1, sizeof *pool.conns);
  pool.inflight = calloc((size_t)open_concurrency, sizeof *pool.inflight);
  if (!pool.conns || !pool.inflight) die("out of memory");
  for (long i = 0; i < connections; i++) pool.conns[i].fd = -1;
  pool.epfd = epoll_create1(EPOLL_CLOEXEC);
  if (pool.epfd < 0) die("epoll_create1: %s", strerror(errno));
}

void pool_reset_window(void) {
  memset(pool.closes, 0, sizeof pool.closes);
  for (long i = 0; i < pool.connections; i++) pool.conns[i].span = (span_t){-1, -1, 0};
}

static void fail_reason(const char *why) {
  pool.failed_count++;
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < pool.n_reasons; i++)
      if (strcmp(pool.reasons[i].text, why) == 0) {
        pool.reasons[i].count++;
        return;
      }
    if (pool.n_reasons < MAX_REASONS - 1) break;
    why = "other reasons"; /* the last slot takes every further kind */
  }
  snprintf(pool.reasons[pool.n_reasons].text, sizeof pool.reasons[pool.n_reasons].text, "%s", why);
  pool.reasons[pool.n_reasons++].count = 1;
}

void ep_set(conn_t *c, uint32_t mask) {
  if (c->events_mask == mask) return;
  struct epoll_event ev = {.events = mask, .data.u64 = (uint64_t)(c - pool.conns)};
  int op = c->events_mask == 0 ? EPOLL_CTL_ADD : mask == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
  if (epoll_ctl(pool.epfd, op, c->fd, &ev) != 0) die("epoll_ctl: %s", strerror(errno));
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

void inflight_remove(long idx) {
  for (long i = 0; i < pool.n_inflight; i++)
    if (pool.inflight[i] == idx) {
      pool.inflight[i] = pool.inflight[--pool.n_inflight];
      return;
    }
}

/* A connection that never opened: counted with its reason. */
void fail_open(conn_t *c, const char *why) {
  release(c);
  inflight_remove(c - pool.conns);
  pool.settled++;
  fail_reason(why);
}

/* An open connection ended: its close code counts unless we ended it (exit). */
void end_open(conn_t *c, int code) {
  if (c->was_open && !pool.stopping) pool.closes[code]++;
  release(c);
}

/* Flushes c->out; returns -1 if the socket failed. */
int flush_out(conn_t *c) {
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

void start_next(double now) {
  while (pool.started < pool.connections && pool.n_inflight < pool.open_concurrency) {
    conn_t *c = &pool.conns[pool.started];
    c->deadline = now + OPEN_TIMEOUT_S;
    pool.inflight[pool.n_inflight++] = pool.started++;
    if (target.error[0]) {
      fail_open(c, target.error);
      continue;
    }
    c->addr = target.addrs;
    start_connect(c);
  }
}

void on_conn_event(conn_t *c, uint32_t ev) {
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
