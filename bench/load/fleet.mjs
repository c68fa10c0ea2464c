// A fleet: N connections to one URL spread over several load-generator processes, so the clients of
// a 1,000-connection run do not share one event loop. The processes are the native client (wsload/,
// the default for plain WebSocket: far less CPU per frame) or client.mjs (Node `ws`, and the only one
// for socket.io); both speak the same line protocol. Commands go to every process; reports are
// merged (counters summed, latency histograms added).
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import hdr from "hdr-histogram-js";
import { startChild, stopChild, watchOutput } from "../scenarios/children.mjs";
import { newHistogram } from "./frame-meter.mjs";
import { nativeClientPath } from "./native-client.mjs";

const CLIENT = fileURLToPath(new URL("client.mjs", import.meta.url));
const PROBE = fileURLToPath(new URL("ring-probe.mjs", import.meta.url));

/**
 * Starts the processes and resolves once every connection is open or has failed (see `opened`).
 * spec: { url, protocol: "ws"|"socketio", channel, connections, processes, slow?, deadlineS,
 *         client?: "c"|"node" (default "c"; socket.io is always "node") }
 */
export async function startFleet(spec) {
  const client = loadClient(spec);
  const procs = Math.max(1, Math.min(spec.processes, spec.connections));
  const members = [];
  let open = 0;
  const failReasons = {};
  try {
    for (let i = 0; i < procs; i++) {
      const share = Math.floor(spec.connections / procs) + (i < spec.connections % procs ? 1 : 0);
      const args = ["--url", spec.url, "--protocol", spec.protocol, "--channel", spec.channel, "--connections", String(share),
        "--max-seconds", String(spec.deadlineS)];
      if (spec.slow) args.push("--slow");
      const proc = await startChild(client.command, [...client.args, ...args], { deadlineS: spec.deadlineS + 5 });
      members.push(member(proc, `load generator ${i + 1}/${procs}`));
    }
    // Each process settles every connection within 30 s of starting it, 32 at a time.
    const readyMs = 20_000 + Math.ceil(spec.connections / procs / 32) * 30_000;
    const ready = await Promise.all(members.map((m) => m.next("ready", readyMs)));
    open = ready.reduce((a, r) => a + r.open, 0);
    for (const r of ready) for (const [k, n] of Object.entries(r.failReasons ?? {})) failReasons[k] = (failReasons[k] ?? 0) + n;
    // A server that cannot accept every connection in time is a result, not a crash: the report says
    // how many opened and why the others did not. None at all is an error.
    if (open === 0) throw new Error(`fleet ${spec.url}: no connection opened; failures: ${JSON.stringify(failReasons)}`);
  } catch (err) {
    await Promise.all(members.map((m) => m.stop()));
    throw err;
  }
  return {
    open,
    /** The load processes' pids (for their CPU time). */
    pids: members.map((m) => m.pid),
    reset: () => members.forEach((m) => m.command("reset")),
    async report() {
      members.forEach((m) => m.command("report"));
      return { ...merge(await Promise.all(members.map((m) => m.next("report", 30_000)))), opened: open, failReasons, client: client.kind };
    },
    stop: () => Promise.all(members.map((m) => m.stop())),
  };
}

/**
 * The trial's latency floor: ring-probe.mjs reading the same ring (see there). Same commands as a
 * fleet; its report is { latencyUs, gaps }.
 */
export async function startProbe({ ring, deadlineS }) {
  const proc = await startChild("node", [PROBE, "--ring", ring, "--max-seconds", String(deadlineS)], { deadlineS: deadlineS + 5 });
  const m = member(proc, "ring probe");
  try {
    // A probe that cannot open the ring exits at once: say so then, not at the timeout.
    const exited = new Promise((_, reject) => proc.child.once("close", (code) => reject(new Error(`ring probe exited (code ${code}) before it was ready: ${m.stderrTail()}`))));
    exited.catch(() => {});
    await Promise.race([m.next("ready", 20_000), exited]);
  } catch (err) {
    await m.stop();
    throw err;
  }
  return { pid: proc.pid, reset: () => m.command("reset"), report: () => (m.command("report"), m.next("report", 30_000)), stop: () => m.stop() };
}

/** Which load generator runs the fleet's processes: { kind, command, args before the options }. */
function loadClient(spec) {
  const kind = spec.protocol === "socketio" ? "node" : spec.client ?? "c";
  if (kind === "node") return { kind, command: "node", args: [CLIENT] };
  if (kind !== "c") throw new Error(`fleet: client must be "c" or "node", got ${JSON.stringify(spec.client)}`);
  return { kind, command: nativeClientPath(), args: [] };
}

function member(proc, what) {
  const queue = [];
  const waiters = [];
  const err = watchOutput(proc.child.stderr, what);
  createInterface({ input: proc.child.stdout }).on("line", (line) => {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    const w = waiters.findIndex((x) => x.type === msg.type);
    if (w >= 0) waiters.splice(w, 1)[0].resolve(msg);
    else queue.push(msg);
  });
  proc.child.stdin.on("error", () => {}); // the process may be gone when we write
  return {
    pid: proc.pid,
    stderrTail: () => err.tail(),
    command: (c) => proc.child.stdin.write(c + "\n"),
    next(type, ms) {
      const i = queue.findIndex((x) => x.type === type);
      if (i >= 0) return Promise.resolve(queue.splice(i, 1)[0]);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`${what}: no "${type}" within ${ms} ms; stderr: ${err.tail()}`)), ms);
        waiters.push({ type, resolve: (m) => (clearTimeout(t), resolve(m)) });
      });
    },
    async stop() {
      proc.child.stdin.end("exit\n");
      await stopChild(proc, 2000);
    },
  };
}

/**
 * Sums the processes' window totals; latency percentiles come from the merged histogram: client.mjs
 * reports an encoded hdr `histogram`, wsload its non-empty buckets as `latencyCounts` [[value, count]]
 * (each value the lowest of its bucket, in the same bucket layout, so the merge is exact).
 */
function merge(reports) {
  const hist = newHistogram();
  const out = { connections: 0, failed: 0, frames: 0, eventsFrames: 0, events: 0, bytes: 0, warnings: 0, droppedFrames: 0, otherWarnings: 0, missedEvents: 0, negativeLatencies: 0, closes: {} };
  for (const r of reports) {
    for (const k of Object.keys(out)) if (typeof out[k] === "number") out[k] += r[k];
    for (const [code, c] of Object.entries(r.closes)) out.closes[code] = (out.closes[code] ?? 0) + c;
    if (r.histogram) hist.add(hdr.decodeFromCompressedBase64(r.histogram));
    for (const [value, count] of r.latencyCounts ?? []) hist.recordValueWithCount(value, count);
  }
  out.latencyUs = {
    count: hist.totalCount,
    p50: hist.getValueAtPercentile(50),
    p99: hist.getValueAtPercentile(99),
    p999: hist.getValueAtPercentile(99.9),
    max: hist.maxValue,
    mean: Math.round(hist.mean),
  };
  out.disconnects = Object.values(out.closes).reduce((a, b) => a + b, 0);
  return out;
}
