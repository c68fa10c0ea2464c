// wsload's opening handshake (RFC 6455 §4.1): the upgrade request out, the 101 response in.
#ifndef WSLOAD_WS_HANDSHAKE_H
#define WSLOAD_WS_HANDSHAKE_H

#include "ws_conn.h"

/* Queues the upgrade request of a connected socket (C_SENDING); the caller flushes it. */
void send_handshake(conn_t *c);
/* Reads the response; on 101 the connection opens, otherwise it fails with the reason. */
void read_handshake(conn_t *c);

#endif
