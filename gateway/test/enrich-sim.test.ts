// The enrichments on simulator streams (src/producers/sim, in memory, virtual time): contention
// and schedule react to the configured contention, rejected and failed blocks yield Rejected /
// no ContentionData, TPS follows its definition at known block rates, events are stamped with
// their block's stage, and a reset drops only the block in progress.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { Enricher, type ContentionData, type EnrichOutput, type LifecycleUpdate, type TpsData } from "../src/enrich/index.js";
import { ManualClock, MemorySink, Simulator, type SimulatedBlockInfo, type SimulatorOptions } from "../src/producers/sim/index.js";
import { REC_SEQNO } from "../src/ring/event-record.js";

interface Run {
  blocks: SimulatedBlockInfo[];
  outputs: { seqno: number; eventType: number; out: EnrichOutput }[];
  /** commit_stage stamped on each event, by seqno. */
  stages: Map<number, string | undefined>;
  blockOf: Map<number, number>; // event seqno → its content_ext[0]
  enricher: Enricher;
}

async function simulate(opts: SimulatorOptions, resetAtSeqno?: number): Promise<Run> {
  const sink = new MemorySink();
  const blocks: SimulatedBlockInfo[] = [];
  await new Simulator(
    sink,
    { genesisTimeMs: 1_767_225_600_000, ...opts },
    { clock: new ManualClock(), onBlock: (b) => blocks.push(b) },
  ).start();
  const enricher = new Enricher();
  const outputs: Run["outputs"] = [];
  const stages = new Map<number, string | undefined>();
  const blockOf = new Map<number, number>();
  for (const { buf, off } of sink.records()) {
    const seqno = Number(buf.readBigUInt64LE(off + REC_SEQNO));
    if (seqno === resetAtSeqno) enricher.reset();
    const n = enricher.observe(buf, off);
    stages.set(seqno, enricher.commitStage(buf, off));
    blockOf.set(seqno, Number(buf.readBigUInt64LE(off + 32)));
    for (let i = 0; i < n; i++) outputs.push({ seqno, eventType: buf.readUInt16LE(off + 8), out: enricher.outputs[i] });
  }
  return { blocks, outputs, stages, blockOf, enricher };
}

const contentionOf = (r: Run) => r.outputs.filter((o) => o.out.type === "ContentionData").map((o) => o.out.data as ContentionData);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe("contention and schedule on simulated chains", () => {
  const base: SimulatorOptions = { seed: 21, maxBlocks: 12, txnsPerBlock: 120, rejectProbabilities: { blockReject: 0, txnReject: 0 } };
  const stat = (xs: ContentionData[]) => ({
    batches: mean(xs.map((c) => c.schedule.batch_count)),
    edges: mean(xs.map((c) => c.schedule.conflict_edges)),
    ratio: mean(xs.map((c) => c.contention_ratio)),
    speedup8: mean(xs.map((c) => c.schedule.ideal_speedup["8"])),
  });

  it("high contention gives more batches, more conflicts and a higher contention ratio than low contention", async () => {
    // Low: no hot contracts, state spread over many tokens, pools and accounts.
    const low = contentionOf(await simulate({ ...base, contention: { hotContracts: 0 }, tokens: 2000, pools: 500, accounts: 20_000 }));
    // High: every transaction touches up to 8 of 64 hot slots in 8 hot contracts.
    const high = contentionOf(
      await simulate({ ...base, contention: { hotContracts: 8, hotSlots: 64, hotFraction: 1, maxHotSlotsPerTxn: 8 } }),
    );
    expect(low).toHaveLength(12);
    expect(high).toHaveLength(12);
    const [l, h] = [stat(low), stat(high)];
    console.log("sim contention low vs high:", JSON.stringify({ low: l, high: h }));
    expect(h.batches).toBeGreaterThan(2 * l.batches);
    expect(h.edges).toBeGreaterThan(2 * l.edges);
    expect(h.ratio).toBeGreaterThan(2 * l.ratio);
    expect(h.speedup8).toBeLessThan(l.speedup8);
    for (const c of [...low, ...high]) {
      expect(c.total_txn_count).toBe(120);
      expect(c.schedule.batches.reduce((s, x) => s + x, 0)).toBe(120);
      expect(c.top_contended_slots.length).toBeLessThanOrEqual(20);
      expect(c.top_contended_contracts.length).toBeLessThanOrEqual(15);
      expect(c.contract_edges.length).toBeLessThanOrEqual(15);
    }
  });

  it("sees contention concentrated on two slots that the old contention_ratio misses", async () => {
    const spread = stat(contentionOf(await simulate({ ...base, contention: { hotContracts: 0 } })));
    const hot = contentionOf(
      await simulate({ ...base, contention: { hotContracts: 1, hotSlots: 2, hotFraction: 0.9, maxHotSlotsPerTxn: 2, writeFraction: 1 } }),
    );
    const focused = stat(hot);
    // 90% of the transactions write one of two slots: nearly sequential…
    expect(focused.batches).toBeGreaterThan(3 * spread.batches);
    expect(focused.speedup8).toBeLessThan(1.5);
    // …while the share of contended slots does not rise (the old metric counts slots, not txns).
    expect(focused.ratio).toBeLessThan(spread.ratio);
    for (const c of hot) expect(c.top_contended_slots[0].txn_count).toBeGreaterThan(40);
  });
});

describe("rejected and failed blocks", () => {
  it("rejected blocks end Rejected with no ContentionData; committed ones reach Verified", async () => {
    const r = await simulate({
      seed: 5,
      maxBlocks: 40,
      txnsPerBlock: 20,
      rejectProbabilities: { blockReject: 0.25, txnReject: 0, blockEvmError: 0.1 },
    });
    const rejected = r.blocks.filter((b) => b.outcome.kind === "reject");
    const failed = r.blocks.filter((b) => b.outcome.kind === "evmError");
    const committed = r.blocks.filter((b) => b.outcome.kind === "end");
    expect(rejected.length).toBeGreaterThan(3);
    expect(failed.length).toBeGreaterThan(0);
    const lc = r.enricher.lifecycle;
    for (const b of rejected) expect(lc.stageOfBlockSeqno(b.startSeqno)).toBe(4 /* Rejected */);
    for (const b of committed) expect(lc.stageOfBlockSeqno(b.startSeqno)).toBe(3 /* Verified */);
    // A failed execution (EVM_ERROR) is no rejection by itself; the block loses when another
    // proposal with its number is finalized.
    for (const b of failed) expect(lc.stageOfBlockSeqno(b.startSeqno)).toBe(4 /* Rejected */);

    // ContentionData only after the BLOCK_END of committed blocks, in order.
    const cd = r.outputs.filter((o) => o.out.type === "ContentionData");
    expect(cd.map((o) => r.blockOf.get(o.seqno))).toEqual(committed.map((b) => b.startSeqno));
    expect(cd.every((o) => o.eventType === T.BLOCK_END)).toBe(true);
    expect(cd.map((o) => (o.out.data as ContentionData).total_txn_count)).toEqual(committed.map((b) => b.txnCount));

    // One Rejected update per rejected block, caused by its BLOCK_REJECT; one per failed block,
    // caused by the BLOCK_FINALIZED of its number's winner.
    const rej = r.outputs.filter((o) => o.out.type === "Lifecycle" && (o.out.data as LifecycleUpdate).to_stage === "Rejected");
    expect(rej.filter((o) => o.eventType === T.BLOCK_REJECT).map((o) => r.blockOf.get(o.seqno))).toEqual(rejected.map((b) => b.startSeqno));
    const byFinalization = rej.filter((o) => o.eventType === T.BLOCK_FINALIZED).map((o) => o.out.data as LifecycleUpdate);
    expect(byFinalization.map((u) => u.block_hash)).toEqual(failed.map((b) => "0x" + Buffer.from(b.id).toString("hex")));
    expect(rej).toHaveLength(rejected.length + failed.length);
  });

  it("stamps every event of a block with the stage its block has when the event is processed", async () => {
    const r = await simulate({ seed: 6, maxBlocks: 15, txnsPerBlock: 10, rejectProbabilities: { blockReject: 0.3, txnReject: 0 } });
    const rejectSeqno = new Map<number, number>(); // block → seqno of its BLOCK_REJECT
    for (const o of r.outputs) if (o.eventType === T.BLOCK_REJECT) rejectSeqno.set(r.blockOf.get(o.seqno)!, o.seqno);
    let inBlock = 0;
    for (const [seqno, stage] of r.stages) {
      const block = r.blockOf.get(seqno)!;
      if (block === 0) continue; // consensus events, checked through the lifecycle tests
      inBlock++;
      const rejectedAt = rejectSeqno.get(block);
      // Execution ends long before the QC (400 ms later): in-block events are Proposed, the
      // BLOCK_REJECT itself already Rejected.
      expect(stage).toBe(rejectedAt !== undefined && seqno >= rejectedAt ? "Rejected" : "Proposed");
    }
    expect(inBlock).toBeGreaterThan(500);
  });
});

describe("TPS on simulated chains", () => {
  /** The definition, from the simulator's own record of each block. */
  function expected(blocks: SimulatedBlockInfo[], i: number, intervalMs: number): number {
    const window = blocks.slice(Math.max(0, i - 3), i);
    const txns = window.map((b, k) =>
      b.outcome.kind === "end" && !blocks.slice(k + Math.max(0, i - 3) + 1, i + 1).some((l) => l.number <= b.number) ? b.txnCount : 0,
    );
    const w = window.map((_, k) => (k === window.length - 1 ? 0.5 : 1));
    const W = w.reduce((s, x) => s + x, 0);
    return W === 0 ? 0 : txns.reduce((s, x, k) => s + x * w[k], 0) / (W * (intervalMs / 1000));
  }

  for (const [bps, intervalMs] of [
    [2.5, 400],
    [5, 200],
    [1, 1000],
  ] as const) {
    it(`follows the definition at ${bps} blocks/s (rejected blocks count 0)`, async () => {
      const r = await simulate({
        seed: 9,
        blocksPerSecond: bps,
        maxBlocks: 25,
        txnsPerBlock: { min: 10, max: 200 },
        rejectProbabilities: { blockReject: 0.2, txnReject: 0 },
      });
      const tps = r.outputs.filter((o) => o.out.type === "TPS").map((o) => o.out.data as TpsData);
      expect(tps).toHaveLength(r.blocks.length);
      expect(r.blocks.some((b) => b.outcome.kind !== "end")).toBe(true);
      tps.forEach((v, i) => {
        expect(v.block_number).toBe(r.blocks[i].number);
        expect(v.tps_exact).toBeCloseTo(expected(r.blocks, i, intervalMs), 6);
        expect(v.tps).toBe(Math.floor(v.tps_exact + 1e-9));
        if (i >= 3) expect(v.block_interval_ms).toBeCloseTo(intervalMs, 9);
      });
      if (bps === 2.5) {
        // At 400 ms blocks the integer is the old b1 + b2 + ⌊b3/2⌋ (with rejected blocks as 0).
        for (let i = 3; i < tps.length; i++) {
          const [b1, b2, b3] = [3, 2, 1].map((k) => (r.blocks[i - k].outcome.kind === "end" ? r.blocks[i - k].txnCount : 0));
          const superseded = (k: number) => r.blocks.slice(i - k + 1, i + 1).some((l) => l.number <= r.blocks[i - k].number);
          if ([3, 2, 1].some(superseded)) continue;
          expect(tps[i].tps).toBe(b1 + b2 + Math.floor(b3 / 2));
        }
      }
    });
  }
});

describe("reset on a ring gap", () => {
  it("drops the block in progress and keeps going", async () => {
    const probe = await simulate({ seed: 3, maxBlocks: 6, txnsPerBlock: 30, rejectProbabilities: { blockReject: 0, txnReject: 0 } });
    const third = probe.blocks[2];
    const r = await simulate(
      { seed: 3, maxBlocks: 6, txnsPerBlock: 30, rejectProbabilities: { blockReject: 0, txnReject: 0 } },
      third.startSeqno + 50,
    );
    const cd = contentionOf(r).map((c) => c.block_number);
    expect(cd).toEqual(probe.blocks.filter((b) => b !== third).map((b) => b.number));
    // Blocks after the gap have identical contention data to the run without it.
    const same = (run: Run) => contentionOf(run).filter((c) => c.block_number > third.number);
    expect(same(r)).toEqual(same(probe));
    // The TPS window restarted at the gap: the next BLOCK_START sees an empty window.
    const tps = r.outputs.filter((o) => o.out.type === "TPS").map((o) => o.out.data as TpsData);
    expect(tps[3].window_blocks).toBe(0);
    expect(tps[4].window_blocks).toBe(0.5);
  });
});
