// Builds batches of records with recognisable payload bytes, for protocol tests that must not depend
// on the event decoder (the decoder has its own tests).
import { DESCRIPTOR_SIZE, recordSize } from "../../src/ring/event-record.js";

export interface RawEvent {
  type: number;
  payload: Buffer;
  ext?: [number, number, number, number];
  epochNanos?: bigint;
}

export function rawBatch(events: RawEvent[]): { buffer: Buffer; count: number } {
  const total = events.reduce((n, e) => n + recordSize(e.payload.length), 0);
  const buffer = Buffer.alloc(total);
  let off = 0;
  for (const e of events) {
    buffer.writeUInt16LE(e.type, off + 8);
    buffer.writeUInt32LE(e.payload.length, off + 12);
    buffer.writeBigUInt64LE(e.epochNanos ?? 0n, off + 16);
    (e.ext ?? [0, 0, 0, 0]).forEach((v, i) => buffer.writeBigUInt64LE(BigInt(v), off + 32 + 8 * i));
    e.payload.copy(buffer, off + DESCRIPTOR_SIZE);
    off += recordSize(e.payload.length);
  }
  return { buffer, count: events.length };
}

/** A payload whose bytes encode its event number, so corruption or mix-ups are visible. */
export function patternPayload(n: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) {
    const v = (n * 2654435761 + i) >>> 0;
    if (i + 4 <= size) b.writeUInt32LE(v, i);
    else for (let j = i; j < size; j++) b[j] = (v >>> (8 * (j - i))) & 0xff;
  }
  return b;
}

export interface ReadRecord {
  seqno: number;
  type: number;
  size: number;
  epochNanos: bigint;
  payloadOffset: number;
  ext: number[];
  payload: Buffer;
}

/** Copies the records of a polled batch out (the batch buffer is reused by the next poll). */
export function readRecords(buffer: Buffer, count: number): ReadRecord[] {
  const out: ReadRecord[] = [];
  let off = 0;
  for (let i = 0; i < count; i++) {
    const size = buffer.readUInt32LE(off + 12);
    out.push({
      seqno: Number(buffer.readBigUInt64LE(off)),
      type: buffer.readUInt16LE(off + 8),
      size,
      epochNanos: buffer.readBigUInt64LE(off + 16),
      payloadOffset: Number(buffer.readBigUInt64LE(off + 24)),
      ext: [0, 1, 2, 3].map((k) => Number(buffer.readBigUInt64LE(off + 32 + 8 * k))),
      payload: Buffer.from(buffer.subarray(off + DESCRIPTOR_SIZE, off + DESCRIPTOR_SIZE + size)),
    });
    off += recordSize(size);
  }
  return out;
}
