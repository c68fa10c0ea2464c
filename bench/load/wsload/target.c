// The target: ws://host[:port]/path?query (see target.h).
#define _GNU_SOURCE
#include "target.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

target_t target;

void resolve_target(const char *url) {
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
