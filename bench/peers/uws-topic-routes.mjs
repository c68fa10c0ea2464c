// The uWS peers' WebSocket routes: every path of ours (PATHS), each connection subscribed to its
// channel's topic, with uWS skipping a subscriber only past 64 MiB of backpressure (as ours).
import { PATHS } from "./ring-feed.mjs";

/** Mounts the routes on `app`; `joined(channel, +1 | -1)` is told of every open and close. */
export function mountTopicRoutes(app, joined) {
  for (const [path, channel] of Object.entries(PATHS)) {
    app.ws(path, {
      maxBackpressure: 64 * 1024 * 1024,
      maxPayloadLength: 64 * 1024,
      idleTimeout: 120,
      open: (ws) => {
        ws.subscribe(channel);
        joined(channel, 1);
      },
      close: () => joined(channel, -1),
    });
  }
}
