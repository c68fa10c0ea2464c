// One measured run: a fresh ring written at a fixed rate → one server → fleets of load generators →
// warm-up → measurement window → everything stopped. Every server of a comparison gets its own trial
// with the same source settings and the same fleets, one server at a time, so the 2 cores are never
// shared by two servers and each starts from the same state.
import { loadavg } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { startFleet, startProbe } from "../load/fleet.mjs";
import { alignedWindow, startRingSource } from "./ring-source.mjs";
import { cpuRates, machineCpu, procStats } from "./proc-stats.mjs";
import { startServer } from "./servers.mjs";

/**
 * A trial spec (without `server`): the source, the run settings every scenario passes through, a
 * measurement window of whole replay passes of at least `minWindowS`, and the fleets.
 */
export function trialSpec({ source, warmupS, minWindowS, nodeArgs, serverArgs, client, probe = false }, fleets) {
  return { source, warmupS, nodeArgs, serverArgs, client, probe, measureS: alignedWindow(source, minWindowS), fleets };
}

/**
 * spec: { server: "ours"|"ws"|"socketio"|"uws", source (ring-source.mjs), warmupS, measureS,
 *         fleets: [{ name, channel, connections, processes, slow? }], probe?: true (the result's
 *         `probe` is then ring-probe.mjs's window: ring → a bare reader, the trial's latency floor),
 *         nodeArgs?: [...], serverArgs?: { [server]: [...] }, client?: "c"|"node" (load generator, fleet.mjs) }
 */
export async function runTrial(spec) {
  // Start-up, connecting (a load process may take up to 30 s per 32 connections that do not open), the
  // window, shutdown: every child gets this long before `timeout` kills it.
  const connectS = spec.fleets.reduce((a, f) => a + 20 + Math.ceil(f.connections / f.processes / 32) * 30, 0);
  const budgetS = 30 + connectS + spec.warmupS + spec.measureS;
  const cleanups = [];
  const mark = debugMarks(spec.server);
  try {
    const source = await startRingSource(spec.source, budgetS);
    cleanups.unshift(() => source.stop());
    mark("ring source up");
    const server = await startServer(spec.server, source.ring, { deadlineS: budgetS + 20, nodeArgs: spec.nodeArgs, serverArgs: spec.serverArgs?.[spec.server] });
    cleanups.unshift(() => server.stop());
    mark("server up");
    const fleets = [];
    for (const f of spec.fleets) {
      const { protocol, url } = server.endpoint(f.channel);
      const fleet = await startFleet({ ...f, protocol, url, client: spec.client, deadlineS: budgetS });
      cleanups.unshift(() => fleet.stop());
      fleets.push([f.name, fleet]);
      mark(`fleet ${f.name} connected`);
    }
    let probe = null;
    if (spec.probe) {
      probe = await startProbe({ ring: source.ring, deadlineS: budgetS });
      cleanups.unshift(() => probe.stop());
    }
    await sleep(spec.warmupS * 1000);

    const tReset = performance.now();
    const seqnoAtReset = source.lastSeqno();
    for (const [, f] of fleets) f.reset();
    probe?.reset();
    const others = { writer: [source.pid], load: fleets.flatMap(([, f]) => f.pids), probe: probe ? [probe.pid] : [] };
    const s0 = await sample(server, others);
    let rssPeak = s0.proc.rssBytes;
    const watch = setInterval(() => (rssPeak = Math.max(rssPeak, server.proc()?.rssBytes ?? 0)), 250);
    await sleep(spec.measureS * 1000);
    clearInterval(watch);
    const tReport = performance.now();
    const seqnoAtReport = source.lastSeqno();
    const reports = await Promise.all(fleets.map(async ([name, f]) => [name, await f.report()]));
    const probeReport = probe ? await probe.report() : null;
    const s1 = await sample(server, others);
    mark("window done");
    const dt = (s1.t - s0.t) / 1000;
    // The clients counted from "reset" to "report"; the server samples span more (the status request
    // after the reset, and the reports, which take 0.1-0.2 s from busy load processes), and the ring
    // writes in bursts, so the ring's rate over the server's interval is not the rate over the
    // clients' window: comparing the two showed 92-95% "received" at p99 25 ms. The clients' own
    // window and the ring events written in it are the fair reference.
    const clientS = (tReport - tReset) / 1000;

    const read = (s) => s.status.ring.last_seqno - s.status.ring.lag_events;
    const cpu = cpuBreakdown(s0, s1, dt);
    return {
      server: spec.server,
      serverName: server.name,
      source: source.describe(),
      windowS: dt,
      ringEventsPerS: (s1.status.ring.last_seqno - s0.status.ring.last_seqno) / dt,
      /** Ring events written during the clients' window (reset → report), per second of it. */
      ringEventsPerSClientWindow: (seqnoAtReport - seqnoAtReset) / clientS,
      readEventsPerS: (read(s1) - read(s0)) / dt,
      lagEndEvents: s1.status.ring.lag_events,
      serverCpu: cpu.serverUser + cpu.serverSystem,
      cpu,
      /** 1-minute load average at the window's end: other work on the shared machine shows here. */
      loadAvg: loadavg()[0],
      rssStartBytes: s0.proc.rssBytes,
      rssEndBytes: s1.proc.rssBytes,
      rssPeakBytes: Math.max(rssPeak, s1.proc.rssBytes),
      serverDrops: s1.status.drops ?? null,
      /** ws peer only: bytes its sockets hold for clients (shared frame bytes count once per client). */
      queuedBytesEnd: s1.status.queued_bytes ?? null,
      probe: probeReport,
      fleets: Object.fromEntries(
        reports.map(([name, r]) => [name, { ...r, windowS: clientS, eventsPerSPerClient: r.events / clientS / r.opened, bytesPerS: r.bytes / clientS }]),
      ),
    };
  } finally {
    for (const c of cleanups) await c().catch(() => {});
    mark("stopped");
  }
}

/** BENCH_DEBUG=1 prints when each phase of a trial ends (to see where the time goes). */
function debugMarks(server) {
  if (!process.env.BENCH_DEBUG) return () => {};
  const t0 = performance.now();
  return (what) => progress(`    [${server}] ${((performance.now() - t0) / 1000).toFixed(2)} s ${what}`);
}

async function sample(server, others) {
  const status = await server.status();
  const proc = server.proc();
  if (!proc) throw new Error(`${server.name} exited during the trial: ${server.stderrTail()}`);
  const seconds = (pids) => pids.reduce((a, pid) => a + (procStats(pid)?.cpuSeconds ?? 0), 0);
  const groups = Object.fromEntries(Object.entries(others).map(([k, pids]) => [k, seconds(pids)]));
  return { t: performance.now(), status, proc, groups, machine: machineCpu() };
}

/**
 * Where the 2 cores went over the window, in cores (CPU seconds per second): the server's user and
 * kernel time, the ring writer, the load processes, the probe, and the machine's totals by kind
 * (`busy`: user, nice, system, irq and softirq). Softirq work (loopback delivery) may show both in the
 * machine's softirq count and in the kernel time of the task it interrupted, depending on how the
 * kernel accounts interrupt time, so the parts need not add up to `busy`.
 */
function cpuBreakdown(s0, s1, dt) {
  const per = (k) => (s1.groups[k] - s0.groups[k]) / dt;
  const machine = cpuRates(s0.machine, s1.machine, dt);
  return {
    serverUser: (s1.proc.userSeconds - s0.proc.userSeconds) / dt,
    serverSystem: (s1.proc.systemSeconds - s0.proc.systemSeconds) / dt,
    writer: per("writer"),
    load: per("load"),
    probe: per("probe"),
    busy: machine.user + machine.nice + machine.system + machine.irq + machine.softirq,
    machine,
  };
}

/**
 * The same trial for each server, one after another, `rounds` times. The order rotates with the
 * round (and `offset`) so that no server is always first: noise on a shared machine drifts during a
 * run. A trial that fails (a server that cannot answer, say) is recorded as { error }, and the run
 * goes on. Returns { server: [result per round] }.
 */
export async function runEach(servers, spec, { rounds = 1, offset = 0 } = {}) {
  const out = Object.fromEntries(servers.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < servers.length; i++) {
      const server = servers[(i + r + offset) % servers.length];
      const t0 = Date.now();
      let result;
      try {
        result = await runTrial({ ...spec, server });
        progress(`  ${server}: ${summaryLine(result)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      } catch (err) {
        result = { server, error: err.message.split("\n")[0].slice(0, 300) };
        progress(`  ${server}: trial failed: ${result.error}`);
      }
      out[server].push(result);
    }
  }
  return out;
}

/**
 * One comparison entry per server: the median over its rounds of `pick(trial)`, with the conditions
 * of the trial that gave it; a server whose every trial failed gets value null and the error.
 */
export function medianEntries(servers, results, pick, conditions) {
  return servers.map((server) => {
    const ok = results[server].filter((t) => !t.error);
    if (ok.length === 0) return { server, value: null, conditions: `trial failed: ${results[server][0].error}` };
    const sorted = ok.map((t) => [pick(t), t]).sort((a, b) => a[0] - b[0]);
    const [value, t] = sorted[(sorted.length - 1) >> 1];
    const rounds = results[server].length > 1 ? `median of ${ok.length} rounds; ` : "";
    return { server, value, conditions: rounds + conditions(t) };
  });
}

export function progress(line) {
  process.stderr.write(line + "\n");
}

function summaryLine(t) {
  const parts = [`ring ${Math.round(t.ringEventsPerS)} ev/s`, `cpu ${(t.serverCpu * 100).toFixed(0)}%`];
  for (const [name, f] of Object.entries(t.fleets)) {
    parts.push(`${name}: p50 ${f.latencyUs.p50} p99 ${f.latencyUs.p99} µs, ${Math.round(f.eventsPerSPerClient)} ev/s/client` +
      (f.missedEvents || f.droppedFrames || f.disconnects ? `, missed ${f.missedEvents} dropped ${f.droppedFrames} closed ${f.disconnects}` : ""));
  }
  return parts.join("; ");
}
