// The servers compared: our gateway and the three peers (bench/peers/), each its own process on a
// free port (they listen on port 0 and print the port), all reading the same kind of ring.
import { fileURLToPath } from "node:url";
import { startChild, stopChild, watchOutput } from "./children.mjs";
import { procStats } from "./proc-stats.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

export const SERVER_NAMES = {
  ours: "our gateway",
  ws: "ws peer (Set + send loop)",
  socketio: "Socket.IO peer (rooms)",
  uws: "uWS publish peer (upper bound)",
};

const COMMANDS = {
  // Per-IP limit raised: every load-generator connection comes from 127.0.0.1.
  ours: (ring) => [`${root}gateway/bin/monad-gateway.js`, "serve", "--ring", ring, "--host", "127.0.0.1", "--port", "0", "--log-level", "warn",
    "--max-connections-per-ip", "20000"],
  ws: (ring) => [`${root}bench/peers/ws-peer.mjs`, "--ring", ring],
  socketio: (ring) => [`${root}bench/peers/socketio-peer.mjs`, "--ring", ring],
  uws: (ring) => [`${root}bench/peers/uws-peer.mjs`, "--ring", ring],
};

const PATHS = { all: "/v1/ws", blocks: "/v1/ws/blocks", txs: "/v1/ws/txs", contention: "/v1/ws/contention", lifecycle: "/v1/ws/lifecycle" };

/** Starts server `kind` on `ring`; it is killed by `deadlineS` at the latest. `nodeArgs` e.g. --cpu-prof. */
export async function startServer(kind, ring, { deadlineS, nodeArgs = [] }) {
  const proc = await startChild("node", [...nodeArgs, ...COMMANDS[kind](ring)], { deadlineS });
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
    async status() {
      const res = await fetch(`${base}/v1/status`, { signal: AbortSignal.timeout(5000) });
      return res.json();
    },
    proc: () => procStats(proc.pid),
    stderrTail: () => err.tail(),
    stop: () => stopChild(proc, 5000),
  };
}
