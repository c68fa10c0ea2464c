// Data framing on open connections (see ws_frames.h). Small partial frames are copied in front of
// the next read into one shared scratch buffer; big ones get a buffer of their own, sized for the
// whole frame, and are read straight into it.
#define _GNU_SOURCE
#include "ws_frames.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "meter.h"

#define READ_CHUNK (256 * 1024)
/* A partial frame shorter than this is copied in front of the next read; longer ones are read
 * straight into the connection's own buffer, sized for the whole frame. */
#define SMALL_PARTIAL (64 * 1024)
#define MAX_MESSAGE (100u << 20) /* ws's default maxPayload: client.mjs closes 1009 beyond it */
#define MAX_PENDING_OUT (64 * 1024)

static uint8_t scratch[SMALL_PARTIAL + READ_CHUNK];

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
  if (flush_out(c) == 0 && c->out.len > 0 && !pool.slow) ep_set(c, EPOLLIN | EPOLLOUT);
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

/* Level-triggered epoll brings us back if a fair share was read and more is waiting. */
void read_open(conn_t *c) {
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

void read_early_frames(conn_t *c, const uint8_t *b, size_t n) {
  long used = parse_frames(c, b, n, realtime_ns());
  if (used >= 0) keep_partial(c, b + used, n - (size_t)used);
}
