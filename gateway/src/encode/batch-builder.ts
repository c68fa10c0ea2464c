// BatchBuilder: appends events as batch records (ring/event-record.ts layout: 64-byte descriptor
// + payload zero-padded to 8) into one growable Buffer, ready for the native writer or for the
// decoders. Used by producers (the chain simulator) and by tests.
//
// Invariant: every byte at or beyond `byteLength` is zero. New records are therefore born zeroed
// (struct padding and record padding are 0 as the ring ABI requires) without a memset per
// record; reset() pays one memset over the used part instead.

import { ExecEventType } from "../decode/event-types.js";
import type { PayloadByType, PayloadInput } from "../decode/payload-types.js";
import {
  DESCRIPTOR_SIZE,
  REC_ACCOUNT_INDEX,
  REC_BLOCK_SEQNO,
  REC_EPOCH_NANOS,
  REC_EVENT_TYPE,
  REC_PAYLOAD_SIZE,
  REC_SEQNO,
  REC_TXN_ID,
  recordSize,
} from "../ring/event-record.js";
import { encodedPayloadSize, encodePayloadInto, layoutForEncode } from "./payload-encoder.js";
import { writeU64 } from "./value-writers.js";

/** One event to append. `payload` has the decoder's payload shape (see payload-types.ts). */
export interface BatchEventInput<T extends keyof PayloadByType = keyof PayloadByType> {
  type: T;
  /** content_ext[0]: seqno of the enclosing BLOCK_START; 0/absent outside a block. */
  blockSeqno?: number;
  /**
   * Transaction index; stored as content_ext[1] = txnIndex + 1. When absent, the payload's
   * `txn_index` (if a number) is used, else 0 ("not a transaction event").
   */
  txnIndex?: number;
  /** content_ext[2] (STORAGE_ACCESS); when absent, the payload's `account_index`, else 0. */
  accountIndex?: number | bigint;
  /** record_epoch_nanos; 0n/absent means "the writer stamps the current time". */
  epochNanos?: bigint | number;
  /** Descriptor seqno. The ring assigns the real one; set it only for decoder-side uses/tests. */
  seqno?: number;
  payload?: PayloadInput<T>;
}

/** Discriminated union over all types, so `add({ type: ExecEventType.TXN_LOG, payload: {...} })` is checked. */
export type AnyBatchEventInput = { [T in keyof PayloadByType]: BatchEventInput<T> }[keyof PayloadByType];

/** Descriptor fields for the low-level paths (reserve / addRaw). */
export interface RawDescriptor {
  blockSeqno?: number;
  /** Transaction index (stored +1); undefined or -1 = none. */
  txnIndex?: number;
  accountIndex?: number | bigint;
  epochNanos?: bigint | number;
  seqno?: number;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

export class BatchBuilder {
  private buf: Buffer;
  private used = 0;
  private records = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buf = Buffer.alloc(Math.max(initialCapacity, 256));
  }

  /** Number of records appended since the last reset(). */
  get count(): number {
    return this.records;
  }

  /** Bytes used by the records. */
  get byteLength(): number {
    return this.used;
  }

  /** The records, as a view of the internal storage: valid until the next add/reserve/reset. */
  get buffer(): Buffer {
    return this.buf.subarray(0, this.used);
  }

  /**
   * The whole backing store, for producers writing payload bytes after reserve(). Re-read it
   * after every reserve()/add(): growth replaces it.
   */
  get storage(): Buffer {
    return this.buf;
  }

  /** Forget all records (keeps the storage). Views from `buffer` become invalid. */
  reset(): void {
    this.buf.fill(0, 0, this.used);
    this.used = 0;
    this.records = 0;
  }

  /**
   * Appends one event, encoding `payload` with the shared layout table. Missing fixed fields are
   * zero, missing trailing parts empty. Throws (leaving the batch unchanged) on an invalid type
   * or an invalid field value. Byte fields and trailing parts also accept a Uint8Array, uint256
   * fields a bigint.
   */
  add(ev: AnyBatchEventInput): void {
    const payload = (ev.payload ?? EMPTY) as Readonly<Record<string, unknown>>;
    const size = encodedPayloadSize(ev.type, payload);
    const flowTxn = ev.txnIndex ?? (typeof payload.txn_index === "number" ? payload.txn_index : undefined);
    const flowAcct = ev.accountIndex ?? payload.account_index;
    const off = this.appendDescriptor(ev.type, size, {
      blockSeqno: ev.blockSeqno,
      txnIndex: flowTxn,
      accountIndex: flowAcct as number | bigint | undefined,
      epochNanos: ev.epochNanos,
      seqno: ev.seqno,
    });
    try {
      encodePayloadInto(this.buf, off + DESCRIPTOR_SIZE, ev.type, payload);
    } catch (e) {
      this.rollback(off, this.used);
      throw e;
    }
  }

  /**
   * Low-level path: appends a record whose payload is `payloadSize` zero bytes and returns the
   * offset of the payload in `storage`, for the caller to fill in place (see layouts.ts
   * `fieldOffset`). The caller is responsible for the payload matching its type and size.
   */
  reserve(type: ExecEventType, payloadSize: number, d: RawDescriptor = {}): number {
    layoutForEncode(type);
    return this.appendDescriptor(type, payloadSize, d) + DESCRIPTOR_SIZE;
  }

  /** Low-level path: appends a record with already-encoded payload bytes (copied). */
  addRaw(type: ExecEventType, payload: Uint8Array, d: RawDescriptor = {}): void {
    const p = this.reserve(type, payload.length, d);
    this.buf.set(payload, p);
  }

  private appendDescriptor(type: number, payloadSize: number, d: RawDescriptor): number {
    if (!Number.isInteger(payloadSize) || payloadSize < 0 || payloadSize > 0xffffffff) {
      throw new RangeError(`payload size ${payloadSize} is not a u32`);
    }
    const off = this.used;
    const end = off + recordSize(payloadSize);
    if (end > this.buf.length) this.grow(end);
    const b = this.buf;
    try {
      writeU64(b, off + REC_SEQNO, d.seqno ?? 0, "seqno");
      b.writeUInt16LE(type, off + REC_EVENT_TYPE);
      b.writeUInt32LE(payloadSize, off + REC_PAYLOAD_SIZE);
      writeU64(b, off + REC_EPOCH_NANOS, d.epochNanos ?? 0, "epochNanos");
      writeU64(b, off + REC_BLOCK_SEQNO, d.blockSeqno ?? 0, "blockSeqno");
      const txn = d.txnIndex;
      if (txn !== undefined && txn !== -1) writeU64(b, off + REC_TXN_ID, txn + 1, "txnIndex");
      writeU64(b, off + REC_ACCOUNT_INDEX, d.accountIndex ?? 0, "accountIndex");
    } catch (e) {
      this.rollback(off, end);
      throw e;
    }
    this.used = end;
    this.records++;
    return off;
  }

  /** Undo the record starting at `off` (written partly or wholly) and restore the zero invariant. */
  private rollback(off: number, end: number): void {
    this.buf.fill(0, off, end);
    if (this.used > off) {
      this.used = off;
      this.records--;
    }
  }

  private grow(minSize: number): void {
    let cap = this.buf.length * 2;
    while (cap < minSize) cap *= 2;
    const next = Buffer.alloc(cap);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}
