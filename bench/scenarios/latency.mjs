// Scenario 1: delivery latency (ring record time → client receives the frame), p50 / p99 / p99.9,
// ours vs each peer: the blocks channel at 1, 100 and 1,000 clients with the ring at ~20,000
// events/s, and 10 firehose (/v1/ws) clients with the ring at ~50,000 events/s.
import { comparisonRows, perTrialRows, trialConditions } from "./rows.mjs";
import { replaySpeedFor } from "./ring-source.mjs";
import { medianEntries, progress, runEach, trialSpec } from "./trial.mjs";

const SERVERS = ["ours", "ws", "socketio", "uws"];

/** Ring source at a target rate. The sim: ~18 events per transaction at 10 blocks/s. */
export function sourceFor(kind, eventsPerS) {
  if (kind === "sim") return { kind: "sim", blocksPerSecond: 10, txnsPerBlock: Math.round(eventsPerS / 10 / 18), seed: 1 };
  return { kind: "replay", speed: replaySpeedFor(eventsPerS) };
}

function configs(quick) {
  const blocks = (clients) => ({ label: `blocks channel, ${clients} client${clients > 1 ? "s" : ""}`, channel: "blocks", clients, rate: 20_000 });
  const firehose = { label: "firehose (/v1/ws), 10 clients", channel: "all", clients: 10, rate: 50_000 };
  return quick ? [blocks(100), firehose] : [blocks(1), blocks(100), blocks(1000), firehose];
}

/**
 * probe (default on): also run bench/load/ring-probe.mjs in every trial, a process that only reads the ring: its
 * p50 / p99 (record → read, every event) are the floor no server can beat on this machine under
 * that trial's load; rows "latency floor ..." give it for each server's trial.
 */
export async function runLatency({ quick = false, source = "replay", servers = SERVERS, nodeArgs = [], serverArgs, rounds = 1, client, probe = true } = {}) {
  const rows = [];
  const [warmupS, minWindowS] = quick ? [1, 4] : [3, 12];
  let round = 0;
  for (const c of configs(quick)) {
    progress(`latency: ${c.label}, ring ~${c.rate} events/s`);
    const processes = c.clients >= 100 ? 4 : c.clients >= 10 ? 2 : 1;
    const src = sourceFor(source, c.rate);
    const fleets = [{ name: "clients", channel: c.channel, connections: c.clients, processes }];
    const results = await runEach(servers, trialSpec({ source: src, warmupS, minWindowS, nodeArgs, serverArgs, client, probe }, fleets), { rounds, offset: round++ });
    const describe = (t) => {
      const f = t.fleets.clients;
      const losses = f.missedEvents + f.droppedFrames + f.disconnects;
      const short = f.opened < c.clients ? `; ONLY ${f.opened} of ${c.clients} CONNECTED (${JSON.stringify(f.failReasons)})` : "";
      const extra = `${c.clients} x ${c.channel} over ${processes} load process(es), ${f.latencyUs.count} frames timed` +
        (losses ? `; LOSSES: missed ${f.missedEvents}, dropped ${f.droppedFrames}, closed ${f.disconnects}` : "") + short;
      return trialConditions(t, extra);
    };
    const per = (pick) => medianEntries(servers, results, (t) => pick(t, t.fleets.clients), describe);
    rows.push(...comparisonRows(`latency p50, ${c.label}`, "µs (lower is better)", per((t, f) => f.latencyUs.p50)));
    rows.push(...comparisonRows(`latency p99, ${c.label}`, "µs (lower is better)", per((t, f) => f.latencyUs.p99)));
    rows.push(...comparisonRows(`latency p99.9, ${c.label}`, "µs (lower is better)", per((t, f) => f.latencyUs.p999)));
    if (probe) {
      const floor = (pick) => medianEntries(servers, results, (t) => pick(t.probe.latencyUs), (t) => `ring → ring-probe.mjs (a process that only reads the ring): every ring event, ${t.probe.latencyUs.count} timed (block start/end alone: ${t.probe.blockLatencyUs.count} timed, p50 ${t.probe.blockLatencyUs.p50} / p99 ${t.probe.blockLatencyUs.p99} µs), ${t.probe.gaps} gaps, during this server's trial; ${describe(t)}`);
      rows.push(...perTrialRows(`latency floor p50 (ring → a process that only reads it), ${c.label}`, "µs (lower is better)", floor((l) => l.p50)));
      rows.push(...perTrialRows(`latency floor p99 (ring → a process that only reads it), ${c.label}`, "µs (lower is better)", floor((l) => l.p99)));
    }
    rows.push(...comparisonRows(`server CPU, ${c.label}`, "% of one core (lower is better)", per((t) => Math.round(t.serverCpu * 100))));
  }
  return rows;
}
