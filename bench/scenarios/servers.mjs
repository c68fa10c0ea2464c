// The servers compared: our gateway and the three peers (bench/peers/), each its own process on a
// free port (they listen on port 0 and print the port), all reading the same kind of ring.
import { get } from "node:http";
import { fileURLToPath } from "node:url";
import { startChild, stopChild, watchOutput } from "./children.mjs";
import { procStats } from "./proc-stats.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

export const SERVER_NAMES = {
  ours: "our gateway",
  ws: "ws peer (Set + send loop)",
  socketio: "Socket.IO peer (rooms)",
  uws: "uWS publish peer (upper bound)",
  uwsmt: "uWS publish over 2 threads (experiment)",
};

const COMMANDS = {
  // Per-IP limit raised: every load-generator connection comes from 127.0.0.1.
  ours: (ring) => [`${root}gateway/bin/monad-gateway.js`, "serve", "--ring", ring, "--host", "127.0.0.1", "--port", "0", "--log-level", "warn",
    "--max-connections-per-ip", "20000"],
  ws: (ring) => [`${root}bench/peers/ws-peer.mjs`, "--ring", ring],
  socketio: (ring) => [`${root}bench/peers/socketio-peer.mjs`, "--ring", ring],
  uws: (ring) => [`${root}bench/peers/uws-peer.mjs`, "--ring", ring],
  uwsmt: (ring) => [`${root}bench/peers/uws-mt-peer.mjs`, "--ring", ring, "--threads", "2"],
};

const PATHS = { all: "/v1/ws", blocks: "/v1/ws/blocks", txs: "/v1/ws/txs", contention: "/v1/ws/contention", lifecycle: "/v1/ws/lifecycle" };

/**
 * Starts server `kind` on `ring`; it is killed by `deadlineS` at the latest. `nodeArgs` go to node
 * (e.g. --cpu-prof), `serverArgs` to the server (e.g. our --resume-buffer-mib).
 */
export async function startServer(kind, ring, { deadlineS, nodeArgs = [], serverArgs = [] }) {
  const proc = await startChild("node", [...nodeArgs, ...COMMANDS[kind](ring), ...serverArgs], { deadlineS });
  const err = watchOutput(proc.child.stderr, SERVER_NAMES[kind]);
  watchOutput(proc.child.stdout, SERVER_NAMES[kind]);
  let port;
  try {
    port = Number((await err.waitFor(/listening on port (\d+)/, 15_000))[1]);
  } catch (e) {
    await stopChild(proc);
    throw e;
  }
  const base = `http://127.0.0.1:${port}`;
  return {
    kind,
    name: SERVER_NAMES[kind],
    pid: proc.pid,
    port,
    /** Where a client of `channel` connects, and with which client library. */
    endpoint: (channel) =>
      kind === "socketio" ? { protocol: "socketio", url: base } : { protocol: "ws", url: `ws://127.0.0.1:${port}${PATHS[channel]}` },
    /** /v1/status (ours) or the peer's subset of it: ring.last_seqno, ring.lag_events, connected_clients. */
    status: () => getJson(`${base}/v1/status`),
    proc: () => procStats(proc.pid),
    stderrTail: () => err.tail(),
    stop: () => stopChild(proc, 5000),
  };
}

/**
 * GET with "Connection: close" (no agent): a kept-alive connection would hold our gateway's shutdown
 * until the client side drops it (fetch keeps connections 4 s), as it waits for open HTTP sockets.
 */
function getJson(url) {
  return new Promise((resolve, reject) => {
    // 15 s: an overloaded peer (Socket.IO with 1,000 clients) can leave its event loop busy that long.
    const req = get(url, { agent: false, timeout: 15_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => {
        try {
          resolve(JSON.parse(body));
        } catch (err) {
          reject(new Error(`${url}: not JSON (HTTP ${res.statusCode}): ${body.slice(0, 200)}`));
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`${url}: no answer in 15 s`)));
    req.on("error", reject);
  });
}
