// The opening handshake (see ws_handshake.h). Only the response's status line is checked (101);
// its headers, Sec-WebSocket-Accept included, are skipped.
#define _GNU_SOURCE
#include "ws_handshake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "target.h"
#include "ws_frames.h"

#define MAX_RESPONSE_HEAD (64 * 1024)

static int parse_status(const uint8_t *head, size_t n) {
  // "HTTP/1.1 101 Switching Protocols"
  const uint8_t *sp = memchr(head, ' ', n);
  if (n < 5 || !sp || (size_t)(head + n - sp) < 4 || memcmp(head, "HTTP/", 5) != 0) return -1;
  return (int)read_uint(sp + 1, head + n);
}

static void on_open(conn_t *c, const uint8_t *rest, size_t n) {
  inflight_remove(c - pool.conns);
  pool.settled++;
  pool.opened++;
  c->st = C_OPEN;
  c->was_open = 1;
  buf_free(&c->in);
  if (pool.slow) {
    // The paused socket of client.mjs: never read again (the kernel's buffers fill, then the
    // server's). Bytes that came with the response are dropped unread, as a paused ws drops them.
    ep_set(c, 0);
    return;
  }
  ep_set(c, EPOLLIN);
  if (n > 0) read_early_frames(c, rest, n);
}

void read_handshake(conn_t *c) {
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

void send_handshake(conn_t *c) {
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
