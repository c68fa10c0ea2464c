// wsload's data framing (RFC 6455 §5) on open connections: reading and parsing server frames
// (7/16/64-bit lengths, fragmented messages reassembled, ping → pong, close answered), failing
// protocol violations as ws does, and handing each complete message to the meter.
#ifndef WSLOAD_WS_FRAMES_H
#define WSLOAD_WS_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "ws_conn.h"

/* Reads an open connection until the kernel has nothing more (or a fair share has been read). */
void read_open(conn_t *c);
/* Frames that came in the same read as the handshake response. */
void read_early_frames(conn_t *c, const uint8_t *b, size_t n);

#endif
