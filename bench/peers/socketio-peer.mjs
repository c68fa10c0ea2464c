// Peer (b): Socket.IO, one room per channel, `io.to(room).emit("frame", bytes)`. Clients connect with
// socket.io-client over the websocket transport only, passing the channel as ?channel=<name>.
// Socket.IO buffers for a slow client without bound (engine.io's write buffer).
//   node bench/peers/socketio-peer.mjs --ring <path>
import { createServer } from "node:http";
import { Server } from "socket.io";
import { announcePort, exitWithParent, PATHS, ringArg, startRingFeed } from "./ring-feed.mjs";

const CHANNELS = new Set(Object.values(PATHS));
const http = createServer((req, res) => {
  if (req.url === "/v1/status") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(feed.status(io.engine.clientsCount)));
  } else if (!req.url.startsWith("/socket.io/")) res.writeHead(404).end();
});
const io = new Server(http, { transports: ["websocket"], serveClient: false, perMessageDeflate: false });
io.on("connection", (socket) => {
  const channel = String(socket.handshake.query.channel ?? "all");
  if (!CHANNELS.has(channel)) return socket.disconnect(true);
  socket.join(channel);
});

const rooms = io.of("/").adapter.rooms;
const feed = await startRingFeed(ringArg(), {
  wanted: (ch) => (rooms.get(ch)?.size ?? 0) > 0,
  deliver: (ch, bytes) => io.to(ch).emit("frame", bytes),
});
http.listen(0, "127.0.0.1", () => announcePort("socket.io peer", http.address().port));
exitWithParent(() => {
  feed.stop();
  io.close();
});
