// A load generator process: opens N connections to one URL and meters every frame they get
// (frame-meter.mjs). Driven over stdin/stdout by fleet.mjs, one JSON line each way:
//   stdout {"type":"ready", open, failed, failReasons}   once every connection opened or failed
//          (each settles within 30 s; 32 are opened at a time)
//   stdin  "reset"    start the measurement window (zero counters and the histogram)
//   stdin  "report"   → stdout {"type":"report", ...window totals, closes}
//   stdin  "exit"     close everything and exit (so does stdin closing, or --max-seconds passing)
//
//   node bench/load/client.mjs --url ws://127.0.0.1:P/v1/ws/blocks --connections 250
//        [--protocol ws|socketio] [--channel blocks] [--slow] [--max-seconds 600]
// --slow pauses every socket once open (reads nothing): the slow clients of the isolation scenario.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { io } from "socket.io-client";
import { connectionState, FrameMeter } from "./frame-meter.mjs";

const { values: o } = parseArgs({
  options: {
    url: { type: "string" },
    connections: { type: "string", default: "1" },
    protocol: { type: "string", default: "ws" },
    channel: { type: "string", default: "all" },
    slow: { type: "boolean", default: false },
    "max-seconds": { type: "string", default: "600" },
    "open-concurrency": { type: "string", default: "32" },
  },
});
const n = Number(o.connections);
const OPEN_TIMEOUT_MS = 30_000;
const meter = new FrameMeter({ firehose: o.channel === "all" });
const states = [];
const conns = [];
const closes = {};
let failed = 0;
const failReasons = {};
function fail(reason) {
  failed++;
  failReasons[reason] = (failReasons[reason] ?? 0) + 1;
}
let stopping = false;

function send(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

/** One connection; resolves when open (true) or failed (false): always, within OPEN_TIMEOUT_MS. */
function open() {
  const state = connectionState();
  states.push(state);
  let wasOpen = false;
  let settled = false;
  let closeThis = () => {};
  return new Promise((resolve) => {
    const settle = (ok, failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      if (failure) fail(failure);
      resolve(ok);
    };
    const watchdog = setTimeout(() => {
      settle(false, `no open within ${OPEN_TIMEOUT_MS / 1000} s`);
      closeThis();
    }, OPEN_TIMEOUT_MS);
    const opened = () => {
      wasOpen = true;
      settle(true);
    };
    // Closes that matter: of connections that were open, before we ended them.
    const closed = (code) => {
      if (wasOpen && !stopping) closes[code] = (closes[code] ?? 0) + 1;
      settle(false, `closed before open (${code})`);
    };
    if (o.protocol === "socketio") {
      // forceNew: one engine.io connection per client (the default multiplexes all over one).
      const s = io(o.url, { transports: ["websocket"], query: { channel: o.channel }, forceNew: true, reconnection: false, timeout: 20_000 });
      closeThis = () => s.disconnect();
      s.on("connect", opened);
      s.on("connect_error", (err) => settle(false, `socket.io: ${err.message}${err.description ? ` (${err.description.message ?? err.description})` : ""}`));
      s.on("disconnect", (reason) => closed(reason));
      s.on("frame", (data) => meter.onFrame(Buffer.isBuffer(data) ? data : Buffer.from(data), state));
    } else {
      // No UTF-8 validation: it costs the client a pass over every byte and measures nothing of the server.
      const ws = new WebSocket(o.url, { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 20_000 });
      closeThis = () => ws.terminate();
      ws.on("open", () => {
        if (o.slow) ws._socket.pause();
        opened();
      });
      ws.on("message", (data) => meter.onFrame(data, state));
      ws.on("error", (err) => settle(false, `ws: ${err.message}`));
      ws.on("close", (code) => closed(code));
    }
    conns.push({ close: () => closeThis() });
  });
}

async function openAll() {
  const concurrency = Number(o["open-concurrency"]);
  let next = 0;
  let opened = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      if (await open()) opened++;
    }
  };
  // BENCH_DEBUG=1: progress on stderr (the fleet shows it when a process is not ready in time).
  const tick = process.env.BENCH_DEBUG ? setInterval(() => process.stderr.write(`opened ${opened} failed ${failed} of ${n} (started ${next}) ${JSON.stringify(failReasons)}\n`), 2000) : null;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  if (tick) clearInterval(tick);
  send({ type: "ready", open: opened, failed, failReasons });
}

function exit() {
  stopping = true;
  for (const c of conns) c.close();
  process.exit(0);
}

createInterface({ input: process.stdin })
  .on("line", (line) => {
    const cmd = line.trim();
    if (cmd === "reset") {
      meter.reset(states);
      for (const k of Object.keys(closes)) delete closes[k];
    } else if (cmd === "report") send({ type: "report", connections: n, failed, closes, ...meter.summary(states) });
    else if (cmd === "exit") exit();
  })
  .on("close", exit);
setTimeout(exit, Number(o["max-seconds"]) * 1000).unref();
openAll();
