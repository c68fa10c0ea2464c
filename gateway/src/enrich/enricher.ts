// Enricher: the one object the pipeline feeds every ring record to. It wires the four
// enrichments (lifecycle, TPS, contention + schedule, top accesses) to the events they need,
// reading payload fields at fixed offsets, and answers the commit-stage query used to stamp
// each event.
//
// Contract with the pipeline:
//   for each record r of a polled batch, in order:
//     const n = enricher.observe(buf, r);          // updates state, may produce outputs
//     const stage = enricher.commitStage(buf, r);  // stamp the event (after observe)
//     …serialize the event with `stage`…
//     for (let i = 0; i < n; i++) frame(enricher.outputs[i]);   // then its outputs, in order
//   on a ring gap (re-sync):  enricher.reset();
// `outputs` is reused: it holds the outputs of the latest observe() call only. Outputs come in
// the Rust gateway's frame order: after BLOCK_START, TPS then Lifecycle; after BLOCK_END,
// TopAccesses then ContentionData; after QC / FINALIZED / VERIFIED / REJECT, Lifecycle updates.
// Stage listeners (`lifecycle.onStage`) fire inside observe(), before the event is serialized.
// With `deferBlockSummaries`, BLOCK_END's TopAccesses and ContentionData wait for summarizeBlock():
// computing them takes up to several ms on a big block (measured on the 30-block capture: p50
// 0.5 ms, max 4.7-8 ms), and the pipeline sends the BLOCK_END event before paying for them.
//
// Hot path: STORAGE_ACCESS and ACCOUNT_ACCESS (about half of all events) cost one key hash
// shared by the contention and top-accesses tables; other transaction events a timestamp read;
// everything else a type switch. No allocation except per block.

import { ExecEventType as T } from "../decode/event-types.js";
import { fieldOffset } from "../decode/layouts.js";
import { REC_SEQNO } from "../ring/event-record.js";
import { ContentionTracker, type ContentionData, type ContentionOptions } from "./contention.js";
import { hashKey } from "./key-hash.js";
import { LifecycleTracker, type LifecycleOptions, type LifecycleSummary, type LifecycleUpdate } from "./lifecycle.js";
import { u64At } from "../decode/numbers.js";
import { blockSeqnoOf, payloadOf, recordType, txnIndexOf } from "./record-fields.js";
import { RingTime } from "./ring-time.js";
import { STAGE_NAMES, type CommitStage, type Stage } from "./stages.js";
import { TopAccessesTracker, type TopAccessesData, type TopAccessesOptions } from "./top-accesses.js";
import { TpsTracker, type TpsData } from "./tps.js";

/** One output of observe(); `type` is the key of the Rust gateway's frame for it. */
export type EnrichOutput =
  | { type: "TPS"; data: TpsData }
  | { type: "Lifecycle"; data: LifecycleUpdate }
  | { type: "ContentionData"; data: ContentionData }
  | { type: "TopAccesses"; data: TopAccessesData };

export interface EnricherOptions {
  lifecycle?: LifecycleOptions;
  contention?: ContentionOptions;
  topAccesses?: TopAccessesOptions;
  /** BLOCK_END's summaries come from summarizeBlock() instead of observe() (see the header). */
  deferBlockSummaries?: boolean;
}

const BS_ID = fieldOffset(T.BLOCK_START, "block_id");
const BS_NUMBER = fieldOffset(T.BLOCK_START, "block_number");
const BS_BENEFICIARY = fieldOffset(T.BLOCK_START, "beneficiary");
const BS_TXN_COUNT = fieldOffset(T.BLOCK_START, "txn_count");
const BE_ETH_HASH = fieldOffset(T.BLOCK_END, "eth_block_hash");
const BE_GAS_USED = fieldOffset(T.BLOCK_END, "gas_used");
const QC_ID = fieldOffset(T.BLOCK_QC, "block_id");
const QC_NUMBER = fieldOffset(T.BLOCK_QC, "block_number");
const FIN_ID = fieldOffset(T.BLOCK_FINALIZED, "block_id");
const FIN_NUMBER = fieldOffset(T.BLOCK_FINALIZED, "block_number");
const VER_NUMBER = fieldOffset(T.BLOCK_VERIFIED, "block_number");
const OUT_GAS_USED = fieldOffset(T.TXN_EVM_OUTPUT, "gas_used");
const SA_ADDRESS = fieldOffset(T.STORAGE_ACCESS, "address");
const SA_KEY = fieldOffset(T.STORAGE_ACCESS, "key");
const AA_ADDRESS = fieldOffset(T.ACCOUNT_ACCESS, "address");

function hex32(b: Buffer, o: number): string {
  return "0x" + b.toString("hex", o, o + 32);
}

export class Enricher {
  readonly lifecycle: LifecycleTracker;
  readonly tps = new TpsTracker();
  readonly contention: ContentionTracker;
  readonly topAccesses: TopAccessesTracker;
  /** Outputs of the latest observe() call (reused; copy what you keep). */
  readonly outputs: EnrichOutput[] = [];
  private readonly time = new RingTime();
  private readonly updates: LifecycleUpdate[] = [];
  private readonly deferBlockSummaries: boolean;
  /** The block whose summaries summarizeBlock() owes (0: none), and its BLOCK_END's ring time. */
  private summarySeqno = 0;
  private summaryTime = 0;

  constructor(opts: EnricherOptions = {}) {
    this.deferBlockSummaries = opts.deferBlockSummaries ?? false;
    this.lifecycle = new LifecycleTracker(opts.lifecycle);
    this.contention = new ContentionTracker(opts.contention);
    this.topAccesses = new TopAccessesTracker(opts.topAccesses);
  }

  /** Feeds the valid record at `r`; returns how many outputs it produced (in `outputs`). */
  observe(b: Buffer, r: number): number {
    const out = this.outputs;
    if (out.length !== 0) out.length = 0;
    const p = payloadOf(r);
    switch (recordType(b, r)) {
      case T.STORAGE_ACCESS: {
        const h = hashKey(b, p + SA_ADDRESS, 20, p + SA_KEY, 32);
        this.topAccesses.storageAccess(b, p, h);
        if (this.contention.collecting(blockSeqnoOf(b, r))) this.contention.storageAccess(b, p, txnIndexOf(b, r), h);
        return 0;
      }
      case T.ACCOUNT_ACCESS: {
        const h = hashKey(b, p + AA_ADDRESS, 20, 0, 0);
        this.topAccesses.accountAccess(b, p, h);
        if (this.contention.collecting(blockSeqnoOf(b, r))) this.contention.accountAccess(b, p, txnIndexOf(b, r), h);
        return 0;
      }
      case T.TXN_HEADER_START:
        if (this.inTxn(b, r)) this.contention.txnHeaderStart(txnIndexOf(b, r), this.time.ofRecord(b, r));
        return 0;
      case T.TXN_END:
        if (this.inTxn(b, r)) this.contention.txnEnd(txnIndexOf(b, r), this.time.ofRecord(b, r));
        return 0;
      case T.TXN_PERF_EVM_ENTER:
        if (this.inTxn(b, r)) this.contention.txnEvmEnter(txnIndexOf(b, r), this.time.ofRecord(b, r));
        return 0;
      case T.TXN_PERF_EVM_EXIT:
        if (this.inTxn(b, r)) this.contention.txnEvmExit(txnIndexOf(b, r), this.time.ofRecord(b, r));
        return 0;
      case T.TXN_EVM_OUTPUT:
        if (this.inTxn(b, r)) this.contention.txnGasUsed(txnIndexOf(b, r), u64At(b, p + OUT_GAS_USED));
        return 0;
      case T.BLOCK_START:
        return this.blockStart(b, r, p);
      case T.BLOCK_END:
        return this.blockEnd(b, r, p);
      case T.BLOCK_REJECT: {
        const seqno = blockSeqnoOf(b, r);
        this.blockFailed(seqno);
        this.lifecycle.blockReject(seqno, this.time.ofRecord(b, r), this.updates);
        return this.flushUpdates();
      }
      case T.EVM_ERROR: {
        // Block scope without a transaction: the block's execution failed (no BLOCK_END follows).
        // Its consensus stage is left alone: other nodes may still finalize it.
        const seqno = blockSeqnoOf(b, r);
        if (seqno !== 0 && txnIndexOf(b, r) < 0) this.blockFailed(seqno);
        return 0;
      }
      case T.BLOCK_QC:
        this.lifecycle.blockQc(u64At(b, p + QC_NUMBER), hex32(b, p + QC_ID), this.time.ofRecord(b, r), this.updates);
        return this.flushUpdates();
      case T.BLOCK_FINALIZED:
        this.lifecycle.blockFinalized(u64At(b, p + FIN_NUMBER), hex32(b, p + FIN_ID), this.time.ofRecord(b, r), this.updates);
        return this.flushUpdates();
      case T.BLOCK_VERIFIED:
        this.lifecycle.blockVerified(u64At(b, p + VER_NUMBER), this.time.ofRecord(b, r), this.updates);
        return this.flushUpdates();
      default:
        return 0;
    }
  }

  /** True after a BLOCK_END observed with deferBlockSummaries, until summarizeBlock(). */
  get summaryPending(): boolean {
    return this.summarySeqno !== 0;
  }

  /**
   * The deferred summaries of the block that just ended (TopAccesses, then ContentionData) into
   * `outputs`; returns how many. Call before observing the next record.
   */
  summarizeBlock(): number {
    const out = this.outputs;
    if (out.length !== 0) out.length = 0;
    const seqno = this.summarySeqno;
    if (seqno === 0) return 0;
    this.summarySeqno = 0;
    return this.pushSummaries(seqno, this.summaryTime);
  }

  /**
   * Commit stage to stamp on the event at `r` (call after observe): the stage of its block —
   * found through content_ext[0], or through the payload for BLOCK_QC / BLOCK_FINALIZED /
   * BLOCK_VERIFIED, which are recorded outside block scope. Undefined when the block is unknown.
   */
  commitStage(b: Buffer, r: number): CommitStage | undefined {
    const s = this.stageOf(b, r);
    return s < 0 ? undefined : STAGE_NAMES[s];
  }

  /** Numeric form of commitStage (-1 = unknown), for layers comparing stages. */
  stageOf(b: Buffer, r: number): Stage | -1 {
    const p = payloadOf(r);
    switch (recordType(b, r)) {
      case T.BLOCK_QC:
        return this.lifecycle.stageOfBlock(u64At(b, p + QC_NUMBER), hex32(b, p + QC_ID));
      case T.BLOCK_FINALIZED:
        return this.lifecycle.stageOfBlock(u64At(b, p + FIN_NUMBER), hex32(b, p + FIN_ID));
      case T.BLOCK_VERIFIED:
        return this.lifecycle.stageOfNumber(u64At(b, p + VER_NUMBER));
      default: {
        const seqno = blockSeqnoOf(b, r);
        return seqno === 0 ? -1 : this.lifecycle.stageOfBlockSeqno(seqno);
      }
    }
  }

  /**
   * After a ring gap: per-block state is dropped (the block in progress yields no contention
   * data, the TPS window restarts). Consensus stages of tracked blocks and the top-accesses
   * window are kept: they stay true across a gap.
   */
  reset(): void {
    this.contention.abandonBlock();
    this.tps.reset();
    this.lifecycle.resync();
  }

  // ------------------------------------------------------------------ snapshot / REST state

  /** The TPS value sent on the latest BLOCK_START (`GET /v1/tps`, snapshots). */
  get latestTps(): TpsData | undefined {
    return this.tps.latest;
  }

  /** The latest ContentionData (`GET /v1/contention`, snapshots). */
  get latestContention(): ContentionData | undefined {
    return this.contention.latest;
  }

  /** The latest TopAccesses sent. */
  get latestTopAccesses(): TopAccessesData | undefined {
    return this.topAccesses.latest;
  }

  /** Lifecycle updates describing every active block (snapshot for new clients). */
  activeLifecycleUpdates(): LifecycleUpdate[] {
    return this.lifecycle.activeUpdates();
  }

  /** `GET /v1/blocks/lifecycle`. */
  lifecycleSummaries(): LifecycleSummary[] {
    return this.lifecycle.summaries();
  }

  /** `GET /v1/blocks/:n/lifecycle` (undefined → `{"error":"block not found"}`). */
  lifecycleSummary(blockNumber: number): LifecycleSummary | undefined {
    return this.lifecycle.summaryByNumber(blockNumber);
  }

  // ------------------------------------------------------------------ internals

  private inTxn(b: Buffer, r: number): boolean {
    return this.contention.collecting(blockSeqnoOf(b, r)) && txnIndexOf(b, r) >= 0;
  }

  private blockStart(b: Buffer, r: number, p: number): number {
    const seqno = u64At(b, r + REC_SEQNO);
    const number = u64At(b, p + BS_NUMBER);
    const txnCount = u64At(b, p + BS_TXN_COUNT);
    const t = this.time.ofRecord(b, r);
    this.topAccesses.blockStart(t);
    this.outputs.push({ type: "TPS", data: this.tps.blockStart(seqno, number, txnCount, t) });
    this.contention.blockStart(seqno, number, txnCount, b, p + BS_BENEFICIARY, t);
    this.lifecycle.blockStart(seqno, hex32(b, p + BS_ID), number, txnCount, t, this.updates);
    return this.flushUpdates();
  }

  private blockEnd(b: Buffer, r: number, p: number): number {
    const seqno = blockSeqnoOf(b, r);
    const t = this.time.ofRecord(b, r);
    this.lifecycle.blockEnd(seqno, u64At(b, p + BE_GAS_USED), hex32(b, p + BE_ETH_HASH), t);
    this.tps.blockEnd(seqno);
    if (this.deferBlockSummaries) {
      this.summarySeqno = seqno;
      this.summaryTime = t;
      return this.outputs.length;
    }
    return this.pushSummaries(seqno, t);
  }

  private pushSummaries(seqno: number, t: number): number {
    this.outputs.push({ type: "TopAccesses", data: this.topAccesses.snapshot() });
    const data = this.contention.blockEnd(seqno, t);
    if (data !== undefined) this.outputs.push({ type: "ContentionData", data });
    return this.outputs.length;
  }

  private blockFailed(seqno: number): void {
    this.tps.blockFailed(seqno);
    if (this.contention.collecting(seqno)) this.contention.abandonBlock();
  }

  /** Moves the lifecycle updates gathered by a handler to `outputs`. */
  private flushUpdates(): number {
    const u = this.updates;
    for (let i = 0; i < u.length; i++) this.outputs.push({ type: "Lifecycle", data: u[i] });
    u.length = 0;
    return this.outputs.length;
  }
}
