// The ring every server of a run reads: a fresh ring per trial, written by a separate process.
//
//  - replay: the real 30-block capture re-recorded at `speed` (1 = its original pace, about 84,000
//    events/s: the capture spans only 1.63 s) with --passes. The writer stamps each record with the
//    time it is written, so "now - timestamp_ns" at a client is exactly ring → client latency.
//  - sim: the chain simulator. Its timestamps are simulated time and a block's events reach the ring
//    only when the block's (simulated) execution ends, so the ring itself already lags its
//    timestamps by 5-60 ms: fine for throughput, it drowns server differences in latency numbers.
import { existsSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startChild, stopChild, watchOutput } from "./children.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const BIN = `${root}gateway/bin/monad-gateway.js`;
export const CAPTURE = `${root}../shared/fixtures/emn-30b-15m.snapshot.zst`;
/** Events and timestamp span of the capture (measured: 136,891 events over 1,626.7 ms). */
const CAPTURE_EVENTS = 136_891;
const CAPTURE_SPAN_S = 1.6267;

let counter = 0;

/** Events/s a replay at `speed` writes on average. */
export function replayRate(speed) {
  return (CAPTURE_EVENTS / CAPTURE_SPAN_S) * speed;
}

/** Replay speed for a target rate in events/s. */
export function replaySpeedFor(eventsPerSecond) {
  return eventsPerSecond / replayRate(1);
}

/**
 * A measurement window of at least `minS` seconds covering whole replay passes. The capture is bursty
 * (blocks execute back to back, then a pause), and a replay repeats it with period span / speed, so
 * a window of whole periods holds the same events and bursts whatever its phase: every server of a
 * comparison then sees exactly the same workload. The sim is uniform (10 blocks/s): whole seconds.
 */
export function alignedWindow(source, minS) {
  if (source.kind !== "replay") return Math.ceil(minS);
  const period = CAPTURE_SPAN_S / source.speed;
  return Math.max(1, Math.round(minS / period)) * period;
}

/**
 * Starts writing a fresh ring for about `seconds` (then the writer stops by itself).
 * source: { kind: "replay", speed } | { kind: "sim", blocksPerSecond, txnsPerBlock, seed }
 */
export async function startRingSource(source, seconds) {
  const ring = `/dev/shm/gw-bench-${process.pid}-${++counter}`;
  rmSync(ring, { force: true });
  let args;
  if (source.kind === "replay") {
    if (!existsSync(CAPTURE)) throw new Error(`replay source: capture not found at ${CAPTURE}`);
    const passSeconds = CAPTURE_SPAN_S / source.speed;
    const passes = Math.ceil(seconds / passSeconds) + 1;
    args = [BIN, "replay", CAPTURE, "--ring", ring, "--speed", String(source.speed), "--passes", String(passes), "--quiet", "--keep"];
  } else {
    args = [BIN, "sim", "--ring", ring, "--blocks-per-second", String(source.blocksPerSecond), "--txns-per-block", String(source.txnsPerBlock),
      "--seed", String(source.seed ?? 1), "--duration", String(seconds), "--quiet", "--keep"];
  }
  const proc = await startChild("node", args, { deadlineS: seconds + 20 });
  const out = watchOutput(proc.child.stderr, `${source.kind} writer`);
  watchOutput(proc.child.stdout, `${source.kind} writer`);
  // The ring is usable once its file exists with its full header (the writer creates it first thing).
  const t0 = Date.now();
  while (!(existsSync(ring) && statSync(ring).size > 0)) {
    if (proc.child.exitCode !== null) throw new Error(`${source.kind} writer exited: ${out.tail()}`);
    if (Date.now() - t0 > 10_000) throw new Error(`${source.kind} writer: no ring at ${ring} after 10 s: ${out.tail()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200)); // let the first block land, so readers start at a BLOCK_START
  // Read-only mapping of the header, to count the events written in exactly the clients' window.
  const { RingReader } = await import(`${root}gateway/dist/ring/ring-reader.js`);
  const watcher = RingReader.open(ring, { startAt: "head" });
  return {
    ring,
    pid: proc.pid,
    describe: () => describeSource(source),
    /** The last seqno the writer has allocated, read from the ring itself (no server in between). */
    lastSeqno: () => watcher.info().lastSeqno,
    async stop() {
      watcher.close();
      await stopChild(proc);
      rmSync(ring, { force: true });
    },
  };
}

export function describeSource(s) {
  return s.kind === "replay"
    ? `replay of the 30-block capture at speed ${Number(s.speed.toFixed(3))}`
    : `sim ${s.blocksPerSecond} blocks/s x ${s.txnsPerBlock} txns, seed ${s.seed ?? 1}`;
}
