// What every peer server runs instead of our hub: our own ingest (RingReader + Pipeline from
// gateway/dist, reading the same ring with the same poll loop as gateway.ts), handing each frame's
// bytes per channel to the peer's own fan-out. So a peer sends exactly the bytes our gateway would
// send a client of that channel, and only the fan-out differs.
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../../gateway/dist/", import.meta.url));
const { RingReader, PollStatus } = await import(`${dist}ring/ring-reader.js`);
const { Pipeline } = await import(`${dist}server/pipeline.js`);
const { ResumeBuffer } = await import(`${dist}broadcast/resume-buffer.js`);
const { bytesFor } = await import(`${dist}broadcast/variants.js`);
const { compileSubscription, channelDefault, CHANNELS } = await import(`${dist}broadcast/subscription.js`);
const { GatewayMetrics } = await import(`${dist}transport/metrics.js`);

/** The URL paths our gateway serves, so clients use the same URLs for a peer. */
export const PATHS = { "/": "all", "/v1/ws": "all", "/v1/ws/blocks": "blocks", "/v1/ws/txs": "txs", "/v1/ws/contention": "contention", "/v1/ws/lifecycle": "lifecycle" };

// gateway.ts: spin on setImmediate for 2 ms after the last event, then wait on the ring
// (RingReader.waitForEvents, a worker thread), 8 polls of up to 4,096 events per turn, 256 events per
// frame; the same values, so ingest costs, wake-up latency and batching match ours.
const SPIN_MS = 2;
const IDLE_WAIT_MS = 100;
const POLLS_PER_TURN = 8;
const PIPELINE_OPTIONS = { maxEventsPerFrame: 256, maxEventsPerPoll: 4096 };

/**
 * Reads `ringPath` and calls `deliver(channel, bytes)` for every frame and every channel for which
 * `wanted(channel)` is true (a channel with no clients costs nothing, as in our hub) and the frame
 * has something (bytes are computed once per frame and channel, then fanned out by the caller).
 */
export async function startRingFeed(ringPath, { wanted, deliver }) {
  const subs = CHANNELS.map((ch) => [ch, compileSubscription(channelDefault(ch))]);
  // The pipeline needs a hub with a buffer, but peers offer no resume: they keep only the last 1,024
  // frames (the pipeline itself holds what min_stage releases need). So a peer's memory is what its
  // fan-out holds: frames a slow client has not taken stay alive only through its socket's queue.
  const buffer = new ResumeBuffer({ maxFrames: 1024, maxBytes: 1024 * 1024 * 1024 });
  const standInHub = {
    buffer,
    publish(frame) {
      buffer.append(frame);
      for (const [ch, sub] of subs) {
        if (!wanted(ch)) continue;
        const bytes = bytesFor(frame, sub, buffer);
        if (bytes) deliver(ch, bytes, frame);
      }
    },
    flush() {}, // peers send each frame as it is published: nothing is held
  };
  let ringLost = 0;
  const pipeline = new Pipeline(standInHub, new GatewayMetrics(), {
    ringLoss: (_type, lost) => (ringLost += lost),
    decodeError: () => {},
  }, PIPELINE_OPTIONS);

  const reader = await openWhenReady(ringPath);
  let lag = 0;
  let stopped = false;
  const poll = () => {
    if (stopped) return;
    let busy = false;
    for (let i = 0; i < POLLS_PER_TURN; i++) {
      const b = reader.poll(PIPELINE_OPTIONS.maxEventsPerPoll);
      if (b.count > 0) {
        pipeline.ingest(b);
        busy = true;
      } else if (pipeline.idle()) busy = true; // as our gateway does: a block's summaries and deferred JSON are done in the ring's gaps
      lag = Math.max(0, b.writerLastSeqno - (b.nextSeqno - 1));
      if (b.status === PollStatus.Ok) continue;
      if (pipeline.lost(b)) {
        reader.seek("block_start");
        pipeline.resync();
        busy = true;
        continue;
      }
      break;
    }
    if (busy || Date.now() - pipeline.lastEventWallMs < SPIN_MS) setImmediate(poll);
    else reader.waitForEvents(IDLE_WAIT_MS).then(poll, () => setTimeout(poll, 1));
  };
  poll();
  return {
    /** The fields of our /v1/status that the benchmark reads, plus what only a peer knows. */
    status: (connectedClients, extra = {}) => ({
      connected_clients: connectedClients,
      ...extra,
      server_seqno: buffer.newest,
      events_in: pipeline.eventsIn,
      ring_lost_events: ringLost,
      ring: { path: reader.path, lag_events: lag, last_seqno: reader.info().lastSeqno },
    }),
    stop() {
      stopped = true;
      reader.close();
    },
  };
}

async function openWhenReady(ringPath) {
  for (let i = 0; ; i++) {
    try {
      return RingReader.open(ringPath, { startAt: "block_start" });
    } catch (err) {
      if (i >= 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A peer's process plumbing: exit on SIGTERM/SIGINT, and when the benchmark (our stdin) goes away. */
export function exitWithParent(cleanup) {
  const bye = () => {
    try {
      cleanup();
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", bye);
  process.once("SIGINT", bye);
  process.stdin.on("end", bye);
  process.stdin.on("error", bye);
  process.stdin.resume();
}

/** Same announcement as `monad-gateway serve`, which the benchmark waits for. */
export function announcePort(name, port) {
  process.stderr.write(`${name} listening on port ${port}\n`);
}

export function ringArg(argv = process.argv.slice(2)) {
  const i = argv.indexOf("--ring");
  if (i < 0 || !argv[i + 1]) {
    process.stderr.write("usage: node <peer>.mjs --ring <path>\n");
    process.exit(2);
  }
  return argv[i + 1];
}
