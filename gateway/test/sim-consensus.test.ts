// Consensus timing: BLOCK_QC / BLOCK_FINALIZED / BLOCK_VERIFIED follow each committed block at
// the configured delays, between later blocks, never for failed blocks; plus block pacing.
// Runs on a ManualClock (virtual time), so nothing here depends on machine speed.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { ExecStreamChecker, ManualClock, MemorySink, Simulator, systemClock, type SimulatorOptions } from "../src/producers/sim/index.js";
import { bytes, num, splitBlocks, type RecordView } from "../src/producers/sim/record-view.js";

const GENESIS = 1_767_225_600_000;
const MS = 1_000_000n;

async function run(opts: SimulatorOptions, clock = new ManualClock()) {
  const sink = new MemorySink();
  const sim = new Simulator(sink, { genesisTimeMs: GENESIS, ...opts }, { clock });
  await sim.start();
  const views = sink.views();
  return { sim, sink, clock, views, ...splitBlocks(views) };
}

const idOf = (v: RecordView) => bytes(v, "block_id").toString("hex");

describe("consensus events", () => {
  it("QC 400 ms, FINALIZED 800 ms, VERIFIED 1600 ms after BLOCK_START at 2.5 blocks/s, outside any block", async () => {
    const { blocks, outside } = await run({ seed: 1, maxBlocks: 30, rejectProbabilities: { blockReject: 0.15 } });
    const committed = blocks.filter((b) => b.committed);
    const failed = blocks.filter((b) => !b.committed);
    expect(failed.length).toBeGreaterThan(0);
    expect(committed.length).toBeGreaterThan(20);

    const byType = (t: T) => new Map(outside.filter((o) => o.view.type === t).map((o) => [t === T.BLOCK_VERIFIED ? num(o.view, "block_number") : idOf(o.view), o]));
    const qcs = byType(T.BLOCK_QC);
    const fins = byType(T.BLOCK_FINALIZED);
    const vers = byType(T.BLOCK_VERIFIED);
    expect(qcs.size).toBe(committed.length);
    expect(fins.size).toBe(committed.length);
    expect(vers.size).toBe(committed.length);

    for (const b of committed) {
      const id = idOf(b.start);
      const number = num(b.start, "block_number");
      const qc = qcs.get(id)!;
      const fin = fins.get(id)!;
      const ver = vers.get(number)!;
      expect(num(qc.view, "block_number")).toBe(number);
      expect(num(qc.view, "round")).toBe(num(b.start, "round"));
      expect(num(qc.view, "epoch")).toBe(num(b.start, "epoch"));
      expect(num(fin.view, "block_number")).toBe(number);
      const t0 = b.start.epochNanos;
      expect(qc.view.epochNanos - t0).toBe(400n * MS);
      expect(fin.view.epochNanos - t0).toBe(800n * MS);
      expect(ver.view.epochNanos - t0).toBe(1600n * MS);
      // Recorded between later blocks: QC before the next block, FINALIZED before the one after.
      const index = blocks.indexOf(b);
      // (The last blocks' events come after the last block, while draining.)
      expect(qc.beforeBlock).toBe(Math.min(index + 1, blocks.length));
      expect(fin.beforeBlock).toBe(Math.min(index + 2, blocks.length));
      expect(ver.beforeBlock).toBe(Math.min(index + 4, blocks.length));
    }
    for (const b of failed) {
      expect(qcs.has(idOf(b.start))).toBe(false);
      expect(fins.has(idOf(b.start))).toBe(false);
    }
    // Content_ext of consensus events is all zero.
    for (const o of outside) expect([o.view.blockSeqno, o.view.txnId, o.view.accountIndex, o.view.ext3]).toEqual([0, 0, 0, 0]);
  });

  it("follows configured delays and keeps QC < FINALIZED < VERIFIED under jitter", async () => {
    const { blocks, outside } = await run({ seed: 2, maxBlocks: 40, consensus: { qcDelayMs: 150, finalizedDelayMs: 500, verifiedDelayMs: 2000, jitterMs: 60 }, rejectProbabilities: { blockReject: 0 } });
    const start = new Map(blocks.map((b) => [num(b.start, "block_number"), b.start.epochNanos]));
    const seen = new Map<number, T[]>();
    const last = new Map<T, number>();
    for (const { view } of outside) {
      const n = num(view, "block_number");
      const delayMs = Number(view.epochNanos - start.get(n)!) / 1e6;
      const target = view.type === T.BLOCK_QC ? 150 : view.type === T.BLOCK_FINALIZED ? 500 : 2000;
      expect(Math.abs(delayMs - target)).toBeLessThanOrEqual(60 + 1e-6);
      seen.set(n, [...(seen.get(n) ?? []), view.type]);
      // Each kind arrives in block order.
      expect(n).toBeGreaterThan(last.get(view.type) ?? -1);
      last.set(view.type, n);
    }
    for (const [, types] of seen) expect(types).toEqual([T.BLOCK_QC, T.BLOCK_FINALIZED, T.BLOCK_VERIFIED]);
    expect(seen.size).toBe(40);
  });

  it("records a failed block's successor under the same number, and only the successor gets consensus events", async () => {
    const { blocks, outside } = await run({ seed: 3, maxBlocks: 40, rejectProbabilities: { blockReject: 0.2 } });
    const numbers = outside.filter((o) => o.view.type === T.BLOCK_FINALIZED).map((o) => num(o.view, "block_number"));
    // Finalized numbers are consecutive: a failed block's number is reused by the next proposal.
    numbers.forEach((n, i) => i > 0 && expect(n).toBe(numbers[i - 1] + 1));
    for (let i = 0; i + 1 < blocks.length; i++) {
      const n = num(blocks[i].start, "block_number");
      expect(num(blocks[i + 1].start, "block_number")).toBe(blocks[i].committed ? n + 1 : n);
      expect(num(blocks[i + 1].start, "round")).toBe(num(blocks[i].start, "round") + 1);
    }
  });

  it("drains the last blocks' consensus events at their times, or skips them when asked", async () => {
    const a = await run({ seed: 4, maxBlocks: 5, rejectProbabilities: { blockReject: 0 } });
    expect(a.outside.filter((o) => o.view.type === T.BLOCK_VERIFIED)).toHaveLength(5);
    expect(a.sim.stats().pendingConsensus).toBe(0);
    // Last VERIFIED is 1600 ms after the last block start at 4 × 400 ms.
    expect(a.clock.nowMs()).toBeCloseTo(4 * 400 + 1600, 6);
    const b = await run({ seed: 4, maxBlocks: 5, drainConsensus: false, rejectProbabilities: { blockReject: 0 } });
    expect(b.outside.filter((o) => o.view.type === T.BLOCK_VERIFIED).length).toBeLessThan(5);
    expect(b.sim.stats().pendingConsensus).toBeGreaterThan(0);
  });
});

describe("pacing", () => {
  it("starts blocks one interval apart in simulated time and flushes each block in one sink call", async () => {
    const { blocks, sink, clock } = await run({ seed: 5, maxBlocks: 10, blocksPerSecond: 4, drainConsensus: false });
    blocks.forEach((b, i) => expect(b.start.epochNanos - blocks[0].start.epochNanos).toBe(BigInt(i * 250) * MS));
    // BLOCK_START.timestamp (seconds) follows the same clock.
    expect(num(blocks[9].start, "timestamp")).toBe(Math.floor((GENESIS + 9 * 250) / 1000));
    // Each block was handed over whole: no batch ends inside a block.
    for (const batch of sink.batches) {
      const v = splitBlocks(new MemorySinkView(batch).views).blocks;
      for (const b of v) expect(b.terminator).toBeDefined();
    }
    // The loop slept the rest of each interval (virtual time).
    expect(clock.nowMs()).toBeGreaterThanOrEqual(9 * 250);
    expect(clock.nowMs()).toBeLessThan(10 * 250);
  });

  it("keeps a fast chain (200 blocks/s) on schedule, without drift", async () => {
    const { blocks, sink } = await run({ seed: 8, maxBlocks: 40, blocksPerSecond: 200, txnsPerBlock: 50, drainConsensus: false });
    blocks.forEach((b, i) => expect(b.start.epochNanos - blocks[0].start.epochNanos).toBe(BigInt(i * 5) * MS));
    for (const b of blocks) expect(Number(b.terminator!.epochNanos - b.start.epochNanos) / 1e6).toBeLessThan(5);
    const c = new ExecStreamChecker();
    for (const batch of sink.batches) c.feedBatch(batch);
    expect(c.finish()).toEqual([]);
  });

  it("keeps block execution spans inside the interval, with parallel-looking TXN_PERF timing", async () => {
    const { blocks } = await run({ seed: 6, maxBlocks: 6, txnsPerBlock: 300, parallelism: 8, drainConsensus: false });
    for (const b of blocks) {
      const span = Number(b.terminator!.epochNanos - b.start.epochNanos) / 1e6;
      expect(span).toBeGreaterThan(0);
      expect(span).toBeLessThanOrEqual(0.6 * 400 + 1);
      // Timestamps never go backwards.
      b.events.forEach((e, i) => i > 0 && expect(e.epochNanos >= b.events[i - 1].epochNanos).toBe(true));
      // Sum of per-transaction execution time exceeds the EVM section: transactions overlapped.
      const enter = new Map<number, bigint>();
      let busy = 0n;
      for (const e of b.events) {
        if (e.type === T.TXN_PERF_EVM_ENTER) enter.set(e.txnId, e.epochNanos);
        if (e.type === T.TXN_PERF_EVM_EXIT) busy += e.epochNanos - enter.get(e.txnId)!;
      }
      const evmEnter = b.events.find((e) => e.type === T.BLOCK_PERF_EVM_ENTER)!.epochNanos;
      const evmExit = b.events.find((e) => e.type === T.BLOCK_PERF_EVM_EXIT)!.epochNanos;
      expect(Number(busy) / Number(evmExit - evmEnter)).toBeGreaterThan(2);
    }
  });

  it("paces on the real clock too (20 blocks/s for 6 blocks ≈ 250 ms)", async () => {
    const t = performance.now();
    const { blocks } = await run({ seed: 7, maxBlocks: 6, blocksPerSecond: 20, txnsPerBlock: 5, drainConsensus: false }, systemClock as unknown as ManualClock);
    const elapsed = performance.now() - t;
    expect(blocks).toHaveLength(6);
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(3000);
  });
});

/** Views of one batch (a MemorySink with a single batch). */
class MemorySinkView {
  readonly views: RecordView[];
  constructor(batch: Buffer) {
    const s = new MemorySink();
    s.batches.push(batch);
    this.views = s.views();
  }
}
