// When BLOCK_QC, BLOCK_FINALIZED and BLOCK_VERIFIED are recorded for a committed block.
//
// Monad's consensus votes on a proposal in the next round (QC ≈ one block later), finalizes it
// one round after that, and verifies its execution results a few blocks later still. The node's
// runloop records these outside any block, so they appear between later blocks' events. Times
// here are simulated milliseconds since the simulator started; delays are measured from the
// block's BLOCK_START. Rejected blocks are never scheduled.

import { ExecEventType } from "../../decode/event-types.js";
import type { SimEventInput } from "./event-stream.js";
import type { ResolvedSimOptions } from "./options.js";
import type { Prng } from "./prng.js";

export type ConsensusType = ExecEventType.BLOCK_QC | ExecEventType.BLOCK_FINALIZED | ExecEventType.BLOCK_VERIFIED;

export interface BlockTag {
  id: Uint8Array;
  number: number;
  round: number;
  epoch: number;
}

export interface ConsensusEvent {
  dueMs: number;
  type: ConsensusType;
  block: BlockTag;
  /** Insertion order: ties on dueMs keep it (so a block's QC precedes its FINALIZED). */
  seq: number;
}

export class ConsensusSchedule {
  private readonly queue: ConsensusEvent[] = [];
  private seq = 0;
  // Last due time per type keeps each kind in block order even with jitter.
  private lastQc = -Infinity;
  private lastFinalized = -Infinity;
  private lastVerified = -Infinity;

  constructor(
    private readonly cfg: ResolvedSimOptions["consensus"],
    private readonly rng: Prng,
  ) {}

  /** Schedules the three consensus events of a block that started at `startMs` and committed. */
  scheduleCommitted(block: BlockTag, startMs: number): void {
    const c = this.cfg;
    const qc = Math.max(startMs + this.jitter(c.qcDelayMs), this.lastQc);
    const fin = Math.max(startMs + this.jitter(c.finalizedDelayMs), qc, this.lastFinalized);
    const ver = Math.max(startMs + this.jitter(c.verifiedDelayMs), fin, this.lastVerified);
    this.lastQc = qc;
    this.lastFinalized = fin;
    this.lastVerified = ver;
    this.insert({ dueMs: qc, type: ExecEventType.BLOCK_QC, block, seq: this.seq++ });
    this.insert({ dueMs: fin, type: ExecEventType.BLOCK_FINALIZED, block, seq: this.seq++ });
    this.insert({ dueMs: ver, type: ExecEventType.BLOCK_VERIFIED, block, seq: this.seq++ });
  }

  /** Due time of the earliest pending event, or Infinity. */
  nextDueMs(): number {
    return this.queue.length > 0 ? this.queue[0].dueMs : Infinity;
  }

  /** Removes and returns the earliest event if it is due at or before `nowMs`. */
  popDue(nowMs: number): ConsensusEvent | undefined {
    return this.queue.length > 0 && this.queue[0].dueMs <= nowMs ? this.queue.shift() : undefined;
  }

  get pending(): number {
    return this.queue.length;
  }

  private jitter(delay: number): number {
    const j = this.cfg.jitterMs;
    return j > 0 ? Math.max(0, delay + (this.rng.float() * 2 - 1) * j) : delay;
  }

  private insert(ev: ConsensusEvent): void {
    // The queue holds a handful of events (a few blocks' worth); a linear stable insert is fine.
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1].dueMs > ev.dueMs) i--;
    this.queue.splice(i, 0, ev);
  }
}

/** The ring record of a consensus event; recorded outside any block, so content_ext stays all zero. */
export function consensusEventInput(ev: ConsensusEvent, epochNanos: bigint): SimEventInput {
  const b = ev.block;
  if (ev.type === ExecEventType.BLOCK_QC) {
    return { type: ExecEventType.BLOCK_QC, epochNanos, payload: { block_id: b.id, block_number: b.number, round: b.round, epoch: b.epoch } };
  }
  if (ev.type === ExecEventType.BLOCK_FINALIZED) {
    return { type: ExecEventType.BLOCK_FINALIZED, epochNanos, payload: { block_id: b.id, block_number: b.number } };
  }
  return { type: ExecEventType.BLOCK_VERIFIED, epochNanos, payload: { block_number: b.number } };
}
