// Parallel schedule analysis of one block: how parallel could its transactions have run, given
// which state each one read and wrote?
//
// Input: one entry per access (txn index, resource id, wrote?). A resource is any piece of state
// a conflict can happen on (the contention tracker maps storage slots and account balance /
// nonce to resource ids). Definitions (also in README.md):
//
//   R_j, W_j      resources transaction j read / wrote (a resource both read and written by j
//                 counts as written).
//   conflict      j conflicts with an earlier i (i < j) when W_i ∩ (R_j ∪ W_j) ≠ ∅ or
//                 R_i ∩ W_j ≠ ∅, i.e. they share a resource and at least one of them wrote it.
//   batch(j)      1 + max batch(i) over the earlier i that j conflicts with (1 if none): greedy
//                 conflict-free batches in block order. No batch holds two conflicting txns,
//                 and batch_count = the longest conflict chain counted in transactions.
//   work(j)       gas_used of j (TXN_EVM_OUTPUT); 21000 (the intrinsic minimum) when unknown.
//   critical path the conflict chain of largest total work; critical_path_gas is that work.
//   ideal speedup on N cores = total work / max(critical path work, total work / N): the bound
//                 for a scheduler that knows the conflicts in advance, with work proportional
//                 to gas. Always in [1, N].
//
// Cost: batches and critical paths take O(accesses + resources). The conflict-edge count is
// exact: a transaction conflicting through one resource adds that resource's earlier-accessor
// count; through several, their accessor sets are merged to count each earlier transaction
// once — by marking for short lists, by OR-ing bitsets for resources with more than
// HEAVY_ACCESSORS accessors. So a block of n transactions all touching the same hot slots costs
// about n²/32 word operations, not n² steps.

import { ensureLength, ensureLengthFilled } from "./growable.js";
import type { ContentionSchedule } from "../protocol/generated/frames.js";

/** The wire protocol's ContentionSchedule (generated from its JSON Schema). */
export type ScheduleData = ContentionSchedule;
export type IdealSpeedup = ContentionSchedule["ideal_speedup"];

/** Gas assumed for a transaction whose TXN_EVM_OUTPUT was not seen. */
export const UNKNOWN_TXN_GAS = 21_000;

/** A resource with more accessors than this gets bitsets of them (see the header). */
const HEAVY_ACCESSORS = 64;

/** Core counts reported in `ideal_speedup`. */
export const SPEEDUP_CORES = [2, 4, 8, 16] as const;



/** The accesses of one block, in any order (grown by the caller, reused across blocks). */
export class AccessLog {
  txn = new Int32Array(1024);
  resource = new Int32Array(1024);
  write = new Uint8Array(1024);
  count = 0;

  add(txn: number, resource: number, write: boolean): void {
    const i = this.count++;
    if (i >= this.txn.length) {
      this.txn = ensureLength(this.txn, i + 1);
      this.resource = ensureLength(this.resource, i + 1);
      this.write = ensureLength(this.write, i + 1);
    }
    this.txn[i] = txn;
    this.resource[i] = resource;
    this.write[i] = write ? 1 : 0;
  }

  clear(): void {
    this.count = 0;
  }
}

/**
 * Computes ScheduleData. Keeps its scratch arrays between calls, so analysing block after block
 * allocates only the output. After `analyze`, `batchOf(j)` gives each transaction's batch.
 */
export class ScheduleAnalyzer {
  // Accesses grouped by transaction (counting sort).
  private start = new Int32Array(256);
  private order = new Int32Array(1024);
  // Per resource.
  private stamp = new Int32Array(256); // last txn that touched it while scanning
  private wrote = new Uint8Array(256); // that txn wrote it
  private levelAny = new Int32Array(256); // max batch of earlier accessors
  private levelWrite = new Int32Array(256); // max batch of earlier writers
  private workAny = new Float64Array(256); // max chain work ending in an earlier accessor
  private workWrite = new Float64Array(256); // … in an earlier writer
  private headAll = new Int32Array(256); // accessor lists (entry + 1, 0 = empty)
  private headWrite = new Int32Array(256);
  private countAll = new Int32Array(256);
  private countWrite = new Int32Array(256);
  // Bitsets of the accessors / writers of heavy resources: word offset into `bits`, -1 = none.
  private bitsAll = new Int32Array(256);
  private bitsWrite = new Int32Array(256);
  private bits = new Int32Array(1024);
  private bitsUsed = 0;
  private words = 0; // words per bitset: ceil(txnCount / 32)
  private row = new Int32Array(64); // union of a transaction's conflicting predecessors
  // Accessor list entries.
  private entryTxn = new Int32Array(1024);
  private entryNext = new Int32Array(1024);
  private entries = 0;
  // Per transaction.
  private level = new Int32Array(256);
  private mark = new Int32Array(256);
  private uniq = new Int32Array(64);

  /**
   * @param txnCount transactions 0..txnCount-1 (accesses of larger indices are ignored)
   * @param resourceCount resource ids are 0..resourceCount-1
   * @param gas gas_used per txn, NaN/absent = unknown
   */
  analyze(txnCount: number, log: AccessLog, resourceCount: number, gas?: Float64Array): ScheduleData {
    this.prepare(txnCount, log, resourceCount);
    const { start, order } = this;
    let edges = 0;
    let totalWork = 0;
    let maxLevel = 0;
    let maxWork = 0;
    const batchSizes: number[] = [];

    for (let j = 0; j < txnCount; j++) {
      // Unique resources of j, with "wrote" merged over its accesses.
      let n = 0;
      for (let k = start[j]; k < start[j + 1]; k++) {
        const a = order[k];
        const r = log.resource[a];
        if (this.stamp[r] !== j) {
          this.stamp[r] = j;
          this.wrote[r] = log.write[a];
          if (n === this.uniq.length) this.uniq = ensureLength(this.uniq, n + 1);
          this.uniq[n++] = r;
        } else {
          this.wrote[r] |= log.write[a];
        }
      }

      const g = gas !== undefined && j < gas.length && gas[j] >= 0 ? gas[j] : UNKNOWN_TXN_GAS;
      let level = 0;
      let work = 0;
      let sharing = 0; // resources with earlier conflicting accessors
      let lastShared = -1;
      for (let u = 0; u < n; u++) {
        const r = this.uniq[u];
        if (this.wrote[r]) {
          if (this.levelAny[r] > level) level = this.levelAny[r];
          if (this.workAny[r] > work) work = this.workAny[r];
          if (this.countAll[r] > 0) {
            sharing++;
            lastShared = u;
          }
        } else {
          if (this.levelWrite[r] > level) level = this.levelWrite[r];
          if (this.workWrite[r] > work) work = this.workWrite[r];
          if (this.countWrite[r] > 0) {
            sharing++;
            lastShared = u;
          }
        }
      }
      level += 1;
      work += g;
      this.level[j] = level;
      totalWork += g;
      if (level > maxLevel) maxLevel = level;
      if (work > maxWork) maxWork = work;
      while (batchSizes.length < level) batchSizes.push(0);
      batchSizes[level - 1]++;

      // Conflict edges: with one shared resource the earlier txns on it are distinct already;
      // with several, take the union so a txn conflicting on two resources is counted once.
      if (sharing === 1) {
        const r = this.uniq[lastShared];
        edges += this.wrote[r] ? this.countAll[r] : this.countWrite[r];
      } else if (sharing > 1) {
        edges += this.unionCount(j, n);
      }

      // Record j as an accessor of its resources.
      for (let u = 0; u < n; u++) {
        const r = this.uniq[u];
        if (level > this.levelAny[r]) this.levelAny[r] = level;
        if (work > this.workAny[r]) this.workAny[r] = work;
        this.headAll[r] = this.pushEntry(j, this.headAll[r]);
        this.bitsAll[r] = this.noteAccessor(this.bitsAll[r], ++this.countAll[r], this.headAll[r], j);
        if (this.wrote[r]) {
          if (level > this.levelWrite[r]) this.levelWrite[r] = level;
          if (work > this.workWrite[r]) this.workWrite[r] = work;
          this.headWrite[r] = this.pushEntry(j, this.headWrite[r]);
          this.bitsWrite[r] = this.noteAccessor(this.bitsWrite[r], ++this.countWrite[r], this.headWrite[r], j);
        }
      }
    }

    const speedup = (cores: number) => (totalWork > 0 ? totalWork / Math.max(maxWork, totalWork / cores) : 1);
    return {
      batch_count: maxLevel,
      critical_path_length: maxLevel,
      critical_path_gas: maxWork,
      total_gas: totalWork,
      conflict_edges: edges,
      ideal_speedup: { "2": speedup(2), "4": speedup(4), "8": speedup(8), "16": speedup(16) },
      batches: batchSizes,
    };
  }

  /** Batch (1-based) of transaction j in the last analysis. */
  batchOf(j: number): number {
    return this.level[j];
  }

  private prepare(txnCount: number, log: AccessLog, resourceCount: number): void {
    this.start = ensureLength(this.start, txnCount + 2);
    this.level = ensureLength(this.level, txnCount);
    this.mark = ensureLength(this.mark, txnCount);
    this.mark.fill(-1, 0, txnCount);
    this.order = ensureLength(this.order, log.count);
    this.entryTxn = ensureLength(this.entryTxn, 2 * log.count);
    this.entryNext = ensureLength(this.entryNext, 2 * log.count);
    this.entries = 0;
    this.words = (txnCount + 31) >> 5;
    this.bitsUsed = 0;
    this.row = ensureLength(this.row, this.words + 1);
    this.row.fill(0, 0, this.words + 1);

    const rc = resourceCount;
    this.stamp = ensureLengthFilled(this.stamp, rc, -1);
    this.stamp.fill(-1, 0, rc);
    this.wrote = ensureLength(this.wrote, rc);
    this.levelAny = ensureLength(this.levelAny, rc);
    this.levelAny.fill(0, 0, rc);
    this.levelWrite = ensureLength(this.levelWrite, rc);
    this.levelWrite.fill(0, 0, rc);
    this.workAny = ensureLength(this.workAny, rc);
    this.workAny.fill(0, 0, rc);
    this.workWrite = ensureLength(this.workWrite, rc);
    this.workWrite.fill(0, 0, rc);
    this.headAll = ensureLength(this.headAll, rc);
    this.headAll.fill(0, 0, rc);
    this.headWrite = ensureLength(this.headWrite, rc);
    this.headWrite.fill(0, 0, rc);
    this.countAll = ensureLength(this.countAll, rc);
    this.countAll.fill(0, 0, rc);
    this.countWrite = ensureLength(this.countWrite, rc);
    this.countWrite.fill(0, 0, rc);
    this.bitsAll = ensureLength(this.bitsAll, rc);
    this.bitsAll.fill(-1, 0, rc);
    this.bitsWrite = ensureLength(this.bitsWrite, rc);
    this.bitsWrite.fill(-1, 0, rc);

    // Counting sort of the accesses by transaction: start[j]..start[j+1] index `order`.
    const start = this.start;
    start.fill(0, 0, txnCount + 2);
    for (let a = 0; a < log.count; a++) {
      const t = log.txn[a];
      if (t >= 0 && t < txnCount && log.resource[a] < rc) start[t + 2]++;
    }
    for (let j = 2; j < txnCount + 2; j++) start[j] += start[j - 1];
    for (let a = 0; a < log.count; a++) {
      const t = log.txn[a];
      if (t >= 0 && t < txnCount && log.resource[a] < rc) this.order[start[t + 1]++] = a;
    }
  }

  /**
   * Number of distinct earlier transactions j conflicts with, over its `n` unique resources:
   * marks for light resources only, else a bitset union (heavy resources OR in whole words).
   */
  private unionCount(j: number, n: number): number {
    let heavy = false;
    for (let u = 0; u < n && !heavy; u++) {
      const r = this.uniq[u];
      heavy = (this.wrote[r] ? this.bitsAll[r] : this.bitsWrite[r]) >= 0;
    }
    let count = 0;
    if (!heavy) {
      for (let u = 0; u < n; u++) {
        const r = this.uniq[u];
        for (let e = this.wrote[r] ? this.headAll[r] : this.headWrite[r]; e !== 0; e = this.entryNext[e - 1]) {
          const i = this.entryTxn[e - 1];
          if (this.mark[i] !== j) {
            this.mark[i] = j;
            count++;
          }
        }
      }
      return count;
    }
    const words = (j >> 5) + 1; // earlier transactions are 0..j-1
    const row = this.row;
    const bits = this.bits;
    for (let u = 0; u < n; u++) {
      const r = this.uniq[u];
      const set = this.wrote[r] ? this.bitsAll[r] : this.bitsWrite[r];
      if (set >= 0) {
        for (let w = 0; w < words; w++) row[w] |= bits[set + w];
      } else {
        for (let e = this.wrote[r] ? this.headAll[r] : this.headWrite[r]; e !== 0; e = this.entryNext[e - 1]) {
          const i = this.entryTxn[e - 1];
          row[i >> 5] |= 1 << (i & 31);
        }
      }
    }
    for (let w = 0; w < words; w++) {
      count += popcount(row[w]);
      row[w] = 0;
    }
    return count;
  }

  /**
   * Bookkeeping after txn j joined a resource's accessor list (now `count` long, head entry
   * `head`): sets its bit, or gives the list a bitset once it grows heavy. Returns the bitset.
   */
  private noteAccessor(set: number, count: number, head: number, j: number): number {
    if (set >= 0) {
      this.bits[set + (j >> 5)] |= 1 << (j & 31);
      return set;
    }
    if (count <= HEAVY_ACCESSORS) return -1;
    const at = this.bitsUsed;
    this.bitsUsed += this.words;
    this.bits = ensureLength(this.bits, this.bitsUsed);
    this.bits.fill(0, at, this.bitsUsed);
    for (let e = head; e !== 0; e = this.entryNext[e - 1]) {
      const i = this.entryTxn[e - 1];
      this.bits[at + (i >> 5)] |= 1 << (i & 31);
    }
    return at;
  }

  private pushEntry(txn: number, head: number): number {
    const e = this.entries++;
    this.entryTxn[e] = txn;
    this.entryNext[e] = head;
    return e + 1;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
