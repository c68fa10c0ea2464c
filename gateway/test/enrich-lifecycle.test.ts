// Block lifecycle through the Enricher, on hand-built record streams: stage transitions and
// their updates, forward-only moves, rejects and losing proposals, consensus events for unknown
// blocks, commit-stage stamping, listeners, REST summaries and the memory bounds.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { BatchBuilder } from "../src/encode/batch-builder.js";
import { Enricher, Stage, hasReached, type EnrichOutput, type EnricherOptions, type StageChange } from "../src/enrich/index.js";
import { recordSize } from "../src/ring/event-record.js";

const MS = 1_000_000n;
const T0 = 1_767_225_600_000n * MS; // ring timestamps are UNIX ns (~1.7e18: beyond 2^53)

const id = (n: number) => "0x" + n.toString(16).padStart(64, "0");

/** Builds records and feeds them to an Enricher one at a time, collecting outputs and stages. */
class Feed {
  readonly enricher: Enricher;
  readonly outputs: EnrichOutput[] = [];
  private seqno = 0;

  constructor(opts?: EnricherOptions) {
    this.enricher = new Enricher(opts);
  }

  /** Appends one event at ring time T0 + ms; returns its seqno and the commit stage it got. */
  private emit(ev: Parameters<BatchBuilder["add"]>[0], ms: number): { seqno: number; stage: string | undefined; outputs: EnrichOutput[] } {
    const b = new BatchBuilder(1024);
    const seqno = ++this.seqno;
    b.add({ ...ev, seqno, epochNanos: T0 + BigInt(Math.round(ms * 1e6)) } as Parameters<BatchBuilder["add"]>[0]);
    const n = this.enricher.observe(b.buffer, 0);
    const outputs = this.enricher.outputs.slice(0, n);
    this.outputs.push(...outputs);
    return { seqno, stage: this.enricher.commitStage(b.buffer, 0), outputs };
  }

  start(number: number, blockId: string, ms: number, txnCount = 3) {
    const seqno = this.seqno + 1;
    return this.emit(
      { type: T.BLOCK_START, blockSeqno: seqno, payload: { block_number: number, block_id: blockId, txn_count: txnCount } },
      ms,
    );
  }
  txnEvent(blockSeqno: number, ms: number) {
    return this.emit({ type: T.TXN_HEADER_END, blockSeqno, txnIndex: 0 }, ms);
  }
  end(blockSeqno: number, ms: number, gasUsed = 63_000) {
    return this.emit({ type: T.BLOCK_END, blockSeqno, payload: { gas_used: gasUsed, eth_block_hash: id(0xeeee) } }, ms);
  }
  reject(blockSeqno: number, ms: number) {
    return this.emit({ type: T.BLOCK_REJECT, blockSeqno, payload: { reason: 3 } }, ms);
  }
  qc(number: number, blockId: string, ms: number) {
    return this.emit({ type: T.BLOCK_QC, payload: { block_number: number, block_id: blockId, round: 1, epoch: 1 } }, ms);
  }
  finalized(number: number, blockId: string, ms: number) {
    return this.emit({ type: T.BLOCK_FINALIZED, payload: { block_number: number, block_id: blockId } }, ms);
  }
  verified(number: number, ms: number) {
    return this.emit({ type: T.BLOCK_VERIFIED, payload: { block_number: number } }, ms);
  }

  lifecycle() {
    return this.outputs.filter((o) => o.type === "Lifecycle").map((o) => o.data);
  }
}

describe("lifecycle stages", () => {
  it("Proposed → Voted → Finalized → Verified with the Rust gateway's update fields, times from ring timestamps", () => {
    const f = new Feed();
    const s = f.start(100, id(1), 0, 7);
    expect(s.stage).toBe("Proposed");
    expect(s.outputs.map((o) => o.type)).toEqual(["TPS", "Lifecycle"]);
    expect(f.txnEvent(s.seqno, 10).stage).toBe("Proposed");
    f.end(s.seqno, 150.5, 123_456);
    expect(f.qc(100, id(1), 400).stage).toBe("Voted");
    expect(f.finalized(100, id(1), 800).stage).toBe("Finalized");
    expect(f.txnEvent(s.seqno, 801).stage).toBe("Finalized"); // a late event of the block
    expect(f.verified(100, 1600).stage).toBe("Verified");

    const ups = f.lifecycle();
    expect(ups).toEqual([
      { block_hash: id(1), block_number: 100, to_stage: "Proposed", block_age_ms: 0, txn_count: 7 },
      {
        block_hash: id(1),
        block_number: 100,
        from_stage: "Proposed",
        to_stage: "Voted",
        time_in_previous_stage_ms: 400,
        block_age_ms: 400,
        txn_count: 7,
        gas_used: 123_456,
      },
      {
        block_hash: id(1),
        block_number: 100,
        from_stage: "Voted",
        to_stage: "Finalized",
        time_in_previous_stage_ms: 400,
        block_age_ms: 800,
        txn_count: 7,
        gas_used: 123_456,
      },
      {
        block_hash: id(1),
        block_number: 100,
        from_stage: "Finalized",
        to_stage: "Verified",
        time_in_previous_stage_ms: 800,
        block_age_ms: 1600,
        txn_count: 7,
        gas_used: 123_456,
      },
    ]);
    // Key order of the wire object = the Rust struct's field order.
    expect(Object.keys(ups[1])).toEqual([
      "block_hash",
      "block_number",
      "from_stage",
      "to_stage",
      "time_in_previous_stage_ms",
      "block_age_ms",
      "txn_count",
      "gas_used",
    ]);

    const summary = f.enricher.lifecycleSummary(100)!;
    expect(summary).toEqual({
      block_hash: id(1),
      block_number: 100,
      current_stage: "Verified",
      txn_count: 7,
      gas_used: 123_456,
      eth_block_hash: id(0xeeee),
      stage_timings_ms: { Voted: 400, Finalized: 800, Verified: 1600 },
      execution_time_ms: 150.5,
      total_age_ms: 1600,
    });
    expect(Object.keys(summary)).toEqual([
      "block_hash",
      "block_number",
      "current_stage",
      "txn_count",
      "gas_used",
      "eth_block_hash",
      "stage_timings_ms",
      "execution_time_ms",
      "total_age_ms",
    ]);
    expect(f.enricher.activeLifecycleUpdates()).toEqual([]);
    expect(f.enricher.lifecycleSummaries()).toEqual([summary]);
    expect(f.enricher.lifecycleSummary(99)).toBeUndefined();
  });

  it("moves forward only: late or repeated consensus events change nothing", () => {
    const f = new Feed();
    f.start(5, id(5), 0);
    f.finalized(5, id(5), 100); // QC never seen: skipping a stage is fine
    expect(f.qc(5, id(5), 200).outputs).toEqual([]); // backward: ignored
    expect(f.finalized(5, id(5), 300).outputs).toEqual([]); // repeated: ignored
    expect(f.lifecycle().map((u) => [u.from_stage, u.to_stage])).toEqual([
      [undefined, "Proposed"],
      ["Proposed", "Finalized"],
    ]);
    expect(f.enricher.lifecycle.stageOfNumber(5)).toBe(Stage.Finalized);
  });

  it("Rejected is reachable from Proposed, Voted and Finalized, but not after Verified; rejected blocks reach no min_stage", () => {
    for (const steps of [0, 1, 2]) {
      const f = new Feed();
      const s = f.start(9, id(9), 0);
      if (steps >= 1) f.qc(9, id(9), 10);
      if (steps >= 2) f.finalized(9, id(9), 20);
      const r = f.reject(s.seqno, 30);
      expect(r.stage).toBe("Rejected");
      const last = r.outputs.at(-1)!.data as { from_stage: string; to_stage: string; time_in_previous_stage_ms: number };
      expect(last).toMatchObject({ from_stage: ["Proposed", "Voted", "Finalized"][steps], to_stage: "Rejected" });
      expect(last.time_in_previous_stage_ms).toBe(30 - [0, 10, 20][steps]);
      expect(f.txnEvent(s.seqno, 31).stage).toBe("Rejected");
      expect(hasReached(Stage.Rejected, Stage.Proposed)).toBe(false);
    }
    const f = new Feed();
    const s = f.start(9, id(9), 0);
    f.verified(9, 5);
    expect(f.reject(s.seqno, 6).outputs).toEqual([]);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(s.seqno)).toBe(Stage.Verified);
  });

  it("rejects the proposals that lose: same number, another id, when the winner is finalized", () => {
    const f = new Feed();
    const a = f.start(50, id(0xa), 0);
    const b = f.start(50, id(0xb), 400);
    f.qc(50, id(0xa), 410);
    const fin = f.finalized(50, id(0xb), 800);
    expect(fin.outputs.map((o) => o.data)).toMatchObject([
      { block_hash: id(0xb), from_stage: "Proposed", to_stage: "Finalized" },
      { block_hash: id(0xa), from_stage: "Voted", to_stage: "Rejected", block_age_ms: 800 },
    ]);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(a.seqno)).toBe(Stage.Rejected);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(b.seqno)).toBe(Stage.Finalized);
    // By number, the finalized proposal is "the" block; VERIFIED (number only) goes to it.
    expect(f.enricher.lifecycleSummary(50)!.block_hash).toBe(id(0xb));
    expect(f.verified(50, 1600).outputs.map((o) => o.data)).toMatchObject([{ block_hash: id(0xb), to_stage: "Verified" }]);
    // Even when the winner was never executed here, a FINALIZED for another id rejects the loser.
    const g = new Feed();
    const lone = g.start(60, id(1), 0);
    g.finalized(60, id(2), 800);
    expect(g.enricher.lifecycle.stageOfBlockSeqno(lone.seqno)).toBe(Stage.Rejected);
  });

  it("keeps blocks with the same id but different numbers apart", () => {
    const f = new Feed();
    const a = f.start(1, id(0), 0);
    const b = f.start(2, id(0), 400);
    f.finalized(1, id(0), 500);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(a.seqno)).toBe(Stage.Finalized);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(b.seqno)).toBe(Stage.Proposed);
  });

  it("ignores consensus events for blocks it never saw start (started mid-stream)", () => {
    const f = new Feed();
    expect(f.qc(7, id(7), 0)).toMatchObject({ outputs: [], stage: undefined });
    expect(f.finalized(7, id(7), 1)).toMatchObject({ outputs: [], stage: undefined });
    expect(f.verified(7, 2)).toMatchObject({ outputs: [], stage: undefined });
    expect(f.reject(12345, 3)).toMatchObject({ outputs: [], stage: undefined });
    expect(f.txnEvent(12345, 4).stage).toBeUndefined();
    expect(f.enricher.lifecycle.stats.unknownConsensusEvents).toBe(4);
    expect(f.enricher.lifecycleSummaries()).toEqual([]);
  });

  it("BLOCK_VERIFIED without a seen FINALIZED verifies the latest open proposal of that number", () => {
    const f = new Feed();
    f.start(3, id(0x31), 0);
    const b = f.start(3, id(0x32), 100);
    f.verified(3, 900);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(b.seqno)).toBe(Stage.Verified);
  });

  it("tells stage listeners about every transition, with the block seqno events carry", () => {
    const f = new Feed();
    const seen: string[] = [];
    const off = f.enricher.lifecycle.onStage((c: StageChange) => {
      seen.push(
        c.kind === "stage"
          ? `${c.block.blockSeqno}:${c.block.blockNumber}:${Stage[c.stage]}:${c.block.closed}`
          : `evicted:${c.block.blockSeqno}`,
      );
    });
    const s = f.start(8, id(8), 0);
    f.qc(8, id(8), 1);
    f.verified(8, 2);
    off();
    f.start(9, id(9), 3);
    expect(seen).toEqual([`${s.seqno}:8:Proposed:false`, `${s.seqno}:8:Voted:false`, `${s.seqno}:8:Verified:true`]);
  });
});

describe("lifecycle memory bounds", () => {
  it("keeps at most maxActive active and maxFinished finished blocks, notifying evictions", () => {
    const f = new Feed({ lifecycle: { maxActive: 50, maxFinished: 20 } });
    const evicted: number[] = [];
    f.enricher.lifecycle.onStage((c) => c.kind === "evicted" && evicted.push(c.block.blockNumber));
    for (let n = 1; n <= 1000; n++) {
      f.start(n, id(n), n * 400);
      if (n % 2 === 0) f.verified(n, n * 400 + 1); // half finish, half never finalize
      expect(f.enricher.lifecycle.activeCount).toBeLessThanOrEqual(50);
      expect(f.enricher.lifecycle.finishedCount).toBeLessThanOrEqual(20);
    }
    // The 500 blocks that never finalize are evicted, oldest first, except those still active.
    const active = f.enricher.lifecycle.activeCount;
    expect(active).toBeGreaterThanOrEqual(49);
    expect(evicted.length + active).toBe(500);
    expect(evicted.slice(0, 3)).toEqual([1, 3, 5]);
    expect(f.enricher.lifecycleSummaries().length).toBe(20 + active);
    // An evicted block no longer changes.
    expect(f.qc(1, id(1), 500_000).outputs).toEqual([]);
  });

  it("evicts active blocks older than maxActiveAgeMs of ring time", () => {
    const f = new Feed({ lifecycle: { maxActiveAgeMs: 10_000 } });
    for (let n = 1; n <= 100; n++) f.start(n, id(n), n * 400);
    // 10 s / 400 ms = 25 blocks fit in the age limit (plus the one being proposed now).
    expect(f.enricher.lifecycle.activeCount).toBe(26);
    expect(f.enricher.lifecycle.stats.evicted).toBe(74);
  });
});

describe("block outcomes seen by the other enrichments", () => {
  it("a rejected block produces no ContentionData, a committed one does", () => {
    const f = new Feed();
    const a = f.start(1, id(1), 0);
    expect(f.reject(a.seqno, 100).outputs.map((o) => o.type)).toEqual(["Lifecycle"]);
    const b = f.start(1, id(2), 400);
    expect(f.end(b.seqno, 500).outputs.map((o) => o.type)).toEqual(["TopAccesses", "ContentionData"]);
  });

  it("reset() after a ring gap drops the block in progress: its BLOCK_END yields no ContentionData", () => {
    const f = new Feed();
    const a = f.start(1, id(1), 0);
    f.enricher.reset();
    expect(f.end(a.seqno, 100).outputs.map((o) => o.type)).toEqual(["TopAccesses"]);
    expect(f.enricher.lifecycle.stageOfBlockSeqno(a.seqno)).toBe(Stage.Proposed); // consensus state survives
  });

  it("observes a batch of many records in one buffer", () => {
    const b = new BatchBuilder();
    b.add({ type: T.BLOCK_START, seqno: 1, blockSeqno: 1, epochNanos: T0, payload: { block_number: 1, block_id: id(1), txn_count: 0 } });
    b.add({ type: T.BLOCK_END, seqno: 2, blockSeqno: 1, epochNanos: T0 + 5n * MS });
    b.add({ type: T.BLOCK_QC, seqno: 3, epochNanos: T0 + 6n * MS, payload: { block_number: 1, block_id: id(1) } });
    const e = new Enricher();
    const types: string[] = [];
    const buf = b.buffer;
    for (let r = 0; r < buf.length; r += recordSize(buf.readUInt32LE(r + 12))) {
      const n = e.observe(buf, r);
      for (let i = 0; i < n; i++) types.push(e.outputs[i].type);
    }
    expect(types).toEqual(["TPS", "Lifecycle", "TopAccesses", "ContentionData", "Lifecycle"]);
    expect(e.latestContention).toMatchObject({
      block_number: 1,
      block_wall_time_ns: 5_000_000,
      total_txn_count: 0,
      schedule: { batch_count: 0 },
    });
  });
});
