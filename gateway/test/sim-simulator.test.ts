// The Simulator's API: options validation, determinism, batching into the sink, start/stop,
// limits, flat-out mode and error propagation.
import { describe, expect, it } from "vitest";
import { REC_EPOCH_NANOS } from "../src/ring/event-record.js";
import {
  ExecStreamChecker,
  ManualClock,
  MemorySink,
  resolveOptions,
  SeqnoMismatchError,
  Simulator,
  SimulatorOptionsError,
  systemClock,
  type EventSink,
  type SimulatorOptions,
} from "../src/producers/sim/index.js";

const GENESIS = 1_767_225_600_000;

/** All records concatenated, optionally with record_epoch_nanos zeroed. */
function stream(sink: MemorySink, withoutTimestamps = false): Buffer {
  const all = Buffer.concat(sink.batches);
  if (withoutTimestamps) for (const { off } of new MemorySinkOver(all).records()) all.writeBigUInt64LE(0n, off + REC_EPOCH_NANOS);
  return all;
}

class MemorySinkOver extends MemorySink {
  constructor(buf: Buffer) {
    super();
    this.batches.push(buf);
  }
}

async function run(opts: SimulatorOptions, clock = new ManualClock()): Promise<{ sim: Simulator; sink: MemorySink }> {
  const sink = new MemorySink();
  const sim = new Simulator(sink, opts, { clock });
  await sim.start();
  return { sim, sink };
}

describe("options", () => {
  it("fills in the documented defaults", () => {
    const o = resolveOptions();
    expect(o.seed).toBe(1);
    expect(o.blocksPerSecond).toBe(2.5);
    expect(o.blockIntervalMs).toBe(400);
    expect(o.txnsPerBlock).toEqual({ min: 30, max: 100 });
    expect(o.consensus).toEqual({ qcDelayMs: 400, finalizedDelayMs: 800, verifiedDelayMs: 1600, jitterMs: 0 });
    expect(o.contention).toEqual({ hotContracts: 2, hotSlots: 8, hotFraction: 0.3, maxHotSlotsPerTxn: 2, writeFraction: 0.7 });
    expect(o.chainId).toBe(143);
    expect(o.gasLimit).toBe(30_000_000);
    expect(o.maxBlocks).toBe(Infinity);
    expect(o.durationMs).toBe(Infinity);
    expect(o.flatOut).toBe(false);
    // Consensus delays scale with the block rate unless given.
    expect(resolveOptions({ blocksPerSecond: 10 }).consensus.qcDelayMs).toBe(100);
    // A larger block size raises the default gas limit so the blocks fit.
    expect(resolveOptions({ txnsPerBlock: 1000 }).gasLimit).toBe(300_000_000);
  });

  it("reports every problem at once, naming the option, the value and what is valid", () => {
    let err: unknown;
    try {
      resolveOptions({
        blocksPerSecond: 0,
        txnsPerBlock: { min: 10, max: 5 },
        contention: { hotFraction: 1.5, hotContracts: 3, hotSlots: 2 },
        rejectProbabilities: { blockReject: -0.1 },
        consensus: { qcDelayMs: 900, finalizedDelayMs: 800 },
        seed: 1.5,
        // @ts-expect-error: misspelt option
        blocksPerSec: 3,
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimulatorOptionsError);
    const problems = (err as SimulatorOptionsError).problems.join("\n");
    expect(problems).toContain("blocksPerSecond must be a finite number > 0 and ≤ 10000, got 0");
    expect(problems).toContain("txnsPerBlock.min (10) must not exceed txnsPerBlock.max (5)");
    expect(problems).toContain("contention.hotFraction must be a probability in [0, 1], got 1.5");
    expect(problems).toContain("contention.hotSlots (2) must be at least contention.hotContracts (3)");
    expect(problems).toContain("rejectProbabilities.blockReject must be a probability in [0, 1], got -0.1");
    expect(problems).toContain("qcDelayMs ≤ finalizedDelayMs ≤ verifiedDelayMs");
    expect(problems).toContain("seed must be an integer");
    expect(problems).toContain('unknown option "blocksPerSec"');
    expect((err as Error).message).toMatch(/^invalid simulator options:/);
  });

  it("rejects a gas limit too small for the block size, with the limit that would work", () => {
    expect(() => resolveOptions({ gasLimit: 1_000_000, txnsPerBlock: 100 })).toThrow(/gasLimit \(1000000\) cannot hold .* use gasLimit ≥ 30000000/);
  });

  it("is checked by the Simulator constructor", () => {
    expect(() => new Simulator(new MemorySink(), { txnsPerBlock: -1 })).toThrow(SimulatorOptionsError);
  });
});

describe("determinism", () => {
  const opts: SimulatorOptions = { seed: 42, maxBlocks: 12, genesisTimeMs: GENESIS, rejectProbabilities: { blockReject: 0.1, txnReject: 0.002 } };

  it("same seed → byte-identical event stream", async () => {
    const a = await run(opts);
    const b = await run(opts);
    expect(stream(a.sink).equals(stream(b.sink))).toBe(true);
  });

  it("same stream whether paced or flat out, and whatever the batch size (timestamps aside)", async () => {
    const paced = await run(opts);
    const flat = await run({ ...opts, flatOut: true, batch: { maxEvents: 100 } });
    expect(flat.sink.batches.length).not.toBe(paced.sink.batches.length);
    expect(stream(paced.sink, true).equals(stream(flat.sink, true))).toBe(true);
  });

  it("a different seed gives a different chain", async () => {
    const a = await run(opts);
    const b = await run({ ...opts, seed: 43 });
    expect(stream(a.sink).equals(stream(b.sink))).toBe(false);
  });

  it("consensus jitter does not change the chain content", async () => {
    const a = await run({ ...opts, drainConsensus: false });
    const b = await run({ ...opts, drainConsensus: false, consensus: { jitterMs: 30 } });
    const blocksOnly = (s: MemorySink) => s.views().filter((v) => v.blockSeqno !== 0).map((v) => v.buf.subarray(v.off + 64, v.off + 64 + v.payloadSize).toString("hex"));
    expect(blocksOnly(a.sink)).toEqual(blocksOnly(b.sink));
  });
});

describe("batching", () => {
  it("hands the sink whole batches, never one call per event, within maxEvents", async () => {
    const { sink, sim } = await run({ seed: 1, maxBlocks: 20, flatOut: true, batch: { maxEvents: 500 } });
    expect(sink.eventCount).toBeGreaterThan(20_000);
    expect(sink.batches.length).toBeLessThan(sink.eventCount / 400);
    expect(Math.max(...sink.counts)).toBeLessThanOrEqual(500);
    const s = sim.stats();
    expect(s.events).toBe(sink.eventCount);
    expect(s.batches).toBe(sink.batches.length);
    expect(s.lastSeqno).toBe(sink.lastSeqno);
  });

  it("fails loudly when the sink's seqnos disagree with the prediction (another writer)", async () => {
    let last = 0;
    const skewed: EventSink = { record: (_b, n) => (last += n + 1) };
    const sim = new Simulator(skewed, { maxBlocks: 3 }, { clock: new ManualClock() });
    await expect(sim.start()).rejects.toBeInstanceOf(SeqnoMismatchError);
    expect(sim.running).toBe(false);
  });

  it("propagates a sink error through start()", async () => {
    const sink = new MemorySink();
    sink.failNext = new Error("ring write failed");
    const sim = new Simulator(sink, { maxBlocks: 3 }, { clock: new ManualClock() });
    await expect(sim.start()).rejects.toThrow("ring write failed");
  });
});

describe("start / stop", () => {
  it("stops a flat-out run promptly, at a block boundary, leaving a well-formed stream", async () => {
    const sink = new MemorySink();
    const sim = new Simulator(sink, { seed: 2, flatOut: true });
    const done = sim.start();
    expect(sim.running).toBe(true);
    // Flat-out mode yields to the event loop, so this timer fires while it runs.
    await new Promise((r) => setTimeout(r, 150));
    const t = performance.now();
    await sim.stop();
    expect(performance.now() - t).toBeLessThan(500);
    await done;
    expect(sim.running).toBe(false);
    expect(sim.stats().blocks).toBeGreaterThan(3);
    const c = new ExecStreamChecker();
    for (const b of sink.batches) c.feedBatch(b);
    expect(c.finish()).toEqual([]);
  });

  it("stops a paced run in the middle of its sleep", async () => {
    const sim = new Simulator(new MemorySink(), { seed: 3, blocksPerSecond: 0.2, txnsPerBlock: 2 }, { clock: systemClock });
    const done = sim.start();
    await new Promise((r) => setTimeout(r, 50));
    const t = performance.now();
    await sim.stop();
    await done;
    expect(performance.now() - t).toBeLessThan(500);
    expect(sim.stats().blocks).toBe(1);
  });

  it("ends by itself after durationMs of clock time", async () => {
    const clock = new ManualClock();
    const { sim } = await run({ seed: 4, durationMs: 2000, drainConsensus: false }, clock);
    // Blocks at 0, 400, …, 1600 ms start before the limit.
    expect(sim.stats().blocks).toBe(5);
    const t = performance.now();
    const flat = await run({ seed: 4, durationMs: 100, flatOut: true }, systemClock as unknown as ManualClock);
    expect(performance.now() - t).toBeGreaterThanOrEqual(95);
    expect(flat.sim.stats().blocks).toBeGreaterThan(0);
  });

  it("refuses a second start and allows stop before start", async () => {
    const sim = new Simulator(new MemorySink(), { maxBlocks: 1 }, { clock: new ManualClock() });
    await sim.stop();
    const sim2 = new Simulator(new MemorySink(), { maxBlocks: 1 }, { clock: new ManualClock() });
    const done = sim2.start();
    expect(() => sim2.start()).toThrow(/twice/);
    await done;
  });

  it("reports each block to onBlock with its BLOCK_START seqno", async () => {
    const sink = new MemorySink();
    const seen: number[] = [];
    const sim = new Simulator(sink, { maxBlocks: 4, genesisTimeMs: GENESIS }, { clock: new ManualClock(), onBlock: (b) => seen.push(b.startSeqno) });
    await sim.start();
    const starts = sink.views().filter((v) => v.type === 2).map((v) => v.seqno);
    expect(seen).toEqual(starts);
  });
});
