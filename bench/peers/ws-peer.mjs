// Peer (a): fan-out the way most Node programs write it with `ws`: a Set of sockets per path and
// `for (const c of set) c.send(bytes)` on every frame. No backpressure policy beyond ws's own
// buffering: a slow client's frames pile up in its socket's write buffer, without bound.
//   node bench/peers/ws-peer.mjs --ring <path>
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { announcePort, exitWithParent, PATHS, ringArg, startRingFeed } from "./ring-feed.mjs";

const sets = new Map(Object.values(PATHS).map((ch) => [ch, new Set()]));
let clients = 0;

const http = createServer((req, res) => {
  if (req.url === "/v1/status") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(feed.status(clients, { queued_bytes: queuedBytes() })));
  } else res.writeHead(404).end();
});
// perMessageDeflate off: our gateway has no compression either.
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, clientTracking: false });
wss.on("connection", (ws, req) => {
  const channel = PATHS[req.url.split("?")[0]];
  if (!channel) return ws.close(1008, "unknown path");
  const set = sets.get(channel);
  set.add(ws);
  clients++;
  ws.on("close", () => {
    set.delete(ws);
    clients--;
  });
  ws.on("error", () => {});
});

/** Bytes ws holds for its clients (sent but not yet taken by the kernel). */
function queuedBytes() {
  let n = 0;
  for (const set of sets.values()) for (const c of set) n += c.bufferedAmount;
  return n;
}

const feed = await startRingFeed(ringArg(), {
  wanted: (ch) => sets.get(ch).size > 0,
  deliver(ch, bytes) {
    // Text frames, like our gateway's, so clients see the same messages.
    for (const c of sets.get(ch)) c.send(bytes, { binary: false });
  },
});
http.listen(0, "127.0.0.1", () => announcePort("ws peer", http.address().port));
exitWithParent(() => feed.stop());
