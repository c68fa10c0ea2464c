// Conformance checker for exec event streams: event order (reference §2.4) and content_ext flow
// ids (§1.4), record by record, straight from batch records (no payload decoder needed).
//
// It exists to prove the simulator writes what a Monad node writes, and it accepts both real
// captures in ../shared/fixtures (sim-fixtures.test.ts), so the rules below are the ones real
// nodes follow, not an idealisation. In particular a node records transactions concurrently:
// events of different transactions interleave (the 30-block capture interleaves even the
// commit-time records of neighbouring transactions, and the 1-block capture the headers), so
// every transaction is checked by its own state machine, keyed by its txn flow id.
//
// Checked:
//   - seqnos are consecutive;
//   - outside blocks only BLOCK_QC / BLOCK_FINALIZED / BLOCK_VERIFIED, with content_ext all zero;
//   - block skeleton: BLOCK_START, BLOCK_PERF_EVM_ENTER, prologue list (ctx 0), transaction
//     events, epilogue list (ctx 2) once every transaction is complete, BLOCK_PERF_EVM_EXIT,
//     then BLOCK_END | BLOCK_REJECT | EVM_ERROR;
//   - per transaction: TXN_HEADER_START once, its access-list then auth-list entries (as many
//     as the header says, in index order), TXN_HEADER_END, then TXN_REJECT | EVM_ERROR, or
//     TXN_EVM_OUTPUT, log_count TXN_LOGs and call_frame_count TXN_CALL_FRAMEs in index order,
//     the ctx 1 list, TXN_END; BLOCK_START txn_count transactions, ids 1..txn_count;
//   - access lists: entry_count ACCOUNT_ACCESSes indexed 0.., each followed (within its own
//     transaction) by exactly storage_key_count persistent then transient_count transient
//     STORAGE_ACCESSes on the same address and context, indexed 0.., content_ext[2] = the
//     account's index;
//   - TXN_PERF_EVM_ENTER / EXIT at most once each per transaction, ENTER first, both after the
//     prologue and before the epilogue;
//   - content_ext[0] = the BLOCK_START's seqno on every event of a block, content_ext[1] =
//     txn index + 1 on transaction events and 0 on block events, content_ext[2] only on
//     STORAGE_ACCESS, content_ext[3] = 0;
//   - BLOCK_END gas_used = sum of the TXN_EVM_OUTPUT gas_used.
// After a violation inside a block, the rest of that block is skipped (one report, not a cascade).

import { ExecEventType as T } from "../../decode/event-types.js";
import { fieldOffset } from "../../decode/layouts.js";
import {
  DESCRIPTOR_SIZE,
  REC_ACCOUNT_INDEX,
  REC_BLOCK_SEQNO,
  REC_EVENT_TYPE,
  REC_PAYLOAD_SIZE,
  REC_SEQNO,
  REC_TXN_ID,
  recordSize,
} from "../../ring/event-record.js";

const OFF = {
  txnCount: fieldOffset(T.BLOCK_START, "txn_count"),
  blockGasUsed: fieldOffset(T.BLOCK_END, "gas_used"),
  accessListCount: fieldOffset(T.TXN_HEADER_START, "access_list_count"),
  authListCount: fieldOffset(T.TXN_HEADER_START, "auth_list_count"),
  accessEntryIndex: fieldOffset(T.TXN_ACCESS_LIST_ENTRY, "index"),
  authEntryIndex: fieldOffset(T.TXN_AUTH_LIST_ENTRY, "index"),
  logCount: fieldOffset(T.TXN_EVM_OUTPUT, "log_count"),
  txnGasUsed: fieldOffset(T.TXN_EVM_OUTPUT, "gas_used"),
  frameCount: fieldOffset(T.TXN_EVM_OUTPUT, "call_frame_count"),
  logIndex: fieldOffset(T.TXN_LOG, "log_index"),
  frameIndex: fieldOffset(T.TXN_CALL_FRAME, "index"),
  listEntryCount: fieldOffset(T.ACCOUNT_ACCESS_LIST_HEADER, "entry_count"),
  listContext: fieldOffset(T.ACCOUNT_ACCESS_LIST_HEADER, "access_context"),
  accountIndex: fieldOffset(T.ACCOUNT_ACCESS, "index"),
  accountAddress: fieldOffset(T.ACCOUNT_ACCESS, "address"),
  accountContext: fieldOffset(T.ACCOUNT_ACCESS, "access_context"),
  accountStorageCount: fieldOffset(T.ACCOUNT_ACCESS, "storage_key_count"),
  accountTransientCount: fieldOffset(T.ACCOUNT_ACCESS, "transient_count"),
  storageAddress: fieldOffset(T.STORAGE_ACCESS, "address"),
  storageIndex: fieldOffset(T.STORAGE_ACCESS, "index"),
  storageContext: fieldOffset(T.STORAGE_ACCESS, "access_context"),
  storageTransient: fieldOffset(T.STORAGE_ACCESS, "transient"),
} as const;

/** Block-level phases. */
type BlockPhase = "outside" | "perfEnter" | "prologueHeader" | "prologue" | "txns" | "epilogue" | "perfExit" | "terminator" | "skip";

/** Phases of one transaction's own records. */
type TxnPhase = "header" | "result" | "logs" | "frames" | "list" | "end" | "done";

/** Progress through one ACCOUNT_ACCESS_LIST_HEADER's records. */
class ListState {
  entries = 0;
  nextAccount = 0;
  address: Buffer | undefined = undefined;
  persistentLeft = 0;
  transientLeft = 0;
  nextStorageIndex = 0;

  constructor(readonly ctx: number) {}

  get done(): boolean {
    return this.nextAccount === this.entries && this.persistentLeft + this.transientLeft === 0;
  }
}

interface TxnState {
  phase: TxnPhase | undefined; // undefined until TXN_HEADER_START
  accessLeft: number;
  nextAccessIdx: number;
  authLeft: number;
  nextAuthIdx: number;
  logsLeft: number;
  nextLogIdx: number;
  framesLeft: number;
  nextFrameIdx: number;
  list: ListState | undefined;
  entered: boolean;
  exited: boolean;
}

const CONSENSUS = new Set<number>([T.BLOCK_QC, T.BLOCK_FINALIZED, T.BLOCK_VERIFIED]);
const TXN_TYPES = new Set<number>([
  T.TXN_HEADER_START,
  T.TXN_ACCESS_LIST_ENTRY,
  T.TXN_AUTH_LIST_ENTRY,
  T.TXN_HEADER_END,
  T.TXN_REJECT,
  T.TXN_PERF_EVM_ENTER,
  T.TXN_PERF_EVM_EXIT,
  T.TXN_EVM_OUTPUT,
  T.TXN_LOG,
  T.TXN_CALL_FRAME,
  T.TXN_END,
]);

export class ExecStreamChecker {
  readonly violations: string[] = [];
  blocks = 0;
  txns = 0;
  events = 0;

  private prevSeqno = -1;
  private phase: BlockPhase = "outside";
  private blockSeqno = 0;
  private txnCount = 0;
  private txnsDone = 0;
  private gasSum = 0n;
  private txnState: TxnState[] = [];
  private blockList = new ListState(0);

  constructor(private readonly maxViolations = 100) {}

  /** Checks every record of a batch buffer. */
  feedBatch(buf: Buffer): void {
    for (let off = 0; off < buf.length; off += recordSize(buf.readUInt32LE(off + REC_PAYLOAD_SIZE))) this.feed(buf, off);
  }

  /** Checks the stream ended cleanly (not inside a block); returns all violations. */
  finish(): string[] {
    if (this.phase !== "outside" && this.phase !== "skip") {
      this.fail(this.prevSeqno, "end", `stream ends inside the block started at seqno ${this.blockSeqno} (phase ${this.phase})`);
    }
    return this.violations;
  }

  /** Checks one record (batch layout, seqno filled in). */
  feed(b: Buffer, r: number): void {
    this.events++;
    const seqno = Number(b.readBigUInt64LE(r + REC_SEQNO));
    const type = b.readUInt16LE(r + REC_EVENT_TYPE);
    const ce0 = Number(b.readBigUInt64LE(r + REC_BLOCK_SEQNO));
    const ce1 = Number(b.readBigUInt64LE(r + REC_TXN_ID));
    const ce2 = Number(b.readBigUInt64LE(r + REC_ACCOUNT_INDEX));
    const ce3 = Number(b.readBigUInt64LE(r + REC_ACCOUNT_INDEX + 8));
    const p = r + DESCRIPTOR_SIZE;
    const name = T[type] ?? `type ${type}`;
    if (this.prevSeqno >= 0 && seqno !== this.prevSeqno + 1) this.fail(seqno, name, `seqno follows ${this.prevSeqno}`);
    this.prevSeqno = seqno;

    if (type === T.BLOCK_START) return this.blockStart(seqno, name, b, p, ce0, ce1, ce2, ce3);
    if (this.phase === "skip") return;
    if (this.phase === "outside") {
      if (!CONSENSUS.has(type)) return this.fail(seqno, name, "outside a block (only BLOCK_QC / BLOCK_FINALIZED / BLOCK_VERIFIED may be)");
      if (ce0 !== 0 || ce1 !== 0 || ce2 !== 0 || ce3 !== 0) this.fail(seqno, name, `content_ext (${ce0},${ce1},${ce2},${ce3}) must be all zero`);
      return;
    }

    // Inside a block: flow ids common to all events.
    if (ce0 !== this.blockSeqno) return this.failBlock(seqno, name, `content_ext[0] = ${ce0}, expected the BLOCK_START seqno ${this.blockSeqno}`);
    if (ce3 !== 0) return this.failBlock(seqno, name, `content_ext[3] = ${ce3}, expected 0`);
    if (type !== T.STORAGE_ACCESS && ce2 !== 0) return this.failBlock(seqno, name, `content_ext[2] = ${ce2} on a non-STORAGE_ACCESS event`);

    if (ce1 !== 0) return this.txnEvent(seqno, name, type, b, p, ce1, ce2);
    if (TXN_TYPES.has(type)) return this.failBlock(seqno, name, "a transaction event without a txn flow id (content_ext[1] = 0)");

    switch (this.phase) {
      case "perfEnter":
        if (type !== T.BLOCK_PERF_EVM_ENTER) return this.unexpected(seqno, name, "BLOCK_PERF_EVM_ENTER");
        this.phase = "prologueHeader";
        return;
      case "prologueHeader":
        if (type !== T.ACCOUNT_ACCESS_LIST_HEADER) return this.unexpected(seqno, name, "the prologue ACCOUNT_ACCESS_LIST_HEADER (context 0)");
        this.blockList = this.listHeader(seqno, name, b, p, 0);
        this.phase = "prologue";
        if (this.blockList.done) this.phase = "txns";
        return;
      case "prologue":
      case "epilogue": {
        if (!this.listItem(seqno, name, type, b, p, ce2, this.blockList)) return;
        if (this.blockList.done) this.phase = this.phase === "prologue" ? "txns" : "perfExit";
        return;
      }
      case "txns":
        if (type !== T.ACCOUNT_ACCESS_LIST_HEADER) return this.unexpected(seqno, name, "transaction events or the epilogue ACCOUNT_ACCESS_LIST_HEADER");
        if (this.txnsDone !== this.txnCount) {
          return this.failBlock(seqno, name, `epilogue after ${this.txnsDone} complete transactions, BLOCK_START txn_count is ${this.txnCount}`);
        }
        for (let t = 1; t <= this.txnCount; t++) {
          const s = this.txnState[t];
          if (s.entered && !s.exited) return this.failBlock(seqno, name, `txn id ${t} has TXN_PERF_EVM_ENTER but no EXIT before the epilogue`);
        }
        this.blockList = this.listHeader(seqno, name, b, p, 2);
        this.phase = "epilogue";
        if (this.blockList.done) this.phase = "perfExit";
        return;
      case "perfExit":
        if (type !== T.BLOCK_PERF_EVM_EXIT) return this.unexpected(seqno, name, "BLOCK_PERF_EVM_EXIT");
        this.phase = "terminator";
        return;
      case "terminator":
        if (type === T.BLOCK_END) {
          const gas = b.readBigUInt64LE(p + OFF.blockGasUsed);
          if (gas !== this.gasSum) this.fail(seqno, name, `gas_used ${gas} differs from the transactions' sum ${this.gasSum}`);
        } else if (type !== T.BLOCK_REJECT && type !== T.EVM_ERROR) {
          return this.unexpected(seqno, name, "BLOCK_END, BLOCK_REJECT or EVM_ERROR");
        }
        this.phase = "outside";
        return;
    }
  }

  private blockStart(seqno: number, name: string, b: Buffer, p: number, ce0: number, ce1: number, ce2: number, ce3: number): void {
    if (this.phase !== "outside" && this.phase !== "skip") this.fail(seqno, name, `previous block (seqno ${this.blockSeqno}) did not end (phase ${this.phase})`);
    if (ce0 !== seqno || ce1 !== 0 || ce2 !== 0 || ce3 !== 0) this.fail(seqno, name, `content_ext (${ce0},${ce1},${ce2},${ce3}) must be (own seqno,0,0,0)`);
    this.blocks++;
    this.blockSeqno = seqno;
    this.txnCount = Number(b.readBigUInt64LE(p + OFF.txnCount));
    this.txnsDone = 0;
    this.gasSum = 0n;
    this.txnState = [];
    for (let t = 1; t <= this.txnCount; t++) {
      this.txnState[t] = {
        phase: undefined,
        accessLeft: 0,
        nextAccessIdx: 0,
        authLeft: 0,
        nextAuthIdx: 0,
        logsLeft: 0,
        nextLogIdx: 0,
        framesLeft: 0,
        nextFrameIdx: 0,
        list: undefined,
        entered: false,
        exited: false,
      };
    }
    this.phase = "perfEnter";
  }

  private txnEvent(seqno: number, name: string, type: number, b: Buffer, p: number, id: number, ce2: number): void {
    if (this.phase !== "txns") return this.failBlock(seqno, name, `transaction event (txn id ${id}) outside the block's transaction section (phase ${this.phase})`);
    const s = this.txnState[id];
    if (s === undefined) return this.failBlock(seqno, name, `txn id ${id} is not a transaction of this block (txn_count ${this.txnCount})`);
    const fail = (msg: string) => this.failBlock(seqno, name, `txn id ${id}: ${msg}`);

    if (type === T.TXN_PERF_EVM_ENTER) {
      if (s.entered) return fail("second TXN_PERF_EVM_ENTER");
      s.entered = true;
      return;
    }
    if (type === T.TXN_PERF_EVM_EXIT) {
      if (!s.entered) return fail("TXN_PERF_EVM_EXIT before TXN_PERF_EVM_ENTER");
      if (s.exited) return fail("second TXN_PERF_EVM_EXIT");
      s.exited = true;
      return;
    }

    switch (s.phase) {
      case undefined:
        if (type !== T.TXN_HEADER_START) return fail(`${name} before its TXN_HEADER_START`);
        s.accessLeft = b.readUInt32LE(p + OFF.accessListCount);
        s.authLeft = b.readUInt32LE(p + OFF.authListCount);
        s.phase = "header";
        return;
      case "header":
        if (type === T.TXN_ACCESS_LIST_ENTRY) {
          if (s.accessLeft === 0 || s.nextAuthIdx > 0) return fail("more access-list entries than access_list_count, or after an auth-list entry");
          const idx = b.readUInt32LE(p + OFF.accessEntryIndex);
          if (idx !== s.nextAccessIdx) return fail(`access-list entry index ${idx}, expected ${s.nextAccessIdx}`);
          s.nextAccessIdx++;
          s.accessLeft--;
          return;
        }
        if (type === T.TXN_AUTH_LIST_ENTRY) {
          if (s.authLeft === 0 || s.accessLeft > 0) return fail("auth-list entry before the access list is complete, or beyond auth_list_count");
          const idx = b.readUInt32LE(p + OFF.authEntryIndex);
          if (idx !== s.nextAuthIdx) return fail(`auth-list entry index ${idx}, expected ${s.nextAuthIdx}`);
          s.nextAuthIdx++;
          s.authLeft--;
          return;
        }
        if (type !== T.TXN_HEADER_END) return fail(`${name} inside the header; expected list entries or TXN_HEADER_END`);
        if (s.accessLeft > 0 || s.authLeft > 0) return fail(`${s.accessLeft} access-list and ${s.authLeft} auth-list entries missing`);
        s.phase = "result";
        return;
      case "result":
        if (type === T.TXN_REJECT || type === T.EVM_ERROR) return this.txnDone(s);
        if (type !== T.TXN_EVM_OUTPUT) return fail(`${name} after TXN_HEADER_END; expected TXN_EVM_OUTPUT, TXN_REJECT or EVM_ERROR`);
        s.logsLeft = b.readUInt32LE(p + OFF.logCount);
        s.framesLeft = b.readUInt32LE(p + OFF.frameCount);
        s.nextLogIdx = 0;
        s.nextFrameIdx = 0;
        this.gasSum += b.readBigUInt64LE(p + OFF.txnGasUsed);
        s.phase = "logs";
        return;
      case "logs":
      case "frames":
        if (type === T.TXN_LOG) {
          if (s.phase !== "logs" || s.logsLeft === 0) return fail("TXN_LOG beyond log_count or after a call frame");
          const idx = b.readUInt32LE(p + OFF.logIndex);
          if (idx !== s.nextLogIdx) return fail(`log_index ${idx}, expected ${s.nextLogIdx}`);
          s.nextLogIdx++;
          s.logsLeft--;
          return;
        }
        if (s.logsLeft > 0) return fail(`${name} while ${s.logsLeft} of log_count TXN_LOGs are missing`);
        if (type === T.TXN_CALL_FRAME) {
          if (s.framesLeft === 0) return fail("TXN_CALL_FRAME beyond call_frame_count");
          const idx = b.readUInt32LE(p + OFF.frameIndex);
          if (idx !== s.nextFrameIdx) return fail(`call frame index ${idx}, expected ${s.nextFrameIdx}`);
          s.nextFrameIdx++;
          s.framesLeft--;
          s.phase = "frames";
          return;
        }
        if (s.framesLeft > 0) return fail(`${name} while ${s.framesLeft} of call_frame_count TXN_CALL_FRAMEs are missing`);
        if (type !== T.ACCOUNT_ACCESS_LIST_HEADER) return fail(`${name}; expected TXN_LOG, TXN_CALL_FRAME or the transaction's ACCOUNT_ACCESS_LIST_HEADER`);
        s.list = this.listHeader(seqno, name, b, p, 1);
        s.phase = s.list.done ? "end" : "list";
        return;
      case "list":
        if (!this.listItem(seqno, name, type, b, p, ce2, s.list!)) return;
        if (s.list!.done) s.phase = "end";
        return;
      case "end":
        if (type !== T.TXN_END) return fail(`${name} after the access list; expected TXN_END`);
        return this.txnDone(s);
      case "done":
        return fail(`${name} after the transaction ended`);
    }
  }

  private txnDone(s: TxnState): void {
    s.phase = "done";
    this.txnsDone++;
    this.txns++;
  }

  private listHeader(seqno: number, name: string, b: Buffer, p: number, ctx: number): ListState {
    const l = new ListState(ctx);
    const c = b[p + OFF.listContext];
    if (c !== ctx) this.failBlock(seqno, name, `access_context ${c}, expected ${ctx}`);
    l.entries = b.readUInt32LE(p + OFF.listEntryCount);
    return l;
  }

  /** One ACCOUNT_ACCESS / STORAGE_ACCESS of list `l`; false after a violation. */
  private listItem(seqno: number, name: string, type: number, b: Buffer, p: number, ce2: number, l: ListState): boolean {
    const bad = (msg: string) => {
      this.failBlock(seqno, name, msg);
      return false;
    };
    if (type === T.STORAGE_ACCESS) {
      if (l.persistentLeft + l.transientLeft === 0) return bad("no STORAGE_ACCESS expected here (storage_key_count + transient_count reached)");
      if (ce2 !== l.nextAccount - 1) return bad(`content_ext[2] = ${ce2}, expected the owning account's index ${l.nextAccount - 1}`);
      const transient = b[p + OFF.storageTransient] !== 0;
      if (transient ? l.persistentLeft > 0 : l.persistentLeft === 0) {
        return bad(transient ? "transient access before all persistent ones" : "persistent access beyond storage_key_count");
      }
      if (b[p + OFF.storageContext] !== l.ctx) return bad(`access_context ${b[p + OFF.storageContext]}, expected ${l.ctx}`);
      const idx = b.readUInt32LE(p + OFF.storageIndex);
      if (idx !== l.nextStorageIndex) return bad(`storage index ${idx}, expected ${l.nextStorageIndex}`);
      if (l.address === undefined || !b.subarray(p + OFF.storageAddress, p + OFF.storageAddress + 20).equals(l.address)) {
        return bad("address differs from the owning ACCOUNT_ACCESS");
      }
      l.nextStorageIndex++;
      if (transient) l.transientLeft--;
      else l.persistentLeft--;
      return true;
    }
    if (type !== T.ACCOUNT_ACCESS) return bad(`unexpected inside an access list (context ${l.ctx}); expected ACCOUNT_ACCESS / STORAGE_ACCESS`);
    if (l.persistentLeft + l.transientLeft > 0) return bad(`${l.persistentLeft + l.transientLeft} STORAGE_ACCESS of the previous account missing`);
    if (l.nextAccount >= l.entries) return bad(`ACCOUNT_ACCESS beyond entry_count ${l.entries}`);
    const idx = b.readUInt32LE(p + OFF.accountIndex);
    if (idx !== l.nextAccount) return bad(`account index ${idx}, expected ${l.nextAccount}`);
    if (b[p + OFF.accountContext] !== l.ctx) return bad(`access_context ${b[p + OFF.accountContext]}, expected ${l.ctx}`);
    l.address = Buffer.from(b.subarray(p + OFF.accountAddress, p + OFF.accountAddress + 20));
    l.persistentLeft = b.readUInt32LE(p + OFF.accountStorageCount);
    l.transientLeft = b.readUInt32LE(p + OFF.accountTransientCount);
    l.nextStorageIndex = 0;
    l.nextAccount++;
    return true;
  }

  private unexpected(seqno: number, name: string, expected: string): void {
    this.failBlock(seqno, name, `unexpected here (phase ${this.phase}); expected ${expected}`);
  }

  private failBlock(seqno: number, name: string, msg: string): void {
    this.fail(seqno, name, msg);
    this.phase = "skip";
  }

  private fail(seqno: number, name: string, msg: string): void {
    if (this.violations.length < this.maxViolations) this.violations.push(`seqno ${seqno} ${name}: ${msg}`);
  }
}
