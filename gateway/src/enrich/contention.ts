// Per-block storage contention (the Rust gateway's `ContentionData`, sent after BLOCK_END) plus
// our parallel schedule analysis (`schedule`, see schedule.ts).
//
// Fed, for the block executing now, with its STORAGE_ACCESS and ACCOUNT_ACCESS events (with their
// txn index, -1 for prologue/epilogue accesses) and the timestamps of its transaction markers.
// The Rust gateway's fields keep its definitions exactly (README.md lists them); in short:
//   - a slot is (contract address, storage key); it counts in total_unique_slots when at least
//     one transaction accessed it, and is contended when two or more distinct transactions did;
//   - access_count / total_accesses count every STORAGE_ACCESS of the slot, prologue and
//     epilogue ones included; transient storage counts like persistent storage;
//   - total_tx_time_ns sums TXN_HEADER_START → TXN_END per transaction; parallel efficiency is
//     the share of that time the block's wall time (BLOCK_START → BLOCK_END) saved;
//   - contract edges pair the contracts whose storage one transaction touched.
// Added: total_evm_time_ns (TXN_PERF_EVM_ENTER → EXIT summed: EVM time proper) and `schedule`.
//
// Everything per block lives in reused typed arrays and byte-key tables: an access costs a few
// hash probes and array writes, no allocation. The outputs are built once, at BLOCK_END.

import { ExecEventType as T } from "../decode/event-types.js";
import { fieldOffset } from "../decode/layouts.js";
import { ByteKeyTable } from "./byte-key-table.js";
import { ensureLength, ensureLengthFilled } from "./growable.js";
import { IntPairTable } from "./int-pair-table.js";
import { hashKey } from "./key-hash.js";
import { AccessLog, ScheduleAnalyzer, type ScheduleData } from "./schedule.js";
import type { ContendedSlot, ContentionData, ContractContention, ContractEdge } from "../protocol/generated/frames.js";

// Output shapes are the wire protocol's (generated from its JSON Schemas).
export type { ContendedSlot, ContentionData, ContractContention, ContractEdge };





export interface ContentionOptions {
  /** Entries of top_contended_slots. Default 20 (as the Rust gateway). */
  topSlots?: number;
  /** Entries of top_contended_contracts. Default 15. */
  topContracts?: number;
  /** Entries of contract_edges. Default 15. */
  topEdges?: number;
}

const ADDRESS = 20;
const SLOT_KEY = 32;
const SA_ADDRESS = fieldOffset(T.STORAGE_ACCESS, "address");
const SA_KEY = fieldOffset(T.STORAGE_ACCESS, "key");
const SA_MODIFIED = fieldOffset(T.STORAGE_ACCESS, "modified");
const SA_TRANSIENT = fieldOffset(T.STORAGE_ACCESS, "transient");
const AA_ADDRESS = fieldOffset(T.ACCOUNT_ACCESS, "address");
const AA_BALANCE_MODIFIED = fieldOffset(T.ACCOUNT_ACCESS, "is_balance_modified");
const AA_NONCE_MODIFIED = fieldOffset(T.ACCOUNT_ACCESS, "is_nonce_modified");

export class ContentionTracker {
  private readonly topSlots: number;
  private readonly topContracts: number;
  private readonly topEdges: number;

  /** BLOCK_START seqno of the block being collected; 0 = none. */
  private blockSeqno = 0;
  private blockNumber = 0;
  private blockStartAt = 0;
  private txnCountHint = 0;
  private beneficiary = -1;

  // Storage slots: key = address ++ slot key (52 bytes); dense ids per block.
  private readonly slots = new ByteKeyTable(ADDRESS + SLOT_KEY, 1024);
  private slotAccesses = new Int32Array(1024);
  private slotTxnCount = new Int32Array(1024);
  private slotContract = new Int32Array(1024);
  private slotResource = new Int32Array(1024);
  // Addresses (contracts of storage slots and accounts of ACCOUNT_ACCESS); dense ids per block.
  private readonly addrs = new ByteKeyTable(ADDRESS, 512);
  private balanceResource = new Int32Array(512);
  private nonceResource = new Int32Array(512);
  // Distinct (slot, txn) and (contract, txn) pairs.
  private readonly slotTxns = new IntPairTable();
  private readonly contractTxns = new IntPairTable();
  // Schedule input.
  private readonly log = new AccessLog();
  private resources = 0;
  // Per transaction (index = txn index), NaN = not seen.
  private headerAt = new Float64Array(256).fill(NaN);
  private endAt = new Float64Array(256).fill(NaN);
  private evmEnterAt = new Float64Array(256).fill(NaN);
  private evmExitAt = new Float64Array(256).fill(NaN);
  private gas = new Float64Array(256).fill(NaN);
  private maxTxn = -1;
  private headerCount = 0;

  private readonly analyzer = new ScheduleAnalyzer();
  private readonly edgePairs = new IntPairTable();
  /** The last ContentionData produced. */
  latest: ContentionData | undefined = undefined;

  constructor(opts: ContentionOptions = {}) {
    this.topSlots = opts.topSlots ?? 20;
    this.topContracts = opts.topContracts ?? 15;
    this.topEdges = opts.topEdges ?? 15;
  }

  /** True when events with this block seqno belong to the block being collected. */
  collecting(blockSeqno: number): boolean {
    return blockSeqno === this.blockSeqno && blockSeqno !== 0;
  }

  /**
   * BLOCK_START: starts collecting a new block (dropping any unfinished one). `beneficiaryAt` is
   * the offset of the 20-byte beneficiary address in `b`.
   */
  blockStart(blockSeqno: number, blockNumber: number, txnCount: number, b: Buffer, beneficiaryAt: number, t: number): void {
    this.clearBlock();
    this.blockSeqno = blockSeqno;
    this.blockNumber = blockNumber;
    this.blockStartAt = t;
    this.txnCountHint = txnCount;
    this.beneficiary = this.addressId(hashKey(b, beneficiaryAt, ADDRESS, 0, 0), b, beneficiaryAt);
  }

  /** The block ended without BLOCK_END (rejected, failed) or the ring had a gap: no output. */
  abandonBlock(): void {
    this.clearBlock();
  }

  txnHeaderStart(txn: number, t: number): void {
    this.touchTxn(txn);
    this.headerCount++;
    this.headerAt[txn] = t;
  }

  txnEnd(txn: number, t: number): void {
    this.touchTxn(txn);
    this.endAt[txn] = t;
  }

  txnEvmEnter(txn: number, t: number): void {
    this.touchTxn(txn);
    this.evmEnterAt[txn] = t;
  }

  txnEvmExit(txn: number, t: number): void {
    this.touchTxn(txn);
    this.evmExitAt[txn] = t;
  }

  txnGasUsed(txn: number, gasUsed: number): void {
    this.touchTxn(txn);
    this.gas[txn] = gasUsed;
  }

  /**
   * STORAGE_ACCESS with payload at `p`, transaction `txn` (-1: prologue/epilogue), and `h` =
   * hashKey(address ++ key) (shared with the top-accesses counter).
   */
  storageAccess(b: Buffer, p: number, txn: number, h: number): void {
    const before = this.slots.count;
    const slot = this.slots.intern(h, b, p + SA_ADDRESS, ADDRESS, p + SA_KEY, SLOT_KEY);
    if (slot === before) this.newSlot(slot, b, p);
    this.slotAccesses[slot]++;
    if (txn < 0) return;
    this.touchTxn(txn);
    this.slotTxns.add(slot, txn);
    if (this.slotTxns.added) {
      this.slotTxnCount[slot]++;
      this.contractTxns.add(this.slotContract[slot], txn);
    }
    // Transient storage is discarded at the end of each transaction: it cannot carry a conflict.
    if (b[p + SA_TRANSIENT] !== 0) return;
    let res = this.slotResource[slot];
    if (res < 0) res = this.slotResource[slot] = this.resources++;
    this.log.add(txn, res, b[p + SA_MODIFIED] !== 0);
  }

  /** ACCOUNT_ACCESS with payload at `p`; `h` = hashKey(address). Feeds the schedule only. */
  accountAccess(b: Buffer, p: number, txn: number, h: number): void {
    if (txn < 0) return;
    this.touchTxn(txn);
    const addr = this.addressId(h, b, p + AA_ADDRESS);
    // Fees credited to the block beneficiary by every transaction commute (Monad accumulates
    // them as deltas), so its balance is not a conflict; anything else an account access saw is
    // read (or written, when modified).
    if (addr !== this.beneficiary) {
      let res = this.balanceResource[addr];
      if (res < 0) res = this.balanceResource[addr] = this.resources++;
      this.log.add(txn, res, b[p + AA_BALANCE_MODIFIED] !== 0);
    }
    let res = this.nonceResource[addr];
    if (res < 0) res = this.nonceResource[addr] = this.resources++;
    this.log.add(txn, res, b[p + AA_NONCE_MODIFIED] !== 0);
  }

  /** BLOCK_END at ring time `t`: the block's ContentionData (undefined if it was not collected). */
  blockEnd(blockSeqno: number, t: number): ContentionData | undefined {
    if (!this.collecting(blockSeqno)) return undefined;
    const data = this.build(t);
    this.clearBlock();
    this.latest = data;
    return data;
  }

  /**
   * Batch (1-based) that transaction `txn` of the last block with ContentionData was scheduled
   * in; valid until the next BLOCK_END. For tests and diagnostics.
   */
  scheduledBatchOf(txn: number): number {
    return this.analyzer.batchOf(txn);
  }

  // ------------------------------------------------------------------ collection

  private clearBlock(): void {
    this.blockSeqno = 0;
    this.slots.clear();
    this.addrs.clear();
    this.slotTxns.clear();
    this.contractTxns.clear();
    this.log.clear();
    this.resources = 0;
    const n = this.maxTxn + 1;
    if (n > 0) {
      this.headerAt.fill(NaN, 0, n);
      this.endAt.fill(NaN, 0, n);
      this.evmEnterAt.fill(NaN, 0, n);
      this.evmExitAt.fill(NaN, 0, n);
      this.gas.fill(NaN, 0, n);
    }
    this.maxTxn = -1;
    this.headerCount = 0;
    this.beneficiary = -1;
  }

  private touchTxn(txn: number): void {
    if (txn <= this.maxTxn) return;
    if (txn >= this.headerAt.length) {
      this.headerAt = ensureLengthFilled(this.headerAt, txn + 1, NaN);
      this.endAt = ensureLengthFilled(this.endAt, txn + 1, NaN);
      this.evmEnterAt = ensureLengthFilled(this.evmEnterAt, txn + 1, NaN);
      this.evmExitAt = ensureLengthFilled(this.evmExitAt, txn + 1, NaN);
      this.gas = ensureLengthFilled(this.gas, txn + 1, NaN);
    }
    this.maxTxn = txn;
  }

  private newSlot(slot: number, b: Buffer, p: number): void {
    if (slot >= this.slotAccesses.length) {
      this.slotAccesses = ensureLength(this.slotAccesses, slot + 1);
      this.slotTxnCount = ensureLength(this.slotTxnCount, slot + 1);
      this.slotContract = ensureLength(this.slotContract, slot + 1);
      this.slotResource = ensureLength(this.slotResource, slot + 1);
    }
    this.slotAccesses[slot] = 0;
    this.slotTxnCount[slot] = 0;
    this.slotResource[slot] = -1;
    this.slotContract[slot] = this.addressId(hashKey(b, p + SA_ADDRESS, ADDRESS, 0, 0), b, p + SA_ADDRESS);
  }

  private addressId(h: number, b: Buffer, at: number): number {
    const before = this.addrs.count;
    const id = this.addrs.intern(h, b, at, ADDRESS, 0, 0);
    if (id === before) {
      if (id >= this.balanceResource.length) {
        this.balanceResource = ensureLength(this.balanceResource, id + 1);
        this.nonceResource = ensureLength(this.nonceResource, id + 1);
      }
      this.balanceResource[id] = -1;
      this.nonceResource[id] = -1;
    }
    return id;
  }

  // ------------------------------------------------------------------ output

  private build(t: number): ContentionData {
    const txnCount = Math.max(this.txnCountHint, this.maxTxn + 1);
    let txTime = 0;
    let evmTime = 0;
    for (let i = 0; i <= this.maxTxn; i++) {
      const d = this.endAt[i] - this.headerAt[i];
      if (d > 0) txTime += d; // NaN (either marker missing) and negative spans add nothing
      const e = this.evmExitAt[i] - this.evmEnterAt[i];
      if (e > 0) evmTime += e;
    }
    const wall = Math.max(0, t - this.blockStartAt);
    const efficiency = txTime > 0 ? (Math.max(0, txTime - wall) / txTime) * 100 : 0;

    // Slot and per-contract counts.
    const nSlots = this.slots.count;
    const nAddrs = this.addrs.count;
    const cTotal = new Int32Array(nAddrs);
    const cContended = new Int32Array(nAddrs);
    const cAccesses = new Float64Array(nAddrs);
    let unique = 0;
    const contended: number[] = [];
    for (let s = 0; s < nSlots; s++) {
      const txns = this.slotTxnCount[s];
      if (txns === 0) continue;
      unique++;
      const c = this.slotContract[s];
      cTotal[c]++;
      cAccesses[c] += this.slotAccesses[s];
      if (txns >= 2) {
        cContended[c]++;
        contended.push(s);
      }
    }

    contended.sort(
      (a, b) => this.slotTxnCount[b] - this.slotTxnCount[a] || this.slotAccesses[b] - this.slotAccesses[a] || this.slots.compareKeys(a, b),
    );
    const topSlots: ContendedSlot[] = contended.slice(0, this.topSlots).map((s) => ({
      address: this.slots.keyHex(s, 0, ADDRESS),
      slot: this.slots.keyHex(s, ADDRESS, ADDRESS + SLOT_KEY),
      txn_count: this.slotTxnCount[s],
      access_count: this.slotAccesses[s],
    }));

    const contracts: number[] = [];
    for (let c = 0; c < nAddrs; c++) if (cContended[c] > 0) contracts.push(c);
    const score = (c: number) => cContended[c] / cTotal[c];
    contracts.sort((a, b) => cContended[b] - cContended[a] || score(b) - score(a) || this.addrs.compareKeys(a, b));
    const topContracts: ContractContention[] = contracts.slice(0, this.topContracts).map((c) => ({
      address: this.addrs.keyHex(c),
      total_slots: cTotal[c],
      contended_slots: cContended[c],
      total_accesses: cAccesses[c],
      contention_score: score(c),
    }));

    const gas = this.gas;
    const schedule = this.analyzer.analyze(txnCount, this.log, this.resources, gas.subarray(0, Math.max(0, this.maxTxn + 1)));

    return {
      block_number: this.blockNumber,
      block_wall_time_ns: wall,
      total_tx_time_ns: txTime,
      parallel_efficiency_pct: efficiency,
      total_unique_slots: unique,
      contended_slot_count: contended.length,
      contention_ratio: unique > 0 ? contended.length / unique : 0,
      total_txn_count: this.headerCount,
      top_contended_slots: topSlots,
      top_contended_contracts: topContracts,
      contract_edges: this.buildEdges(nAddrs),
      total_evm_time_ns: evmTime,
      schedule,
    };
  }

  /** Contract pairs co-accessed by transactions, most shared first. */
  private buildEdges(nAddrs: number): ContractEdge[] {
    const pairs = this.contractTxns;
    if (pairs.count === 0 || this.topEdges <= 0) return [];
    // Rank the contracts by address bytes so each pair is keyed (smaller, larger) as in Rust.
    const seen = new Uint8Array(nAddrs);
    const ids: number[] = [];
    for (let e = 0; e < pairs.count; e++) {
      const c = pairs.a[e];
      if (seen[c] === 0) {
        seen[c] = 1;
        ids.push(c);
      }
    }
    ids.sort((a, b) => this.addrs.compareKeys(a, b));
    const rank = new Int32Array(nAddrs);
    ids.forEach((c, i) => (rank[c] = i));

    // Group the (contract, txn) entries by transaction (counting sort over txn index).
    const n = this.maxTxn + 1;
    const start = new Int32Array(n + 2);
    for (let e = 0; e < pairs.count; e++) start[pairs.b[e] + 2]++;
    for (let j = 2; j < n + 2; j++) start[j] += start[j - 1];
    const byTxn = new Int32Array(pairs.count);
    for (let e = 0; e < pairs.count; e++) byTxn[start[pairs.b[e] + 1]++] = pairs.a[e];

    const edges = this.edgePairs;
    edges.clear();
    for (let j = 0; j < n; j++) {
      for (let x = start[j]; x < start[j + 1]; x++) {
        for (let y = x + 1; y < start[j + 1]; y++) {
          const p = byTxn[x];
          const q = byTxn[y];
          const e = rank[p] < rank[q] ? edges.add(p, q) : edges.add(q, p);
          edges.value[e]++;
        }
      }
    }
    const order = Array.from({ length: edges.count }, (_, e) => e);
    order.sort((x, y) => edges.value[y] - edges.value[x] || rank[edges.a[x]] - rank[edges.a[y]] || rank[edges.b[x]] - rank[edges.b[y]]);
    return order.slice(0, this.topEdges).map((e) => ({
      contract_a: this.addrs.keyHex(edges.a[e]),
      contract_b: this.addrs.keyHex(edges.b[e]),
      shared_txn_count: edges.value[e],
    }));
  }
}
