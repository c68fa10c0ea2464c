// Experiment peer: uWS `publish` over several threads. The main thread runs our ingest (ring-feed.mjs)
// and posts each frame's bytes to N worker threads; each worker has its own uWS App on the same port
// (SO_REUSEPORT: the kernel spreads connections over the listeners) and publishes to its own
// subscribers. It asks whether the 1,000-client cost (one thread writing 1,000 sockets per frame)
// splits over threads on this machine, before the gateway is built that way. Not in the default
// server list; `--servers uws,uwsmt`. Workers answer /v1/status from a snapshot the main thread
// posts every 20 ms.
//   node bench/peers/uws-mt-peer.mjs --ring <path> [--threads 2]
import net from "node:net";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { announcePort, exitWithParent, ringArg, startRingFeed } from "./ring-feed.mjs";
import { mountTopicRoutes } from "./uws-topic-routes.mjs";

const { uws } = await import(fileURLToPath(new URL("../../gateway/dist/transport/uws.js", import.meta.url)));

if (isMainThread) await main();
else worker();

async function main() {
  const i = process.argv.indexOf("--threads");
  const threads = i > 0 ? Number(process.argv[i + 1]) : 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 16) {
    process.stderr.write(`uws-mt peer: --threads takes an integer from 1 to 16, got ${process.argv[i + 1]}\n`);
    process.exit(2);
  }
  const port = await freePort();
  const subscribers = new Map(); // channel -> count over all workers
  const workers = [];
  let ready = 0;
  for (let w = 0; w < threads; w++) {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { port } });
    worker.on("message", (m) => {
      if (m.type === "subscribers") subscribers.set(m.channel, (subscribers.get(m.channel) ?? 0) + m.delta);
      else if (m.type === "listening" && ++ready === threads) announcePort("uws-mt peer", port);
      else if (m.type === "error") {
        process.stderr.write(`uws-mt peer: ${m.message}\n`);
        process.exit(1);
      }
    });
    workers.push(worker);
  }
  const feed = await startRingFeed(ringArg(), {
    wanted: (ch) => (subscribers.get(ch) ?? 0) > 0,
    deliver: (ch, bytes) => {
      // A view of a 4 MiB slab: copy just the frame, once per worker (each transfers its own).
      for (const w of workers) {
        const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
        w.postMessage({ type: "frame", channel: ch, bytes: ab }, [ab]);
      }
    },
  });
  const clients = () => [...subscribers.values()].reduce((a, b) => a + b, 0);
  const status = setInterval(() => {
    const s = feed.status(clients());
    for (const w of workers) w.postMessage({ type: "status", status: s });
  }, 20);
  exitWithParent(() => {
    clearInterval(status);
    feed.stop();
    for (const w of workers) w.postMessage({ type: "stop" });
  });
}

function worker() {
  const app = uws.App();
  let status = null;
  mountTopicRoutes(app, (channel, delta) => parentPort.postMessage({ type: "subscribers", channel, delta }));
  app.get("/v1/status", (res) => {
    res.writeHeader("content-type", "application/json").end(JSON.stringify(status ?? {}));
  });
  let listenSocket = null;
  app.listen("127.0.0.1", workerData.port, (s) => {
    if (!s) return parentPort.postMessage({ type: "error", message: `cannot listen on 127.0.0.1:${workerData.port}` });
    listenSocket = s;
    parentPort.postMessage({ type: "listening" });
  });
  parentPort.on("message", (m) => {
    if (m.type === "frame") app.publish(m.channel, m.bytes, false);
    else if (m.type === "status") status = m.status;
    else if (m.type === "stop") {
      if (listenSocket) uws.us_listen_socket_close(listenSocket);
      app.close?.();
      parentPort.close();
    }
  });
}

/** A port free right now (the workers then bind it together with SO_REUSEPORT). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
