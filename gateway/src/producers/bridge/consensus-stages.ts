// BLOCK_QC, BLOCK_FINALIZED and BLOCK_VERIFIED for bridged blocks, at configurable delays after
// each block's BLOCK_START (the simulator's ConsensusSchedule decides the times), plus what a
// devnet needs and a simulated chain does not: a block replaced by a reorg is orphaned, so its
// remaining consensus events are never written. Its proposal then stays at the stage it reached
// until the replacement's BLOCK_FINALIZED (same number, other id) makes the gateway reject it.

import { ExecEventType } from "../../decode/event-types.js";
import { ConsensusSchedule, consensusEventInput, type BlockTag, type ConsensusType } from "../sim/consensus-timing.js";
import type { EventStream } from "../sim/event-stream.js";
import type { Prng } from "../sim/prng.js";
import type { Timeline } from "../sim/timeline.js";

export interface StageDelays {
  /** BLOCK_QC this long after BLOCK_START (ms). */
  qcDelayMs: number;
  /** BLOCK_FINALIZED this long after BLOCK_START (ms). */
  finalizedDelayMs: number;
  /** BLOCK_VERIFIED this long after BLOCK_START (ms). */
  verifiedDelayMs: number;
  /** Uniform ± jitter on each delay (ms); the order QC < FINALIZED < VERIFIED is kept. */
  jitterMs: number;
}

/** Monad: a block is voted one round (~400 ms) after its proposal, finalized one round later, verified after that. */
export const DEFAULT_STAGE_DELAYS: StageDelays = { qcDelayMs: 400, finalizedDelayMs: 800, verifiedDelayMs: 1200, jitterMs: 0 };

/** How far an orphaned block got before it was orphaned. */
export type OrphanedAt = "Proposed" | "Voted" | "Finalized" | "Verified";

const STAGE_AFTER: Record<ConsensusType, OrphanedAt> = {
  [ExecEventType.BLOCK_QC]: "Voted",
  [ExecEventType.BLOCK_FINALIZED]: "Finalized",
  [ExecEventType.BLOCK_VERIFIED]: "Verified",
};

function key(b: BlockTag): string {
  return `${b.number}:${Buffer.from(b.id).toString("hex")}`;
}

export class ConsensusStages {
  private readonly schedule: ConsensusSchedule;
  /** Blocks with consensus events still queued: the stage their last written event gave them. */
  private readonly open = new Map<string, OrphanedAt>();
  private readonly orphaned = new Set<string>();
  written = 0;

  constructor(delays: StageDelays, rng: Prng) {
    this.schedule = new ConsensusSchedule(delays, rng);
  }

  /** Queues the three consensus events of a block whose BLOCK_START is at `startMs`. */
  add(block: BlockTag, startMs: number): void {
    this.open.set(key(block), "Proposed");
    this.schedule.scheduleCommitted(block, startMs);
  }

  /** Cancels a replaced block's remaining consensus events; returns the stage it had reached. */
  orphan(block: BlockTag): OrphanedAt {
    const k = key(block);
    const reached = this.open.get(k);
    if (reached === undefined) return "Verified"; // every event already written
    this.orphaned.add(k);
    return reached;
  }

  /** Writes every event due at `nowMs` (ms on the bridge's time axis); returns how many. */
  writeDue(nowMs: number, stream: EventStream, timeline: Timeline): number {
    let n = 0;
    for (let ev = this.schedule.popDue(nowMs); ev !== undefined; ev = this.schedule.popDue(nowMs)) {
      const k = key(ev.block);
      const last = ev.type === ExecEventType.BLOCK_VERIFIED;
      if (this.orphaned.has(k)) {
        if (last) this.orphaned.delete(k);
      } else {
        stream.add(consensusEventInput(ev, timeline.stamp(ev.dueMs * 1000)));
        this.open.set(k, STAGE_AFTER[ev.type]);
        n++;
      }
      if (last) this.open.delete(k);
    }
    this.written += n;
    return n;
  }

  nextDueMs(): number {
    return this.schedule.nextDueMs();
  }

  get pending(): number {
    return this.schedule.pending;
  }
}
