// The latest blocks and where each is in its lifecycle, merged from Lifecycle frames, the REST
// summaries (/v1/blocks/lifecycle) and ContentionData. Stages only move forward, so the sources can
// arrive in any order.
import { COMMIT_STAGES, type BlockLifecycleSummary, type BlockLifecycleUpdate, type CommitStage, type ContentionData, type Int } from "@monad-gateway/sdk";

export interface BlockRecord {
  number: number;
  /** Consensus block id. */
  hash: string;
  stage: CommitStage;
  /** Milliseconds from Proposed to each stage reached, when known. */
  timings: Partial<Record<CommitStage, number>>;
  txnCount: number;
  gasUsed: Int | null;
  contention: ContentionData | null;
}

export const PIPELINE: readonly CommitStage[] = ["Proposed", "Voted", "Finalized", "Verified"];

const rank = (s: CommitStage): number => COMMIT_STAGES.indexOf(s);

export class BlocksStore {
  private readonly blocks = new Map<number, BlockRecord>();

  constructor(readonly capacity = 64) {}

  /** A stage transition. Snapshot updates say where a block is now, not when it got there. */
  applyLifecycle(u: BlockLifecycleUpdate, fromSnapshot: boolean): BlockRecord {
    const b = this.record(Number(u.block_number), u.block_hash);
    this.advance(b, u.to_stage);
    if (u.to_stage === "Proposed") b.timings.Proposed = 0;
    else if (!fromSnapshot && b.timings[u.to_stage] === undefined) b.timings[u.to_stage] = u.block_age_ms;
    b.txnCount = Math.max(b.txnCount, u.txn_count);
    if (u.gas_used !== undefined) b.gasUsed = u.gas_used;
    return b;
  }

  applySummary(s: BlockLifecycleSummary): void {
    const b = this.record(Number(s.block_number), s.block_hash);
    this.advance(b, s.current_stage);
    b.timings.Proposed = 0;
    for (const stage of COMMIT_STAGES) {
      const ms = s.stage_timings_ms[stage];
      if (ms !== undefined && b.timings[stage] === undefined) b.timings[stage] = ms;
    }
    b.txnCount = Math.max(b.txnCount, s.txn_count);
    if (s.gas_used !== undefined) b.gasUsed = s.gas_used;
  }

  applyContention(c: ContentionData): void {
    const n = Number(c.block_number);
    // Contention of a block older than everything kept would only be pruned again.
    if (!this.blocks.has(n) && this.blocks.size >= this.capacity && n < this.oldest()) return;
    const b = this.record(n, "");
    b.contention = c;
    b.txnCount = Math.max(b.txnCount, c.total_txn_count);
  }

  /** Newest first. */
  recent(limit: number): BlockRecord[] {
    return [...this.blocks.values()].sort((a, b) => b.number - a.number).slice(0, limit);
  }

  get size(): number {
    return this.blocks.size;
  }

  /** Median milliseconds from Proposed to `stage` over the blocks kept that reached it. */
  medianTiming(stage: CommitStage): number | null {
    const values: number[] = [];
    for (const b of this.blocks.values()) {
      const ms = b.timings[stage];
      if (ms !== undefined && b.stage !== "Rejected") values.push(ms);
    }
    if (values.length === 0) return null;
    values.sort((a, b) => a - b);
    const mid = values.length >> 1;
    return values.length % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** The highest block number at or past `stage` (Rejected blocks never count). */
  highestAt(stage: CommitStage): number | null {
    let best: number | null = null;
    for (const b of this.blocks.values()) if (b.stage !== "Rejected" && rank(b.stage) >= rank(stage) && (best === null || b.number > best)) best = b.number;
    return best;
  }

  clear(): void {
    this.blocks.clear();
  }

  private record(n: number, hash: string): BlockRecord {
    let b = this.blocks.get(n);
    if (!b) {
      b = { number: n, hash, stage: "Proposed", timings: {}, txnCount: 0, gasUsed: null, contention: null };
      this.blocks.set(n, b);
      while (this.blocks.size > this.capacity) this.blocks.delete(this.oldest());
    } else if (hash && !b.hash) b.hash = hash;
    return b;
  }

  private advance(b: BlockRecord, stage: CommitStage): void {
    if (rank(stage) > rank(b.stage)) b.stage = stage;
  }

  private oldest(): number {
    let min = Infinity;
    for (const n of this.blocks.keys()) if (n < min) min = n;
    return min;
  }
}
