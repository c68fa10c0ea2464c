// The event "envelope" facts that come from the descriptor and the FlowTracker rather than from
// the payload: block_number, txn_idx, txn_hash and commit_stage. Shared by the JSON and object
// decoders so both forms always agree.

import { DESCRIPTOR_SIZE, REC_BLOCK_SEQNO, REC_TXN_ID } from "../ring/event-record.js";
import { ExecEventType } from "./event-types.js";
import type { FlowTracker } from "./flow-tracker.js";
import { fieldOffset } from "./layouts.js";
import { u64Value } from "./numbers.js";
import type { CommitStage } from "./payload-types.js";

/**
 * The caller's knowledge of commit stages: a fixed stage for every event, or a lookup by block
 * number (called only for events whose block number is known). Undefined = no commit_stage key.
 */
export type CommitStageArg = CommitStage | ((blockNumber: number | bigint) => CommitStage | undefined) | undefined;

const QC_NUMBER_OFF = DESCRIPTOR_SIZE + fieldOffset(ExecEventType.BLOCK_QC, "block_number");
const FINALIZED_NUMBER_OFF = DESCRIPTOR_SIZE + fieldOffset(ExecEventType.BLOCK_FINALIZED, "block_number");
const VERIFIED_NUMBER_OFF = DESCRIPTOR_SIZE + fieldOffset(ExecEventType.BLOCK_VERIFIED, "block_number");

/**
 * Block number of the event at `r`. BLOCK_QC / BLOCK_FINALIZED / BLOCK_VERIFIED are recorded
 * outside block scope (content_ext[0] = 0) but name their block in the payload; every other event
 * is resolved through its block seqno. Undefined when unknown.
 */
export function blockNumberOf(b: Buffer, r: number, type: number, tracker: FlowTracker | undefined): number | bigint | undefined {
  switch (type) {
    case ExecEventType.BLOCK_QC:
      return u64Value(b, r + QC_NUMBER_OFF);
    case ExecEventType.BLOCK_FINALIZED:
      return u64Value(b, r + FINALIZED_NUMBER_OFF);
    case ExecEventType.BLOCK_VERIFIED:
      return u64Value(b, r + VERIFIED_NUMBER_OFF);
    default: {
      const blockSeqno = u64Value(b, r + REC_BLOCK_SEQNO);
      return blockSeqno === 0 || tracker === undefined ? undefined : tracker.blockNumberOf(blockSeqno);
    }
  }
}

/** Transaction index (content_ext[1] - 1), or null when content_ext[1] is 0. */
export function txnIndexOf(b: Buffer, r: number): number | null {
  const id = u64Value(b, r + REC_TXN_ID);
  // A flow id beyond 2^53 cannot be a real transaction index; treat it like "none" rather than lose digits.
  return id === 0 || typeof id !== "number" ? null : id - 1;
}

/** Txn hash for the event at `r` with transaction index `txn`, if the tracker saw its header. */
export function txnHashOf(b: Buffer, r: number, txn: number, tracker: FlowTracker | undefined): string | undefined {
  return tracker === undefined ? undefined : tracker.txnHashOf(u64Value(b, r + REC_BLOCK_SEQNO), txn);
}

export function resolveStage(stage: CommitStageArg, blockNumber: number | bigint | undefined): CommitStage | undefined {
  if (typeof stage !== "function") return stage;
  return blockNumber === undefined ? undefined : stage(blockNumber);
}
