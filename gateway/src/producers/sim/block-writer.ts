// Writes a planned block into the event stream in the order a Monad node records it
// (record_block_events.cpp / record_txn_events.cpp, reference §2.4, checked against the real
// captures by stream-checker.ts):
//
//   BLOCK_START, BLOCK_PERF_EVM_ENTER,
//   ACCOUNT_ACCESS_LIST_HEADER(ctx 0) + prologue accesses,
//   the transactions' records, interleaved across transactions (record-schedule.ts); each
//     transaction's own records in order: TXN_PERF_EVM_ENTER, TXN_HEADER_START,
//     TXN_ACCESS_LIST_ENTRY*, TXN_AUTH_LIST_ENTRY*, TXN_HEADER_END, then TXN_EVM_OUTPUT,
//     TXN_LOG*, TXN_CALL_FRAME*, ACCOUNT_ACCESS_LIST_HEADER(ctx 1),
//     (ACCOUNT_ACCESS, STORAGE_ACCESS* persistent then transient)*, TXN_END — or TXN_REJECT /
//     EVM_ERROR instead of everything from TXN_EVM_OUTPUT on — and TXN_PERF_EVM_EXIT,
//   ACCOUNT_ACCESS_LIST_HEADER(ctx 2) + epilogue accesses, BLOCK_PERF_EVM_EXIT,
//   BLOCK_END | BLOCK_REJECT | EVM_ERROR.
//
// content_ext: block flow = seqno of this BLOCK_START on every event of the block; txn flow =
// txn index + 1 on every transaction event (including its PERF markers); account index on
// STORAGE_ACCESS = index of the owning ACCOUNT_ACCESS in its list.
//
// Descriptor timestamps come from the schedule's execution timeline, compressed if needed so a
// block's execution fits in part of the block interval.

import { ExecEventType } from "../../decode/event-types.js";
import type { AccountEntry } from "./access-set.js";
import { putWord } from "./abi.js";
import type { BlockPlan } from "./chain-model.js";
import { EMPTY_OMMERS_HASH, EMPTY_TRIE_ROOT } from "./chain-model.js";
import type { EventStream } from "./event-stream.js";
import type { Prng } from "./prng.js";
import { Rec, RecordSchedule, type RecordOrder } from "./record-schedule.js";
import type { Timeline } from "./timeline.js";
import type { TxnPlan } from "./txn-plan.js";

interface Desc {
  blockSeqno: number;
  txnIndex: number;
  epochNanos: bigint;
}

const CTX_PROLOGUE = 0;
const CTX_TRANSACTION = 1;
const CTX_EPILOGUE = 2;

/** Simulated time between consecutive block-level records, microseconds. */
const RECORD_STEP_US = 0.4;

export interface WrittenBlock {
  /** Seqno of the block's BLOCK_START (its block flow id). */
  startSeqno: number;
  /** Simulated time of the block's last event, microseconds since the simulator started. */
  endUs: number;
}

export class BlockWriter {
  private readonly schedule = new RecordSchedule();
  // Reused 32-byte buffers for storage key/value words (the encoder copies them at once).
  private readonly startWord = new Uint8Array(32);
  private readonly endWord = new Uint8Array(32);
  private readonly topicScratch = new Uint8Array(32 * 4);
  private blockSeqno = 0;
  private t = 0;

  constructor(
    private readonly stream: EventStream,
    private readonly timeline: Timeline,
    private readonly rng: Prng,
    private readonly parallelism: number,
    private readonly recordOrder: RecordOrder,
    /** The block interval, microseconds: a block's simulated execution takes at most 60% of it. */
    intervalUs: number,
  ) {
    this.maxSpanUs = 0.6 * intervalUs;
    // Fixed overheads (validation, state root) are sized for 400 ms blocks; shrink them for
    // faster chains so a block still ends well before the next one starts.
    this.overheadScale = Math.min(1, intervalUs / 400_000);
  }

  private readonly maxSpanUs: number;
  private readonly overheadScale: number;

  write(plan: BlockPlan, startUs: number): WrittenBlock {
    this.t = startUs;
    // The seqno the BLOCK_START is about to get: every event of the block carries it.
    this.blockSeqno = this.stream.nextSeqno;
    this.blockStart(plan);

    this.t += (50 + this.rng.int(300)) * this.overheadScale; // validation and sender recovery come first
    this.emit(ExecEventType.BLOCK_PERF_EVM_ENTER, -1);
    this.accessList(plan.prologue, CTX_PROLOGUE, -1);

    const sched = this.schedule;
    sched.build(plan.txns, this.recordOrder, this.parallelism, this.rng);
    const evmStart = this.t;
    const scale = sched.span > this.maxSpanUs ? this.maxSpanUs / sched.span : 1;
    for (let k = 0; k < sched.count; k++) {
      this.t = evmStart + sched.timeAt(k) * scale;
      this.txnRecord(plan.txns[sched.txnAt(k)], sched.kindAt(k), sched.aAt(k), sched.bAt(k));
    }

    this.accessList(plan.epilogue, CTX_EPILOGUE, -1);
    this.t += 5 * this.overheadScale;
    this.emit(ExecEventType.BLOCK_PERF_EVM_EXIT, -1);
    this.t += (20 + this.rng.int(200)) * this.overheadScale; // state root and block hash computation
    this.blockEnd(plan);
    return { startSeqno: this.blockSeqno, endUs: this.t };
  }

  // ------------------------------------------------------------------ block events

  private blockStart(p: BlockPlan): void {
    this.stream.add({
      type: ExecEventType.BLOCK_START,
      blockSeqno: this.blockSeqno,
      epochNanos: this.timeline.stamp(this.t),
      payload: {
        block_id: p.id,
        block_number: p.number,
        round: p.round,
        epoch: p.epoch,
        proposal_epoch_nanos: p.proposalEpochNanos,
        chain_id: p.chainId,
        author: p.validator.author,
        parent_eth_hash: p.parentHash,
        ommers_hash: p.header?.ommersHash ?? EMPTY_OMMERS_HASH,
        beneficiary: p.validator.beneficiary.address,
        transactions_root: p.transactionsRoot,
        difficulty: p.header?.difficulty ?? 0,
        eth_block_number: p.number,
        gas_limit: p.gasLimit,
        timestamp: p.timestampSec,
        extra_data: p.header?.extraData,
        extra_data_length: p.header?.extraDataLength ?? 0,
        prev_randao: p.prevRandao,
        nonce: p.header?.nonce,
        base_fee_per_gas: p.baseFee,
        withdrawals_root: p.header?.withdrawalsRoot ?? EMPTY_TRIE_ROOT,
        txn_count: p.txns.length,
        base_fee_trend: 0n,
        base_fee_moment: 0n,
      },
    });
  }

  private blockEnd(p: BlockPlan): void {
    const d = { blockSeqno: this.blockSeqno, epochNanos: this.timeline.stamp(this.t) };
    const o = p.outcome;
    if (o.kind === "end") {
      this.stream.add({
        type: ExecEventType.BLOCK_END,
        ...d,
        payload: {
          eth_block_hash: p.ethBlockHash,
          state_root: p.stateRoot,
          receipts_root: p.receiptsRoot,
          logs_bloom: p.logsBloom,
          gas_used: p.gasUsed,
        },
      });
    } else if (o.kind === "reject") {
      this.stream.add({ type: ExecEventType.BLOCK_REJECT, ...d, payload: { reason: o.reason } });
    } else {
      this.stream.add({ type: ExecEventType.EVM_ERROR, ...d, payload: { domain_id: o.domainId, status_code: o.statusCode } });
    }
  }

  // ------------------------------------------------------------------ transaction events

  /** One scheduled transaction record. */
  private txnRecord(p: TxnPlan, kind: Rec, a: number, b: number): void {
    const s = this.stream;
    const d = this.desc(p.index);
    switch (kind) {
      case Rec.PerfEnter:
        s.add({ type: ExecEventType.TXN_PERF_EVM_ENTER, ...d });
        return;
      case Rec.PerfExit:
        s.add({ type: ExecEventType.TXN_PERF_EVM_EXIT, ...d });
        return;
      case Rec.HeaderStart:
        s.add({
          type: ExecEventType.TXN_HEADER_START,
          ...d,
          payload: {
            txn_hash: p.hash,
            sender: p.sender,
            txn_type: p.txnType,
            chain_id: p.chainId,
            nonce: p.nonce,
            gas_limit: p.gasLimit,
            max_fee_per_gas: p.maxFeePerGas,
            max_priority_fee_per_gas: p.maxPriorityFeePerGas,
            value: p.value,
            to: p.to,
            is_contract_creation: p.isContractCreation,
            r: p.r,
            s: p.s,
            y_parity: p.yParity,
            data: p.data,
            access_list_count: p.accessList.length,
            auth_list_count: p.authList.length,
          },
        });
        return;
      case Rec.AccessListEntry: {
        const e = p.accessList[a];
        s.add({ type: ExecEventType.TXN_ACCESS_LIST_ENTRY, ...d, payload: { index: a, address: e.address, storage_keys: e.keys } });
        return;
      }
      case Rec.AuthListEntry: {
        const e = p.authList[a];
        s.add({
          type: ExecEventType.TXN_AUTH_LIST_ENTRY,
          ...d,
          payload: {
            index: a,
            chain_id: e.chainId,
            address: e.address,
            nonce: e.nonce,
            y_parity: e.yParity,
            r: e.r,
            s: e.s,
            authority: e.authority,
            is_valid_authority: e.valid,
          },
        });
        return;
      }
      case Rec.HeaderEnd:
        s.add({ type: ExecEventType.TXN_HEADER_END, ...d });
        return;
      case Rec.Reject:
        s.add({ type: ExecEventType.TXN_REJECT, ...d, payload: { reason: p.errorCode } });
        return;
      case Rec.EvmError:
        s.add({ type: ExecEventType.EVM_ERROR, ...d, payload: { domain_id: p.errorDomain, status_code: p.errorCode } });
        return;
      case Rec.Output:
        s.add({
          type: ExecEventType.TXN_EVM_OUTPUT,
          ...d,
          payload: { status: p.outcome === "ok", log_count: p.logs.length, gas_used: p.gasUsed, call_frame_count: p.frames.length },
        });
        return;
      case Rec.Log: {
        const log = p.logs[a];
        const topics = this.topicScratch;
        for (let j = 0; j < log.topics.length; j++) topics.set(log.topics[j], 32 * j);
        s.add({
          type: ExecEventType.TXN_LOG,
          ...d,
          payload: { log_index: a, address: log.address, topics: topics.subarray(0, 32 * log.topics.length), data: log.data },
        });
        return;
      }
      case Rec.Frame: {
        const f = p.frames[a];
        s.add({
          type: ExecEventType.TXN_CALL_FRAME,
          ...d,
          payload: {
            index: a,
            caller: f.caller,
            call_target: f.target,
            opcode: f.opcode,
            value: f.value,
            gas: f.gas,
            gas_used: f.gasUsed,
            evmc_status: f.status,
            depth: f.depth,
            input: f.input,
            output: f.output,
          },
        });
        return;
      }
      case Rec.ListHeader:
        s.add({ type: ExecEventType.ACCOUNT_ACCESS_LIST_HEADER, ...d, payload: { entry_count: p.accounts.length, access_context: CTX_TRANSACTION } });
        return;
      case Rec.Account:
        this.account(p.accounts[a], a, CTX_TRANSACTION, d);
        return;
      case Rec.Storage:
        this.storage(p.accounts[a], a, b, CTX_TRANSACTION, d);
        return;
      case Rec.End:
        s.add({ type: ExecEventType.TXN_END, ...d });
        return;
    }
  }

  /** A block-level ACCOUNT_ACCESS_LIST_HEADER (prologue / epilogue) and its accesses, in order. */
  private accessList(entries: AccountEntry[], ctx: number, txnIndex: number): void {
    this.stream.add({ type: ExecEventType.ACCOUNT_ACCESS_LIST_HEADER, ...this.desc(txnIndex), payload: { entry_count: entries.length, access_context: ctx } });
    for (let a = 0; a < entries.length; a++) {
      const e = entries[a];
      this.account(e, a, ctx, this.desc(txnIndex));
      for (let k = 0; k < e.storage.length + e.transient.length; k++) this.storage(e, a, k, ctx, this.desc(txnIndex));
    }
  }

  private account(e: AccountEntry, index: number, ctx: number, d: Desc): void {
    this.stream.add({
      type: ExecEventType.ACCOUNT_ACCESS,
      ...d,
      payload: {
        index,
        address: e.account.address,
        access_context: ctx,
        is_balance_modified: e.balanceModified,
        is_nonce_modified: e.nonceModified,
        nonce: e.preNonce,
        balance: e.preBalance,
        code_hash: e.preCodeHash,
        modified_balance: e.balanceModified ? e.postBalance : 0n,
        modified_nonce: e.nonceModified ? e.postNonce : 0,
        storage_key_count: e.storage.length,
        transient_count: e.transient.length,
      },
    });
  }

  /** Storage access `k` of account `a`: the persistent ones first, then the transient ones. */
  private storage(e: AccountEntry, a: number, k: number, ctx: number, d: Desc): void {
    const st = k < e.storage.length ? e.storage[k] : e.transient[k - e.storage.length];
    putWord(this.startWord, 0, st.start);
    putWord(this.endWord, 0, st.modified ? st.end : 0n);
    this.stream.add({
      type: ExecEventType.STORAGE_ACCESS,
      ...d,
      accountIndex: a,
      payload: {
        address: e.account.address,
        index: k,
        access_context: ctx,
        modified: st.modified,
        transient: st.transient,
        key: st.key,
        value: this.startWord,
        end_value: this.endWord,
      },
    });
  }

  // ------------------------------------------------------------------ descriptors

  private emit(type: ExecEventType.BLOCK_PERF_EVM_ENTER | ExecEventType.BLOCK_PERF_EVM_EXIT, txnIndex: number): void {
    this.stream.add({ type, ...this.desc(txnIndex) });
  }

  /**
   * Descriptor fields of the next event: this block's flow, the txn flow (-1: none), the
   * timestamp. Block-level records advance the clock by one step; transaction records carry
   * their scheduled time.
   */
  private desc(txnIndex: number): Desc {
    if (txnIndex < 0) this.t += RECORD_STEP_US;
    return { blockSeqno: this.blockSeqno, txnIndex, epochNanos: this.timeline.stamp(this.t) };
  }
}
