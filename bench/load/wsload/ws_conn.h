// wsload's connections: the pool of --connections WebSocket client connections on one epoll
// instance, each going connect → send upgrade → read the 101 → open → done, with what the report
// needs (open/failed counts, failure reasons, close codes). ws_handshake.c and ws_frames.c do the
// wire work of the middle and open states.
#ifndef WSLOAD_WS_CONN_H
#define WSLOAD_WS_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "meter.h"
#include "util.h"

#define MAX_REASONS 32

struct addrinfo;

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

typedef struct {
  conn_t *conns;
  long connections, open_concurrency;
  int slow; /* --slow: open connections are never read (client.mjs's paused sockets) */
  int epfd;
  int stopping;
  long started, settled, opened, failed_count;
  long *inflight; /* indices of connections still opening: at most --open-concurrency */
  long n_inflight;
  struct {
    char text[200];
    long count;
  } reasons[MAX_REASONS];
  int n_reasons;
  uint32_t closes[65536];
} conn_pool_t;

extern conn_pool_t pool;

/* Allocates the connections (none started yet) and the epoll instance. */
void pool_init(long connections, long open_concurrency, int slow);
/* A new window: no close codes, no firehose spans. */
void pool_reset_window(void);
/* Starts connections while fewer than --open-concurrency are opening. */
void start_next(double now);
/* An epoll event on a connection. */
void on_conn_event(conn_t *c, uint32_t ev);

void ep_set(conn_t *c, uint32_t mask);
void inflight_remove(long idx);
void fail_open(conn_t *c, const char *why);
void end_open(conn_t *c, int code);
int flush_out(conn_t *c);

#endif
