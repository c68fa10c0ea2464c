// Descriptor fields of a batch record (ring/event-record.ts layout), read as small numbers
// without allocating: the enrichers run once per event, before serialization.

import { u64At } from "../decode/numbers.js";
import { DESCRIPTOR_SIZE, REC_BLOCK_SEQNO, REC_EVENT_TYPE, REC_TXN_ID } from "../ring/event-record.js";

/** A txn flow id above this is corrupt, not a transaction (matches the FlowTracker's bound). */
export const MAX_TXN_INDEX = (1 << 20) - 1;

/** Event type (u16) of the record at `r`. */
export function recordType(b: Buffer, r: number): number {
  return b[r + REC_EVENT_TYPE] | (b[r + REC_EVENT_TYPE + 1] << 8);
}

/** Offset of the payload of the record at `r`. */
export function payloadOf(r: number): number {
  return r + DESCRIPTOR_SIZE;
}

/** u32 at `o`. */
export function u32At(b: Buffer, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/** content_ext[0]: seqno of the enclosing BLOCK_START, 0 outside a block. */
export function blockSeqnoOf(b: Buffer, r: number): number {
  return u64At(b, r + REC_BLOCK_SEQNO);
}

/** Transaction index (content_ext[1] - 1), or -1 when the event belongs to no transaction. */
export function txnIndexOf(b: Buffer, r: number): number {
  const o = r + REC_TXN_ID;
  // The high word and the top byte of the low word must be 0 for any plausible index.
  if ((b[o + 3] | b[o + 4] | b[o + 5] | b[o + 6] | b[o + 7]) !== 0) return -1;
  const id = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
  return id === 0 || id - 1 > MAX_TXN_INDEX ? -1 : id - 1;
}
