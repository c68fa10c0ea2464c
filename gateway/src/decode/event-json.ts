// The hot path: one batch record → the JSON text of the Rust gateway's SerializableEventData,
// written as bytes straight from the buffer by the generated writers of payload-json-codegen.ts
// (no intermediate objects, no JSON.stringify, no per-field strings).
//
// Key order: event_name, block_number?, txn_idx?, txn_hash?, commit_stage?, payload, seqno,
// timestamp_ns; optional keys are omitted when absent. u64 values are exact decimal digits.

import { REC_BLOCK_SEQNO, REC_EVENT_TYPE, REC_PAYLOAD_SIZE } from "../ring/event-record.js";
import { blockNumberOf, resolveStage, txnIndexOf, type CommitStageArg } from "./event-flow.js";
import type { FlowTracker } from "./flow-tracker.js";
import { JsonWriter } from "./json-writer.js";
import { u64Value } from "./numbers.js";
import { EVENT_JSON, JSON_MAX_FIXED, type EventJsonFn } from "./payload-json-codegen.js";
import { checkRecord } from "./record-check.js";

/**
 * Appends the JSON text of the record at `r` (which must have passed checkRecord()) to `w`.
 * `tracker` supplies block_number / txn_hash and learns from BLOCK_START / TXN_HEADER_START.
 */
export function writeEventJson(w: JsonWriter, b: Buffer, r: number, tracker: FlowTracker | undefined, stage?: CommitStageArg): void {
  if (tracker !== undefined) tracker.observe(b, r);
  writeSeenEventJson(w, b, r, tracker, stage, true);
}

/**
 * writeEventJson for a record the tracker has already seen (JSON written after the fact). With
 * `withTxnHash` false, txn_hash is left out even if the tracker knows it now: the JSON must say what
 * was known when the event arrived (see txnHashKnown()).
 */
export function writeSeenEventJson(w: JsonWriter, b: Buffer, r: number, tracker: FlowTracker | undefined, stage: CommitStageArg, withTxnHash: boolean): void {
  const type = b[r + REC_EVENT_TYPE] | (b[r + REC_EVENT_TYPE + 1] << 8);
  const bn = blockNumberOf(b, r, type, tracker);
  const txn = txnIndexOf(b, r);
  const hs = txn === null || tracker === undefined || !withTxnHash ? undefined : tracker.txnHashStore(u64Value(b, r + REC_BLOCK_SEQNO), txn);
  const st = stage === undefined ? undefined : resolveStage(stage, bn);
  w.ensure(JSON_MAX_FIXED[type] + 5 * b.readUInt32LE(r + REC_PAYLOAD_SIZE) + (st === undefined ? 0 : st.length));
  (EVENT_JSON[type] as EventJsonFn)(b, r, w, bn, txn, hs, st);
}

/** Whether the event at `r` would carry txn_hash if written now (its transaction's header was seen). */
export function txnHashKnown(b: Buffer, r: number, tracker: FlowTracker): boolean {
  const txn = txnIndexOf(b, r);
  return txn !== null && tracker.txnHashStore(u64Value(b, r + REC_BLOCK_SEQNO), txn) !== undefined;
}

// Scratch output for the one-event string API; decoding is synchronous, so sharing is safe.
const scratch = new JsonWriter(1 << 16);

/** JSON text of the record at `r` (validated) as a flat string. */
export function renderEventJson(b: Buffer, r: number, tracker: FlowTracker | undefined, stage?: CommitStageArg): string {
  scratch.reset();
  writeEventJson(scratch, b, r, tracker, stage);
  return scratch.text();
}

/**
 * JSON text of the record at `r` in buf[0, end). Throws an EventDecodeError (naming the seqno and
 * the expected vs found payload size) for an unknown type or an inconsistent size.
 */
export function eventToJson(b: Buffer, r: number, tracker: FlowTracker | undefined, stage?: CommitStageArg, end?: number): string {
  const err = checkRecord(b, r, end);
  if (err !== undefined) throw err;
  return renderEventJson(b, r, tracker, stage);
}
