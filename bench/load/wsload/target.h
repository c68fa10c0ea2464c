// wsload's target: the ws://host[:port]/path?query URL, parsed and resolved once at start-up.
// A URL that cannot be used is not fatal: every connection fails with `error` as its reason, and
// the ready line says so, as client.mjs's would.
#ifndef WSLOAD_TARGET_H
#define WSLOAD_TARGET_H

struct addrinfo;

typedef struct {
  char host_header[300];
  char path[4096];
  struct addrinfo *addrs;
  char error[300]; /* set when the URL cannot be used: every connection fails with it */
} target_t;

extern target_t target;

void resolve_target(const char *url);

#endif
