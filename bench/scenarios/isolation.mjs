// Scenario 3: isolation. 10 fast firehose clients, with and without 10 slow ones (sockets paused:
// they read nothing), ours vs the ws peer. Ours keeps a slow client as a cursor into the shared
// resume buffer (drops after 4,096 pending frames, closes it at 10,000); the ws peer queues every
// frame on a slow client's socket without bound.
//
// Memory: the frame bytes a ws socket queues are the same Buffer for every client, so the ws peer's
// RSS grows by one copy of the stream (not one per slow client) as long as any slow client stays
// connected, without limit. Ours grows by its resume buffer (stored frames), with or without slow
// clients, up to its bound (100,000 frames / 1 GiB). Over a window of seconds the two growths are
// of the same order; what differs is the bound, which the rows' conditions say.
import { comparisonRows, MB, row, trialConditions } from "./rows.mjs";
import { sourceFor } from "./latency.mjs";
import { medianEntries, progress, runEach, trialSpec } from "./trial.mjs";

const SERVERS = ["ours", "ws"];
const FAST = { name: "fast", channel: "all", connections: 10, processes: 2 };
const SLOW = { name: "slow", channel: "all", connections: 10, processes: 1, slow: true };
/** 40,000 events/s is ~400 firehose frames/s: ours starts dropping for a paused client after ~10 s. */
const RATE = 40_000;

export async function runIsolation({ quick = false, source = "replay", servers = SERVERS, nodeArgs = [], serverArgs, rounds = 1, client } = {}) {
  const [warmupS, minWindowS] = quick ? [1, 3] : [3, 20];
  const src = sourceFor(source, RATE);
  const base = trialSpec({ source: src, warmupS, minWindowS, nodeArgs, serverArgs, client }, []);
  progress("isolation: 10 fast firehose clients alone");
  const alone = await runEach(servers, { ...base, fleets: [FAST] }, { rounds });
  progress("isolation: 10 fast firehose clients + 10 paused ones");
  const mixed = await runEach(servers, { ...base, fleets: [SLOW, FAST] }, { rounds, offset: 1 });

  const growthRate = (t) => Number(((t.rssEndBytes - t.rssStartBytes) / MB / t.windowS).toFixed(1));
  const cond = (what) => (t) => {
    const f = t.fleets.fast;
    const short = f.opened < f.connections ? `; only ${f.opened} of ${f.connections} fast clients connected` : "";
    const slow = !t.fleets.slow ? ""
      : t.serverDrops ? `; slow clients: server dropped ${t.serverDrops.frames} frames for them, closed ${t.serverDrops.clients_disconnected} (memory bounded by the resume buffer)`
      : t.queuedBytesEnd !== null ? `; slow clients: ${(t.queuedBytesEnd / MB).toFixed(0)} MB queued on their sockets at the end, growing without bound`
      : "";
    return trialConditions(t, `${what}${short}; fast clients got ${Math.round(f.eventsPerSPerClient)} events/s each, missed ${f.missedEvents}, closed ${f.disconnects}${slow}`);
  };
  const p99 = (t) => t.fleets.fast.latencyUs.p99;
  const rows = [];
  const aloneP99 = medianEntries(servers, alone, p99, cond("10 fast firehose"));
  const mixedP99 = medianEntries(servers, mixed, p99, cond("10 fast + 10 paused firehose"));
  rows.push(...comparisonRows("isolation: fast clients' p99, no slow clients", "µs (lower is better)", aloneP99));
  rows.push(...comparisonRows("isolation: fast clients' p99, with 10 slow clients", "µs (lower is better)", mixedP99));
  rows.push(...comparisonRows("isolation: fast clients' p99, with / without slow clients", "x (lower is better; 1 = unaffected)",
    servers.map((s, i) => {
      const a = aloneP99[i].value;
      const m = mixedP99[i].value;
      return { server: s, value: a && m !== null ? Number((m / a).toFixed(2)) : null, conditions: `ratio of the two p99 rows above; ${mixedP99[i].conditions}` };
    })));
  rows.push(...comparisonRows("isolation: server RSS growth, no slow clients", "MB/s (lower is better)", medianEntries(servers, alone, growthRate, cond("10 fast firehose"))));
  rows.push(...comparisonRows("isolation: server RSS growth, with 10 slow clients", "MB/s (lower is better)", medianEntries(servers, mixed, growthRate, cond("10 fast + 10 paused firehose"))));
  rows.push(row("isolation: window length", Number(base.measureS.toFixed(1)), "s", null, null, `after ${warmupS} s warm-up; ring ~${RATE} events/s; ${src.kind}`));
  return rows;
}
