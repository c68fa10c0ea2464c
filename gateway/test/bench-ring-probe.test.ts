// The benchmarks' latency floor (bench/load/ring-probe.mjs, driven through fleet.mjs's startProbe as
// the latency trials do) against a real ring written by the simulator, and the fan-out scenario's
// "throughput at equal p99" rule (fanout.mjs rateWithin).
import { rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RingReader } from "../src/ring/ring-reader.js";
import { spawnChild, type Child } from "./helpers/child.js";
import { CLI } from "./helpers/cli.js";

const BENCH = fileURLToPath(new URL("../../bench/", import.meta.url));
// The bench modules are plain .mjs without types.
const { startProbe } = (await import(pathToFileURL(`${BENCH}load/fleet.mjs`).href)) as { startProbe: (spec: any) => Promise<any> };
const { rateWithin } = (await import(pathToFileURL(`${BENCH}scenarios/fanout.mjs`).href)) as { rateWithin: (curve: any[], budgetUs: number) => number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("ring probe (the latency floor of a benchmark trial)", () => {
  const ring = `/dev/shm/mgw-test-probe-${process.pid}`;
  let sim: Child;
  beforeAll(async () => {
    sim = spawnChild(process.execPath, [CLI, "sim", "--ring", ring, "--blocks-per-second", "10", "--txns-per-block", "20", "--duration", "60"]);
    for (let t0 = Date.now(); ; ) {
      try {
        RingReader.open(ring).close();
        break;
      } catch (err) {
        if (Date.now() - t0 > 20_000) throw err;
        await sleep(100);
      }
    }
  });
  afterAll(async () => {
    await sim?.kill();
    rmSync(ring, { force: true });
  });

  it("times every event it reads in its window, block start/end apart, with no gaps", async () => {
    const probe = await startProbe({ ring, deadlineS: 60 });
    const reader = RingReader.open(ring);
    try {
      await sleep(500);
      probe.reset();
      const first = reader.info().lastSeqno;
      await sleep(2000);
      const last = reader.info().lastSeqno;
      const r = await probe.report();
      const written = last - first;
      expect(written).toBeGreaterThan(0);
      // Every event written in the window, give or take the ones around its two edges (the probe is
      // caught up within a poll; a simulated block is ~400 events here).
      expect(Math.abs(r.latencyUs.count - written)).toBeLessThan(1500);
      // 10 blocks/s: a start and an end per block, and far fewer than all events.
      expect(r.blockLatencyUs.count).toBeGreaterThanOrEqual(4);
      expect(r.blockLatencyUs.count).toBeLessThan(r.latencyUs.count / 10);
      expect(r.gaps).toBe(0);
      // Microseconds: the simulator writes a block's records 5-60 ms after their timestamps.
      expect(r.latencyUs.p50).toBeGreaterThan(0);
      expect(r.latencyUs.p50).toBeLessThan(2_000_000);
      expect(r.latencyUs.p99).toBeGreaterThanOrEqual(r.latencyUs.p50);

      // A new window starts from nothing.
      probe.reset();
      const empty = await probe.report();
      expect(empty.latencyUs.count).toBeLessThan(r.latencyUs.count);
    } finally {
      reader.close();
      await probe.stop();
    }
  });

  it("says what is wrong when the ring does not exist", async () => {
    await expect(startProbe({ ring: `${ring}-missing`, deadlineS: 10 })).rejects.toThrow(/ring probe exited \(code 1\) before it was ready: .*cannot open the ring .*-missing/s);
  });
});

describe("fan-out throughput at equal p99 (rateWithin)", () => {
  const curve = [
    { rate: 10_000, held: true, p99Us: 8_000, delivered: 100_000 },
    { rate: 20_000, held: true, p99Us: 40_000, delivered: 200_000 },
    { rate: 40_000, held: true, p99Us: 20_000, delivered: 400_000 }, // p99 is not monotone in the rate here
    { rate: 80_000, held: false, p99Us: 5_000, delivered: 0 }, // not held: never counts, whatever its p99
  ];
  it("takes the highest delivered rate among held steps within the budget", () => {
    expect(rateWithin(curve, 10_000)).toBe(100_000);
    expect(rateWithin(curve, 25_000)).toBe(400_000);
    expect(rateWithin(curve, 1_000_000)).toBe(400_000);
  });
  it("gives 0 when no held step is within the budget", () => {
    expect(rateWithin(curve, 1_000)).toBe(0);
    expect(rateWithin([], 1_000_000)).toBe(0);
  });
});
