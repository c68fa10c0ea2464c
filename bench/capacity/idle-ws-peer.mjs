// The peer for idle-connection memory: a plain `ws` server that accepts connections and does nothing.
import { WebSocketServer } from "ws";

const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
wss.on("listening", () => process.stdout.write(`listening on port ${wss.address().port}\n`));
wss.on("connection", (ws) => ws.on("error", () => {}));
