// Validation of one batch record before decoding, and the error it produces.
//
// A record is decoded only when its event type is known and payload_size equals the fixed struct
// size plus the trailing sizes its count fields announce (the Rust SDK rejects extra bytes too).
// Everything else becomes an EventDecodeError that names the seqno and both sizes, so a corrupt
// or unexpected record is reported, skipped and never rendered as garbage.

import { DESCRIPTOR_SIZE, REC_EVENT_TYPE, REC_PAYLOAD_SIZE, REC_SEQNO } from "../ring/event-record.js";
import { C_NAMES } from "./event-types.js";
import { LAYOUTS } from "./layouts.js";
import { u64At, u64Value } from "./numbers.js";

export type DecodeErrorReason = "unknown_event_type" | "payload_size_mismatch" | "truncated_record";

export class EventDecodeError extends Error {
  override readonly name = "EventDecodeError";

  constructor(
    readonly reason: DecodeErrorReason,
    /** Ring seqno of the record (0 when the descriptor itself is cut off). */
    readonly seqno: number | bigint,
    readonly eventType: number,
    /** Payload size the type and counts require (undefined for unknown types). */
    readonly expectedSize: number | undefined,
    /** payload_size found in the descriptor (or bytes available, for truncated records). */
    readonly foundSize: number,
    /** Offset of the record in its batch buffer. */
    readonly recordOffset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Size in bytes of the payload that the record's type and count fields require, or -1 if unknown type. */
function expectedPayloadSize(buf: Buffer, r: number, type: number, payloadSize: number): number {
  const l = LAYOUTS[type];
  if (l === undefined) return -1;
  let size = l.fixedSize;
  const t = l.trailing;
  if (t.length === 0 || payloadSize < size) return size;
  const p = r + DESCRIPTOR_SIZE;
  for (let i = 0; i < t.length; i++) {
    const o = p + t[i].countOffset;
    const kind = t[i].countKind;
    // (A u64 count past 2^53 comes back rounded, and cannot match payload_size anyway.)
    const count = kind === "u8" ? buf[o] : kind === "u32" ? buf.readUInt32LE(o) : u64At(buf, o);
    size += count * t[i].unit;
  }
  return size;
}

function typeName(t: number): string {
  return C_NAMES[t] ?? `type ${t}`;
}

/**
 * Checks the record at `r` in buf[0, end). Returns undefined when it can be decoded, else the
 * error (never throws). Allocation-free on the success path.
 */
export function checkRecord(buf: Buffer, r: number, end: number = buf.length): EventDecodeError | undefined {
  if (r + DESCRIPTOR_SIZE > end) {
    return new EventDecodeError(
      "truncated_record", 0, -1, DESCRIPTOR_SIZE, end - r, r,
      `truncated record at offset ${r}: ${end - r} bytes left, a descriptor needs ${DESCRIPTOR_SIZE}`,
    );
  }
  const type = buf.readUInt16LE(r + REC_EVENT_TYPE);
  const size = buf.readUInt32LE(r + REC_PAYLOAD_SIZE);
  if (r + DESCRIPTOR_SIZE + size > end) {
    const seqno = u64Value(buf, r + REC_SEQNO);
    return new EventDecodeError(
      "truncated_record", seqno, type, size, end - r - DESCRIPTOR_SIZE, r,
      `seqno ${seqno} (${typeName(type)}): payload_size ${size} runs past the end of the batch (${end - r - DESCRIPTOR_SIZE} bytes left)`,
    );
  }
  const expected = expectedPayloadSize(buf, r, type, size);
  if (expected === size) return undefined;
  const seqno = u64Value(buf, r + REC_SEQNO);
  if (expected < 0) {
    return new EventDecodeError(
      "unknown_event_type", seqno, type, undefined, size, r,
      `seqno ${seqno}: unknown exec event type ${type} (payload_size ${size})`,
    );
  }
  const fixed = LAYOUTS[type]!.fixedSize;
  const detail = size < fixed ? `the fixed struct alone is ${fixed}` : `fixed ${fixed} + trailing ${expected - fixed}`;
  return new EventDecodeError(
    "payload_size_mismatch", seqno, type, expected, size, r,
    `seqno ${seqno} (${typeName(type)}): payload_size is ${size} but expected ${expected} (${detail})`,
  );
}
