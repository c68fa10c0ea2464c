// Block lifecycle: which public commit stage each block is in, the updates the Rust gateway
// sent on each transition (`Lifecycle` frames), and the REST summaries (`/v1/blocks/lifecycle`).
//
//   BLOCK_START     → Proposed   (a new block record, keyed by its BLOCK_START seqno)
//   BLOCK_QC        → Voted      (matched by block number + consensus block id)
//   BLOCK_FINALIZED → Finalized  (same); other proposals with that number and another id → Rejected
//   BLOCK_VERIFIED  → Verified   (carries only a number: the finalized proposal with that number)
//   BLOCK_REJECT    → Rejected   (the block whose BLOCK_START its content_ext[0] names)
//   BLOCK_END       → no stage change; records gas_used, eth_block_hash, execution end time.
//
// Stages only move forward; Rejected is allowed from every non-terminal stage. Consensus events
// for blocks that were never seen (the gateway started mid-stream, or the block was evicted)
// change nothing and are counted in `stats.unknownConsensusEvents`.
//
// A block is identified by its BLOCK_START seqno, not by its id: ids need not be unique across
// numbers (the Ethereum-replay captures have an all-zero id on every block), and the seqno is
// what every event of the block carries in content_ext[0], so stamping an event's commit stage
// is one map lookup (cached for consecutive events of the same block).
//
// Memory is bounded whatever the input: finished blocks (Verified, Rejected, evicted) are kept
// for summaries up to `maxFinished`; active blocks are evicted oldest first beyond `maxActive`
// or when proposed more than `maxActiveAgeMs` of ring time before the newest BLOCK_START.
//
// Times are ring timestamps (record_epoch_nanos), never the wall clock, so a replay produces
// the same numbers as the live run.

import { msBetween } from "./ring-time.js";
import { FORWARD_STAGES, Stage, canAdvance, isTerminal, stageName, type CommitStage } from "./stages.js";
import type { BlockLifecycleUpdate } from "../protocol/generated/frames.js";
import type { BlockLifecycleSummary } from "../protocol/generated/rest.js";

// Output shapes are the wire protocol's (generated from its JSON Schemas).
export type LifecycleUpdate = BlockLifecycleUpdate;
export type LifecycleSummary = BlockLifecycleSummary;
export type StageTimings = BlockLifecycleSummary["stage_timings_ms"];




/** What a stage listener sees of a block (read-only). */
export interface BlockLifecycleView {
  /** Seqno of the block's BLOCK_START: content_ext[0] of all its events. */
  readonly blockSeqno: number;
  readonly blockNumber: number;
  /** Consensus block id, "0x" + 64 hex. */
  readonly blockId: string;
  readonly stage: Stage;
  /** True once the block will never change stage again (terminal or evicted). */
  readonly closed: boolean;
}

/**
 * Delivered synchronously inside `observe()`, before the event that caused it is serialized:
 *   - "stage": the block moved to `stage` (`update` is the Lifecycle frame for it);
 *   - "evicted": the block was dropped from tracking while not terminal; its stage stays as it
 *     was and will never change (a holder of its events should release or drop them now).
 */
export type StageChange =
  | { kind: "stage"; block: BlockLifecycleView; from: Stage | undefined; stage: Stage; update: LifecycleUpdate }
  | { kind: "evicted"; block: BlockLifecycleView };

export type StageListener = (change: StageChange) => void;

export interface LifecycleOptions {
  /** Finished blocks kept for summaries. Default 128 (as the Rust gateway). */
  maxFinished?: number;
  /** Active (non-terminal) blocks tracked at most; the oldest is evicted beyond. Default 512. */
  maxActive?: number;
  /** Active blocks proposed longer ago than this (ring time) are evicted. Default 120,000 ms. */
  maxActiveAgeMs?: number;
}

export interface LifecycleStats {
  /** QC / FINALIZED / VERIFIED / REJECT events that named no tracked block. */
  unknownConsensusEvents: number;
  /** Active blocks evicted by the size or age limit. */
  evicted: number;
}

/** Stages listed in stage_timings_ms: all but Proposed (always 0, omitted like the Rust gateway). */
const SUMMARY_TIMED_STAGES: readonly Stage[] = [...FORWARD_STAGES.slice(1), Stage.Rejected];

class BlockRecord implements BlockLifecycleView {
  stage = Stage.Proposed;
  closed = false;
  /** Relative ring time each stage was entered, NaN = not reached. Indexed by Stage. */
  readonly stageAt = new Float64Array([NaN, NaN, NaN, NaN, NaN]);
  gasUsed: number | undefined = undefined;
  ethBlockHash: string | undefined = undefined;
  executionEnd = NaN;

  constructor(
    readonly blockSeqno: number,
    readonly blockNumber: number,
    readonly blockId: string,
    readonly txnCount: number,
    proposedAt: number,
  ) {
    this.stageAt[Stage.Proposed] = proposedAt;
  }

  get proposedAt(): number {
    return this.stageAt[Stage.Proposed];
  }
}

export class LifecycleTracker {
  private readonly maxFinished: number;
  private readonly maxActive: number;
  private readonly maxActiveAgeNs: number;
  /** Every tracked block (active and finished) by BLOCK_START seqno. */
  private readonly bySeqno = new Map<number, BlockRecord>();
  /** Every tracked block by number: usually one, more when several proposals share a number. */
  private readonly byNumber = new Map<number, BlockRecord[]>();
  /** Active blocks in proposal order (Map keeps insertion order: the oldest come first). */
  private readonly active = new Map<number, BlockRecord>();
  /** Finished blocks, oldest first. */
  private readonly finished: BlockRecord[] = [];
  private readonly listeners: StageListener[] = [];
  /** The block currently executing (last BLOCK_START), for BLOCK_REJECT without a flow id. */
  private current: BlockRecord | undefined = undefined;
  // One-entry cache for stage stamping: consecutive events almost always share a block.
  private cachedSeqno = -1;
  private cachedRecord: BlockRecord | undefined = undefined;
  readonly stats: LifecycleStats = { unknownConsensusEvents: 0, evicted: 0 };

  constructor(opts: LifecycleOptions = {}) {
    this.maxFinished = positiveInt("maxFinished", opts.maxFinished ?? 128);
    this.maxActive = positiveInt("maxActive", opts.maxActive ?? 512);
    const ageMs = opts.maxActiveAgeMs ?? 120_000;
    if (!(ageMs > 0)) throw new RangeError(`maxActiveAgeMs must be > 0, got ${ageMs}`);
    this.maxActiveAgeNs = ageMs * 1e6;
  }

  /** Adds a stage listener; returns a function that removes it. */
  onStage(listener: StageListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  // ------------------------------------------------------------------ event handlers
  // Each pushes the Lifecycle updates it causes onto `out`, in order.

  /** BLOCK_START: a new block in stage Proposed. */
  blockStart(blockSeqno: number, blockId: string, blockNumber: number, txnCount: number, t: number, out: LifecycleUpdate[]): void {
    const existing = this.bySeqno.get(blockSeqno);
    if (existing !== undefined && existing.blockNumber === blockNumber) {
      this.current = existing; // the same record observed twice: idempotent
      return;
    }
    if (existing !== undefined) this.forget(existing); // a seqno reused by a new ring: the old record is stale
    const rec = new BlockRecord(blockSeqno, blockNumber, blockId, txnCount, t);
    this.bySeqno.set(blockSeqno, rec);
    const same = this.byNumber.get(blockNumber);
    if (same === undefined) this.byNumber.set(blockNumber, [rec]);
    else same.push(rec);
    this.active.set(blockSeqno, rec);
    this.current = rec;
    this.invalidateCache();
    const update: LifecycleUpdate = {
      block_hash: blockId,
      block_number: blockNumber,
      to_stage: "Proposed",
      block_age_ms: 0,
      txn_count: txnCount,
    };
    out.push(update);
    this.notify({ kind: "stage", block: rec, from: undefined, stage: Stage.Proposed, update });
    this.evictStale(t);
  }

  /** BLOCK_END of the block with this seqno: execution metadata, no stage change. */
  blockEnd(blockSeqno: number, gasUsed: number, ethBlockHash: string, t: number): void {
    const rec = this.bySeqno.get(blockSeqno);
    if (rec === undefined) return;
    rec.gasUsed = gasUsed;
    rec.ethBlockHash = ethBlockHash;
    rec.executionEnd = t;
  }

  /** BLOCK_REJECT: the block whose BLOCK_START has this seqno (0 = the block executing now). */
  blockReject(blockSeqno: number, t: number, out: LifecycleUpdate[]): void {
    const rec = blockSeqno !== 0 ? this.bySeqno.get(blockSeqno) : this.current;
    if (rec === undefined) {
      this.stats.unknownConsensusEvents++;
      return;
    }
    this.advance(rec, Stage.Rejected, t, out);
  }

  /** BLOCK_QC: the proposals with this number and id → Voted. */
  blockQc(blockNumber: number, blockId: string, t: number, out: LifecycleUpdate[]): void {
    if (this.advanceMatching(blockNumber, blockId, Stage.Voted, t, out) === 0) this.stats.unknownConsensusEvents++;
  }

  /**
   * BLOCK_FINALIZED: the proposals with this number and id → Finalized. Every other open
   * proposal with this number has lost and becomes Rejected (after the Finalized update).
   */
  blockFinalized(blockNumber: number, blockId: string, t: number, out: LifecycleUpdate[]): void {
    if (this.advanceMatching(blockNumber, blockId, Stage.Finalized, t, out) === 0) this.stats.unknownConsensusEvents++;
    const same = this.byNumber.get(blockNumber);
    if (same === undefined) return;
    for (const rec of same.slice()) {
      if (rec.blockId !== blockId && !rec.closed) this.advance(rec, Stage.Rejected, t, out);
    }
  }

  /**
   * BLOCK_VERIFIED carries only a number: it applies to the Finalized proposals with that number,
   * or, when none was seen finalized (its FINALIZED event lost), to the latest open proposal.
   */
  blockVerified(blockNumber: number, t: number, out: LifecycleUpdate[]): void {
    const same = this.byNumber.get(blockNumber);
    let n = 0;
    if (same !== undefined) {
      for (const rec of same.slice()) {
        if (rec.stage === Stage.Finalized && !rec.closed) {
          this.advance(rec, Stage.Verified, t, out);
          n++;
        }
      }
      if (n === 0) {
        for (let i = same.length - 1; i >= 0; i--) {
          if (!same[i].closed) {
            this.advance(same[i], Stage.Verified, t, out);
            n++;
            break;
          }
        }
      }
    }
    if (n === 0) this.stats.unknownConsensusEvents++;
  }

  /** After a ring gap: the block that was executing will not see its end; forget which it was. */
  resync(): void {
    this.current = undefined;
  }

  /** Forgets everything (listeners stay). */
  clear(): void {
    this.bySeqno.clear();
    this.byNumber.clear();
    this.active.clear();
    this.finished.length = 0;
    this.current = undefined;
    this.invalidateCache();
  }

  // ------------------------------------------------------------------ queries

  /**
   * Stage of the block whose BLOCK_START has seqno `blockSeqno` (an event's content_ext[0]),
   * or -1 when unknown. The hot-path query: no allocation, cached for consecutive calls.
   */
  stageOfBlockSeqno(blockSeqno: number): Stage | -1 {
    if (blockSeqno === this.cachedSeqno) return this.cachedRecord === undefined ? -1 : this.cachedRecord.stage;
    const rec = this.bySeqno.get(blockSeqno);
    this.cachedSeqno = blockSeqno;
    this.cachedRecord = rec;
    return rec === undefined ? -1 : rec.stage;
  }

  /** Stage of block `blockNumber` (see `resolveNumber` for several proposals), or -1. */
  stageOfNumber(blockNumber: number): Stage | -1 {
    const rec = this.resolveNumber(blockNumber);
    return rec === undefined ? -1 : rec.stage;
  }

  /** Stage of the proposal with this number and id (for stamping QC / FINALIZED events), or -1. */
  stageOfBlock(blockNumber: number, blockId: string): Stage | -1 {
    const same = this.byNumber.get(blockNumber);
    if (same !== undefined) for (let i = same.length - 1; i >= 0; i--) if (same[i].blockId === blockId) return same[i].stage;
    return -1;
  }

  /** The tracked block with this BLOCK_START seqno. */
  block(blockSeqno: number): BlockLifecycleView | undefined {
    return this.bySeqno.get(blockSeqno);
  }

  /** Summary of block `blockNumber` (REST `/v1/blocks/:n/lifecycle`). */
  summaryByNumber(blockNumber: number): LifecycleSummary | undefined {
    const rec = this.resolveNumber(blockNumber);
    return rec === undefined ? undefined : summarize(rec);
  }

  /** Finished blocks (oldest first) then active ones by number (REST `/v1/blocks/lifecycle`). */
  summaries(): LifecycleSummary[] {
    const active = [...this.active.values()].sort((a, b) => a.blockNumber - b.blockNumber || a.blockSeqno - b.blockSeqno);
    return [...this.finished.map(summarize), ...active.map(summarize)];
  }

  /**
   * The current state of every active block as a Lifecycle update without from_stage (what the
   * Rust gateway sends a client that connects, in its snapshot), ordered by number.
   */
  activeUpdates(): LifecycleUpdate[] {
    const active = [...this.active.values()].sort((a, b) => a.blockNumber - b.blockNumber || a.blockSeqno - b.blockSeqno);
    return active.map((rec) => {
      const u: LifecycleUpdate = {
        block_hash: rec.blockId,
        block_number: rec.blockNumber,
        to_stage: stageName(rec.stage),
        block_age_ms: msBetween(rec.proposedAt, rec.stageAt[rec.stage]),
        txn_count: rec.txnCount,
      };
      if (rec.gasUsed !== undefined) u.gas_used = rec.gasUsed;
      return u;
    });
  }

  get activeCount(): number {
    return this.active.size;
  }

  get finishedCount(): number {
    return this.finished.length;
  }

  // ------------------------------------------------------------------ internals

  /**
   * The block a number refers to when several proposals share it: a finalized (or verified)
   * one if any, else the latest proposal — as the Rust gateway, which kept the latest.
   */
  private resolveNumber(blockNumber: number): BlockRecord | undefined {
    const same = this.byNumber.get(blockNumber);
    if (same === undefined) return undefined;
    for (const rec of same) if (rec.stage === Stage.Finalized || rec.stage === Stage.Verified) return rec;
    return same[same.length - 1];
  }

  private advanceMatching(blockNumber: number, blockId: string, to: Stage, t: number, out: LifecycleUpdate[]): number {
    const same = this.byNumber.get(blockNumber);
    if (same === undefined) return 0;
    let n = 0;
    for (const rec of same.slice()) {
      if (rec.blockId === blockId) {
        this.advance(rec, to, t, out);
        n++;
      }
    }
    return n;
  }

  private advance(rec: BlockRecord, to: Stage, t: number, out: LifecycleUpdate[]): void {
    if (rec.closed || !canAdvance(rec.stage, to)) return;
    const from = rec.stage;
    const fromAt = rec.stageAt[from];
    rec.stage = to;
    rec.stageAt[to] = t;
    const update: LifecycleUpdate = {
      block_hash: rec.blockId,
      block_number: rec.blockNumber,
      from_stage: stageName(from),
      to_stage: stageName(to),
      time_in_previous_stage_ms: msBetween(fromAt, t),
      block_age_ms: msBetween(rec.proposedAt, t),
      txn_count: rec.txnCount,
    };
    if (rec.gasUsed !== undefined) update.gas_used = rec.gasUsed;
    out.push(update);
    if (isTerminal(to)) this.finish(rec);
    this.notify({ kind: "stage", block: rec, from, stage: to, update });
  }

  /** Moves a block from the active set to the finished list (terminal or evicted). */
  private finish(rec: BlockRecord): void {
    rec.closed = true;
    this.active.delete(rec.blockSeqno);
    if (this.current === rec) this.current = undefined;
    this.finished.push(rec);
    while (this.finished.length > this.maxFinished) this.forget(this.finished.shift() as BlockRecord);
  }

  /** Removes a block from every index (it is no longer known at all). */
  private forget(rec: BlockRecord): void {
    if (this.bySeqno.get(rec.blockSeqno) === rec) this.bySeqno.delete(rec.blockSeqno);
    const same = this.byNumber.get(rec.blockNumber);
    if (same !== undefined) {
      const i = same.indexOf(rec);
      if (i >= 0) same.splice(i, 1);
      if (same.length === 0) this.byNumber.delete(rec.blockNumber);
    }
    if (this.active.get(rec.blockSeqno) === rec) this.active.delete(rec.blockSeqno);
    const f = this.finished.indexOf(rec);
    if (f >= 0) this.finished.splice(f, 1);
    if (this.current === rec) this.current = undefined;
    this.invalidateCache();
  }

  /** Size and age limits on the active set, checked on every BLOCK_START. */
  private evictStale(now: number): void {
    for (const rec of this.active.values()) {
      if (this.active.size <= this.maxActive && now - rec.proposedAt <= this.maxActiveAgeNs) break;
      if (rec === this.current) break; // never the block executing now (it is also the newest)
      this.stats.evicted++;
      this.finish(rec);
      this.notify({ kind: "evicted", block: rec });
    }
  }

  private invalidateCache(): void {
    this.cachedSeqno = -1;
    this.cachedRecord = undefined;
  }

  private notify(change: StageChange): void {
    for (let i = 0; i < this.listeners.length; i++) this.listeners[i](change);
  }
}

function summarize(rec: BlockRecord): LifecycleSummary {
  const timings: StageTimings = {};
  for (const s of SUMMARY_TIMED_STAGES) {
    const at = rec.stageAt[s];
    if (!Number.isNaN(at)) timings[stageName(s) as keyof StageTimings] = msBetween(rec.proposedAt, at);
  }
  // Keys are added in the Rust gateway's field order, optional ones only when known.
  const summary: Partial<LifecycleSummary> = {
    block_hash: rec.blockId,
    block_number: rec.blockNumber,
    current_stage: stageName(rec.stage),
    txn_count: rec.txnCount,
  };
  if (rec.gasUsed !== undefined) summary.gas_used = rec.gasUsed;
  if (rec.ethBlockHash !== undefined) summary.eth_block_hash = rec.ethBlockHash;
  summary.stage_timings_ms = timings;
  if (!Number.isNaN(rec.executionEnd)) summary.execution_time_ms = msBetween(rec.proposedAt, rec.executionEnd);
  summary.total_age_ms = msBetween(rec.proposedAt, rec.stageAt[rec.stage]);
  return summary as LifecycleSummary;
}

function positiveInt(name: string, v: number): number {
  if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}
