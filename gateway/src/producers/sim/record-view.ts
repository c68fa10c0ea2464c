// Read access to single fields of batch records, by field name, without the full decoder.
//
// The simulator's own tests and diagnostics need a handful of fields from many records; reading
// them straight from the layout table (decode/layouts.ts, shared with the encoder and decoders)
// keeps them independent of the JSON/object decoders while using the same offsets.

import { ExecEventType } from "../../decode/event-types.js";
import { LAYOUTS, type FixedField } from "../../decode/layouts.js";
import {
  DESCRIPTOR_SIZE,
  REC_ACCOUNT_INDEX,
  REC_BLOCK_SEQNO,
  REC_EPOCH_NANOS,
  REC_EVENT_TYPE,
  REC_PAYLOAD_SIZE,
  REC_SEQNO,
  REC_TXN_ID,
} from "../../ring/event-record.js";

export interface RecordView {
  seqno: number;
  type: ExecEventType;
  /** content_ext[0..3]. */
  blockSeqno: number;
  txnId: number;
  accountIndex: number;
  ext3: number;
  epochNanos: bigint;
  buf: Buffer;
  /** Offset of the record in `buf`. */
  off: number;
  payloadSize: number;
}

export function viewRecord(buf: Buffer, off: number): RecordView {
  return {
    seqno: Number(buf.readBigUInt64LE(off + REC_SEQNO)),
    type: buf.readUInt16LE(off + REC_EVENT_TYPE),
    blockSeqno: Number(buf.readBigUInt64LE(off + REC_BLOCK_SEQNO)),
    txnId: Number(buf.readBigUInt64LE(off + REC_TXN_ID)),
    accountIndex: Number(buf.readBigUInt64LE(off + REC_ACCOUNT_INDEX)),
    ext3: Number(buf.readBigUInt64LE(off + REC_ACCOUNT_INDEX + 8)),
    epochNanos: buf.readBigUInt64LE(off + REC_EPOCH_NANOS),
    buf,
    off,
    payloadSize: buf.readUInt32LE(off + REC_PAYLOAD_SIZE),
  };
}

function fixedField(type: ExecEventType, name: string): FixedField {
  const f = LAYOUTS[type]?.fields.find((x) => x.name === name);
  if (f === undefined || !("offset" in f)) throw new Error(`${ExecEventType[type]} has no fixed field "${name}"`);
  return f;
}

/** Numeric / boolean field: u8…u64 and i32/i64 as number (exact below 2^53), uint256/u128 as bigint. */
export function num(v: RecordView, name: string): number {
  const f = fixedField(v.type, name);
  const o = v.off + DESCRIPTOR_SIZE + f.offset;
  const b = v.buf;
  switch (f.kind) {
    case "u8":
    case "bool":
      return b[o];
    case "u16":
      return b.readUInt16LE(o);
    case "u32":
      return b.readUInt32LE(o);
    case "i32":
      return b.readInt32LE(o);
    case "u64":
      return Number(b.readBigUInt64LE(o));
    case "i64":
      return Number(b.readBigInt64LE(o));
    default:
      throw new Error(`${ExecEventType[v.type]}.${name} is ${f.kind}, use big() or bytes()`);
  }
}

/** uint256 / u128 / u64 field as a bigint. */
export function big(v: RecordView, name: string): bigint {
  const f = fixedField(v.type, name);
  const o = v.off + DESCRIPTOR_SIZE + f.offset;
  const b = v.buf;
  if (f.kind === "u64") return b.readBigUInt64LE(o);
  if (f.kind === "u128") return b.readBigUInt64LE(o) | (b.readBigUInt64LE(o + 8) << 64n);
  if (f.kind !== "uint256") throw new Error(`${ExecEventType[v.type]}.${name} is ${f.kind}, not a big integer`);
  let x = 0n;
  for (let i = 3; i >= 0; i--) x = (x << 64n) | b.readBigUInt64LE(o + 8 * i);
  return x;
}

/** Byte field (address, bytes32, bloom, …) as a copy. */
export function bytes(v: RecordView, name: string): Buffer {
  const f = fixedField(v.type, name);
  const size = { address: 20, bytes32: 32, bloom: 256, b64: 8, pubkey: 33 }[f.kind as string];
  if (size === undefined) throw new Error(`${ExecEventType[v.type]}.${name} is ${f.kind}, not bytes`);
  const o = v.off + DESCRIPTOR_SIZE + f.offset;
  return Buffer.from(v.buf.subarray(o, o + size));
}

/** Trailing part `part` (0-based, in layout order) as a copy. */
export function trailing(v: RecordView, part: number): Buffer {
  const l = LAYOUTS[v.type];
  if (l === undefined || part >= l.trailing.length) throw new Error(`${ExecEventType[v.type]} has no trailing part ${part}`);
  const p = v.off + DESCRIPTOR_SIZE;
  let o = p + l.fixedSize;
  for (let i = 0; i <= part; i++) {
    const t = l.trailing[i];
    const c = p + t.countOffset;
    const count = t.countKind === "u8" ? v.buf[c] : t.countKind === "u32" ? v.buf.readUInt32LE(c) : Number(v.buf.readBigUInt64LE(c));
    const len = count * t.unit;
    if (i === part) return Buffer.from(v.buf.subarray(o, o + len));
    o += len;
  }
  throw new Error("unreachable");
}

export interface BlockView {
  /** The BLOCK_START record. */
  start: RecordView;
  /** Every record of the block, BLOCK_START and the terminator included. */
  events: RecordView[];
  /** BLOCK_END, BLOCK_REJECT or (block-level) EVM_ERROR; undefined if the stream ends first. */
  terminator: RecordView | undefined;
  /** Ended with BLOCK_END. */
  committed: boolean;
}

/**
 * Groups records into blocks (by content_ext[0]) and the consensus records between them.
 * `outside` keeps, for each record outside a block, the index of the next block in `blocks`.
 */
export function splitBlocks(views: RecordView[]): { blocks: BlockView[]; outside: { view: RecordView; beforeBlock: number }[] } {
  const blocks: BlockView[] = [];
  const outside: { view: RecordView; beforeBlock: number }[] = [];
  let cur: BlockView | undefined;
  for (const v of views) {
    if (v.type === ExecEventType.BLOCK_START) {
      cur = { start: v, events: [v], terminator: undefined, committed: false };
      blocks.push(cur);
      continue;
    }
    if (cur === undefined || v.blockSeqno === 0) {
      outside.push({ view: v, beforeBlock: blocks.length });
      continue;
    }
    cur.events.push(v);
    const t = v.type;
    if ((t === ExecEventType.BLOCK_END || t === ExecEventType.BLOCK_REJECT || t === ExecEventType.EVM_ERROR) && v.txnId === 0) {
      cur.terminator = v;
      cur.committed = t === ExecEventType.BLOCK_END;
      cur = undefined;
    }
  }
  return { blocks, outside };
}
