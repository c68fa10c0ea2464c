// The fan-out scenario's CPU accounting (bench/scenarios/proc-stats.mjs, cpu-cost.mjs): user and
// kernel time read from /proc for real processes that spend one or the other, the machine's totals,
// and the per-event costs and bound the fan-out rows report.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const BENCH = fileURLToPath(new URL("../../bench/scenarios/", import.meta.url));
// The bench modules are plain .mjs without types.
const stats = (await import(pathToFileURL(`${BENCH}proc-stats.mjs`).href)) as any;
const cost = (await import(pathToFileURL(`${BENCH}cpu-cost.mjs`).href)) as any;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Samples a running child's CPU split once it has used `seconds` of CPU (or 10 s have passed), then kills it. */
async function splitOf(child: ChildProcess, seconds: number): Promise<{ userSeconds: number; systemSeconds: number }> {
  try {
    for (const t0 = Date.now(); Date.now() - t0 < 10_000; await sleep(50)) {
      const s = stats.procStats(child.pid);
      if (s && s.cpuSeconds >= seconds) return s;
    }
    throw new Error(`child ${child.spawnfile} used under ${seconds} s of CPU in 10 s`);
  } finally {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
}

describe("bench CPU accounting", () => {
  it("procStats splits a process's CPU into user and kernel time", async () => {
    // A JavaScript spin loop is user time; dd copying /dev/zero is the kernel clearing pages.
    const spin = await splitOf(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }), 0.3);
    expect(spin.userSeconds).toBeGreaterThan(spin.systemSeconds * 2);
    const dd = await splitOf(spawn("dd", ["if=/dev/zero", "of=/dev/null", "bs=1M", "count=1000000"], { stdio: "ignore" }), 0.3);
    expect(dd.systemSeconds).toBeGreaterThan(dd.userSeconds * 2);
    expect(stats.procStats(2 ** 30)).toBeNull(); // no such process
  });

  it("machineCpu accounts every core's time to one kind", async () => {
    const a = stats.machineCpu();
    const t0 = performance.now();
    await sleep(500);
    const rates = stats.cpuRates(a, stats.machineCpu(), (performance.now() - t0) / 1000);
    const total = Object.values(rates as Record<string, number>).reduce((x, y) => x + y, 0);
    // Ticks are 10 ms, so over 0.5 s the sum is the core count within a few percent.
    expect(total).toBeGreaterThan(availableParallelism() * 0.8);
    expect(total).toBeLessThan(availableParallelism() * 1.2);
    for (const k of ["user", "system", "idle", "softirq", "steal"]) expect(rates[k]).toBeGreaterThanOrEqual(0);
  });

  it("costs per delivered event and the one-thread bound follow from a trial's cores", () => {
    // A server at one core, 70% of it kernel (what ws showed at 100 firehose clients), delivering 4M events/s.
    const cpu = { serverUser: 0.3, serverSystem: 0.7, writer: 0.05, load: 0.5, probe: 0, busy: 1.7, machine: { user: 0.8, nice: 0, system: 0.6, irq: 0, softirq: 0.3, idle: 0.3, iowait: 0, steal: 0 } };
    const c = cost.costPerEvent(cpu, 4_000_000);
    expect(c.serverUser).toBeCloseTo(75, 6);
    expect(c.serverSystem).toBeCloseTo(175, 6);
    expect(c.busy).toBeCloseTo(425, 6);
    expect(c.idlePct).toBeCloseTo(15, 6);
    // Zero user time, same kernel time per event: at most 1 / 0.7 of the rate from one thread.
    expect(cost.oneThreadBound(c)).toBe(1.43);
    expect(cost.describeCost(c)).toContain("server kernel 175");
    expect(cost.costPerEvent(cpu, 0)).toBeNull();
    expect(cost.oneThreadBound(null)).toBeNull();
  });
});
