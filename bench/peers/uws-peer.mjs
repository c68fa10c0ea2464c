// Peer (c): uWebSockets.js pub/sub: one topic per channel, `app.publish(topic, bytes)`. No filtering
// and no per-client state in JavaScript: the transport's upper bound for our fan-out. uWS skips a
// subscriber whose backpressure exceeds maxBackpressure (set as high as ours, 64 MiB).
//   node bench/peers/uws-peer.mjs --ring <path>
import { fileURLToPath } from "node:url";
import { announcePort, exitWithParent, ringArg, startRingFeed } from "./ring-feed.mjs";
import { mountTopicRoutes } from "./uws-topic-routes.mjs";

// uWS is loaded only through the gateway's one module that loads it.
const { uws } = await import(fileURLToPath(new URL("../../gateway/dist/transport/uws.js", import.meta.url)));

const app = uws.App();
let clients = 0;
mountTopicRoutes(app, (_channel, delta) => (clients += delta));
app.get("/v1/status", (res) => {
  res.writeHeader("content-type", "application/json").end(JSON.stringify(feed.status(clients)));
});

const feed = await startRingFeed(ringArg(), {
  wanted: (ch) => app.numSubscribers(ch) > 0,
  deliver: (ch, bytes) => app.publish(ch, bytes, false),
});
let listenSocket = null;
app.listen("127.0.0.1", 0, (s) => {
  if (!s) throw new Error("uws peer: cannot listen on 127.0.0.1");
  listenSocket = s;
  announcePort("uws peer", uws.us_socket_local_port(s));
});
exitWithParent(() => {
  feed.stop();
  if (listenSocket) uws.us_listen_socket_close(listenSocket);
});
