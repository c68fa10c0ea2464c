// FlowTracker: the little state needed to put block_number and txn_hash on every event.
//
// Descriptors only carry flow ids: content_ext[0] = seqno of the enclosing BLOCK_START and
// content_ext[1] = txn index + 1. The block number and the txn hash live in the BLOCK_START and
// TXN_HEADER_START payloads, so the tracker remembers them as those events go by. Memory is
// bounded: only the most recent `maxBlocks` blocks are kept (events of older blocks no longer
// arrive once a newer block has started, except after a reader re-sync, where the fields are
// simply omitted).

import { DESCRIPTOR_SIZE, REC_BLOCK_SEQNO, REC_EVENT_TYPE, REC_SEQNO, REC_TXN_ID } from "../ring/event-record.js";
import { ExecEventType } from "./event-types.js";
import { fieldOffset } from "./layouts.js";
import { u64Value } from "./numbers.js";

const BLOCK_NUMBER_OFF = fieldOffset(ExecEventType.BLOCK_START, "block_number");
const TXN_HASH_OFF = fieldOffset(ExecEventType.TXN_HEADER_START, "txn_hash");
/** Sanity bound on a block's txn count (a larger flow id is corrupt, not a transaction). */
const MAX_TXNS = 1 << 20;

function grow(old: Buffer, min: number): Buffer {
  const next = Buffer.alloc(Math.max(min, old.length * 2));
  old.copy(next);
  return next;
}

/** Bytes per stored txn hash: its JSON text "0x" + 64 hex digits, ready to copy into output. */
export const TXN_HASH_TEXT_LEN = 66;

interface BlockEntry {
  readonly number: number | bigint;
  /**
   * Txn hash texts at txnIndex * 66; an all-zero slot means "not seen". Stored as ASCII so the
   * JSON writer copies bytes instead of building a string per event.
   */
  hashes: Buffer;
}

export class FlowTracker {
  private readonly blocks = new Map<number, BlockEntry>();
  // One-entry cache: consecutive events almost always belong to the same block.
  private lastSeqno = -1;
  private lastEntry: BlockEntry | undefined = undefined;

  constructor(private readonly maxBlocks = 8) {
    if (!(maxBlocks >= 1)) throw new RangeError("maxBlocks must be >= 1");
  }

  /**
   * Learns from the record at `r` (a validated record): BLOCK_START registers its block number,
   * TXN_HEADER_START its txn hash. Other events are ignored. Idempotent, so decoding the same
   * record twice (object and JSON form) is harmless.
   */
  observe(b: Buffer, r: number): void {
    const type = b[r + REC_EVENT_TYPE] | (b[r + REC_EVENT_TYPE + 1] << 8);
    if (type === ExecEventType.BLOCK_START) {
      const seqno = u64Value(b, r + REC_SEQNO);
      if (typeof seqno === "number") this.startBlock(seqno, u64Value(b, r + DESCRIPTOR_SIZE + BLOCK_NUMBER_OFF));
    } else if (type === ExecEventType.TXN_HEADER_START) {
      const txnId = u64Value(b, r + REC_TXN_ID);
      const block = this.entry(u64Value(b, r + REC_BLOCK_SEQNO));
      if (block !== undefined && typeof txnId === "number" && txnId > 0 && txnId <= MAX_TXNS) {
        const at = (txnId - 1) * TXN_HASH_TEXT_LEN;
        if (at + TXN_HASH_TEXT_LEN > block.hashes.length) block.hashes = grow(block.hashes, at + TXN_HASH_TEXT_LEN);
        const p = r + DESCRIPTOR_SIZE + TXN_HASH_OFF;
        block.hashes[at] = 48; // '0'
        block.hashes[at + 1] = 120; // 'x'
        block.hashes.write(b.toString("hex", p, p + 32), at + 2, 64, "latin1");
      }
    }
  }

  /** Block number of the block whose BLOCK_START has seqno `blockSeqno`, if remembered. */
  blockNumberOf(blockSeqno: number | bigint): number | bigint | undefined {
    return this.entry(blockSeqno)?.number;
  }

  /** Hash ("0x…") of transaction `txnIndex` of that block, if its header was seen. */
  txnHashOf(blockSeqno: number | bigint, txnIndex: number): string | undefined {
    const store = this.txnHashStore(blockSeqno, txnIndex);
    if (store === undefined) return undefined;
    const at = txnIndex * TXN_HASH_TEXT_LEN;
    return store.toString("latin1", at, at + TXN_HASH_TEXT_LEN);
  }

  /**
   * For the JSON writer: the store holding the hash text of `txnIndex` at txnIndex * 66, or
   * undefined when that hash is unknown. Avoids allocating a string per event.
   */
  txnHashStore(blockSeqno: number | bigint, txnIndex: number): Buffer | undefined {
    const e = this.entry(blockSeqno);
    if (e === undefined) return undefined;
    const at = txnIndex * TXN_HASH_TEXT_LEN;
    return at + TXN_HASH_TEXT_LEN <= e.hashes.length && e.hashes[at] !== 0 ? e.hashes : undefined;
  }

  /** Forget everything (e.g. after a ring gap/re-sync). */
  reset(): void {
    this.blocks.clear();
    this.lastSeqno = -1;
    this.lastEntry = undefined;
  }

  /** Number of blocks currently remembered (for tests / metrics). */
  get size(): number {
    return this.blocks.size;
  }

  private startBlock(seqno: number, number: number | bigint): void {
    const existing = this.blocks.get(seqno);
    if (existing !== undefined && existing.number === number) return; // already seen
    const entry: BlockEntry = { number, hashes: Buffer.alloc(64 * TXN_HASH_TEXT_LEN) };
    this.blocks.delete(seqno);
    this.blocks.set(seqno, entry);
    while (this.blocks.size > this.maxBlocks) this.blocks.delete(this.blocks.keys().next().value as number);
    this.lastSeqno = seqno;
    this.lastEntry = entry;
  }

  private entry(blockSeqno: number | bigint): BlockEntry | undefined {
    if (blockSeqno === this.lastSeqno) return this.lastEntry;
    if (typeof blockSeqno !== "number" || blockSeqno === 0) return undefined;
    const e = this.blocks.get(blockSeqno);
    if (e !== undefined) {
      this.lastSeqno = blockSeqno;
      this.lastEntry = e;
    }
    return e;
  }
}
