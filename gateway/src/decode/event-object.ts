// Object form of an event: the same data and key order as the JSON text, as a JS object for
// filters and enrichment. u64 values are numbers when exact, else bigints (see payload-types.ts).

import { REC_EPOCH_NANOS, REC_EVENT_TYPE, REC_SEQNO } from "../ring/event-record.js";
import { EVENT_NAMES, type EventName } from "./event-types.js";
import { blockNumberOf, resolveStage, txnHashOf, txnIndexOf, type CommitStageArg } from "./event-flow.js";
import type { FlowTracker } from "./flow-tracker.js";
import { u64Value } from "./numbers.js";
import { PAYLOAD_OBJECT, type PayloadObjectFn } from "./payload-object-codegen.js";
import type { CommitStage, ExecPayload, U64 } from "./payload-types.js";
import { checkRecord } from "./record-check.js";

/** The Rust gateway's SerializableEventData. Optional keys are absent (not undefined) when unknown. */
export interface ExecEventObject<P extends ExecPayload = ExecPayload> {
  event_name: EventName;
  block_number?: U64;
  txn_idx?: number;
  txn_hash?: string;
  commit_stage?: CommitStage;
  payload: P;
  /** Ring seqno. */
  seqno: U64;
  /** record_epoch_nanos (always a bigint in practice: ~1.7e18 > 2^53). */
  timestamp_ns: U64;
}

/** Object form of the record at `r`, which must have passed checkRecord(). */
export function renderEventObject(b: Buffer, r: number, tracker: FlowTracker | undefined, stage?: CommitStageArg): ExecEventObject {
  const type = b[r + REC_EVENT_TYPE] | (b[r + REC_EVENT_TYPE + 1] << 8);
  if (tracker !== undefined) tracker.observe(b, r);
  const blockNumber = blockNumberOf(b, r, type, tracker);
  const txn = txnIndexOf(b, r);
  // Keys are added in wire order so Object.keys / JSON.stringify match the JSON text.
  const ev: Partial<ExecEventObject> = { event_name: EVENT_NAMES[type] as EventName };
  if (blockNumber !== undefined) ev.block_number = blockNumber;
  if (txn !== null) {
    ev.txn_idx = txn;
    const hash = txnHashOf(b, r, txn, tracker);
    if (hash !== undefined) ev.txn_hash = hash;
  }
  const st = resolveStage(stage, blockNumber);
  if (st !== undefined) ev.commit_stage = st;
  ev.payload = (PAYLOAD_OBJECT[type] as PayloadObjectFn)(b, r, txn) as unknown as ExecPayload;
  ev.seqno = u64Value(b, r + REC_SEQNO);
  ev.timestamp_ns = u64Value(b, r + REC_EPOCH_NANOS);
  return ev as ExecEventObject;
}

/** Object form of the record at `r` in buf[0, end); throws EventDecodeError like eventToJson(). */
export function decodeEvent(b: Buffer, r: number, tracker: FlowTracker | undefined, stage?: CommitStageArg, end?: number): ExecEventObject {
  const err = checkRecord(b, r, end);
  if (err !== undefined) throw err;
  return renderEventObject(b, r, tracker, stage);
}

/**
 * JSON.stringify for the object form that writes bigints as exact bare numbers, so
 * `eventObjectToJson(decodeEvent(...)) === eventToJson(...)`. Slow path (tests, tools).
 */
export function eventObjectToJson(ev: ExecEventObject): string {
  const marks: string[] = [];
  const text = JSON.stringify(ev, (_k, v: unknown) => {
    if (typeof v !== "bigint") return v;
    marks.push(v.toString());
    return `\u0000${marks.length - 1}\u0000`;
  });
  return text.replace(/"\\u0000(\d+)\\u0000"/g, (_m, i: string) => marks[Number(i)]);
}
