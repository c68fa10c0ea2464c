// The order (and times) in which a block's transaction records are written.
//
// A node executes a block's transactions concurrently and records from several threads, so the
// records of different transactions interleave; only each transaction's own records keep their
// order. The two real captures in ../shared/fixtures show two recorder generations:
//
//   "overlapped"    (30-block capture): TXN_PERF_EVM_ENTER when a transaction starts; when it
//                   finishes executing, TXN_PERF_EVM_EXIT; when it commits (in index order),
//                   its header, output, logs, frames, accesses and TXN_END. Commits of
//                   neighbours overlap, so their records interleave.
//   "headers-first" (1-block capture): ENTER and the header (TXN_HEADER_START…TXN_HEADER_END)
//                   when a transaction starts, interleaving with other starting headers; at
//                   commit, in index order and contiguous, TXN_EVM_OUTPUT…TXN_END then EXIT.
//
// Model: transactions are launched in index order a fraction of a µs apart and run on
// `parallelism` workers (greedy, in index order); each commits once it has finished and its
// predecessor has (in "overlapped" style: usually) finished recording. Every record gets a time on that timeline; sorting by time gives
// the order, and the times become the descriptor timestamps, so ordering and timing agree.
// All arrays are reused between blocks.

import type { Prng } from "./prng.js";
import type { TxnPlan } from "./txn-plan.js";

export type RecordOrder = "overlapped" | "headers-first";

/** What a scheduled record is; `a` / `b` index into the transaction's lists. */
export enum Rec {
  PerfEnter,
  PerfExit,
  HeaderStart,
  AccessListEntry, // a = entry index
  AuthListEntry, // a = entry index
  HeaderEnd,
  Reject,
  EvmError,
  Output,
  Log, // a = log index
  Frame, // a = frame index
  ListHeader,
  Account, // a = account index
  Storage, // a = account index, b = storage index (persistent first, then transient)
  End,
}

/** Time between two records of one thread, µs. */
const STEP_US = 0.4;
/**
 * Time between launching consecutive transactions, µs. With headers recorded at launch, a wider
 * gap (about two records) leaves most headers contiguous, as in the 1-block capture.
 */
const LAUNCH_GAP_US = { overlapped: 0.3, "headers-first": 0.9 } as const;
/** "overlapped": share of commits that start while the previous one is still recording. */
const OVERLAP_PROBABILITY = 0.2;

export class RecordSchedule {
  private txn = new Int32Array(1024);
  private kind = new Uint8Array(1024);
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private time = new Float64Array(1024);
  private order: number[] = [];
  private n = 0;
  private workers = new Float64Array(0);
  private startDone = new Float64Array(0); // lane cursor after each transaction's start records
  private finish = new Float64Array(0); // end of each transaction's execution
  private lane = 0; // time cursor of the transaction being laid out

  /** Number of scheduled records. */
  get count(): number {
    return this.n;
  }

  /** Time of the last record, µs after the EVM section started. */
  span = 0;

  /**
   * Lays out the records of `txns` and sorts them. Afterwards record k (in write order) is
   * txnAt(k) / kindAt(k) / aAt(k) / bAt(k) at timeAt(k) µs after the EVM section started.
   */
  build(txns: readonly TxnPlan[], style: RecordOrder, parallelism: number, rng: Prng): void {
    this.n = 0;
    const n = txns.length;
    if (this.workers.length !== parallelism) this.workers = new Float64Array(parallelism);
    this.workers.fill(0);
    if (this.startDone.length < n) {
      this.startDone = new Float64Array(Math.max(n, 2 * this.startDone.length));
      this.finish = new Float64Array(this.startDone.length);
    }

    // Pass 1: launch (all transactions start within a few µs, as in both captures) and execution.
    let lastStart = 0;
    for (let t = 0; t < n; t++) {
      const p = txns[t];
      const gap = LAUNCH_GAP_US[style];
      const launch = t * gap + rng.float() * gap;
      let w = 0;
      for (let i = 1; i < parallelism; i++) if (this.workers[i] < this.workers[w]) w = i;
      const finish = Math.max(launch, this.workers[w]) + p.execMicros;
      this.workers[w] = finish;
      this.finish[t] = finish;
      this.lane = launch;
      this.push(t, Rec.PerfEnter, 0, 0, launch, rng);
      if (style === "headers-first") this.header(t, p, launch, rng);
      this.startDone[t] = this.lane;
      lastStart = Math.max(lastStart, this.lane);
    }

    // Pass 2: commit records, in index order. "headers-first": after every header is recorded,
    // one transaction at a time, EXIT right after TXN_END. "overlapped": EXIT when execution
    // finished; a commit sometimes starts before the previous one finished recording.
    let prevCommit = style === "headers-first" ? lastStart : 0;
    let prevSpan = 0;
    for (let t = 0; t < n; t++) {
      const p = txns[t];
      this.lane = this.startDone[t];
      if (style === "headers-first") {
        const from = Math.max(this.finish[t], prevCommit + prevSpan);
        this.result(t, p, from, rng);
        this.push(t, Rec.PerfExit, 0, 0, this.lane, rng);
        prevCommit = from;
        prevSpan = this.lane - from + STEP_US / 2;
      } else {
        this.push(t, Rec.PerfExit, 0, 0, this.finish[t], rng);
        const overlap = rng.chance(OVERLAP_PROBABILITY) ? 0.3 + 0.7 * rng.float() : 1;
        const from = Math.max(this.lane, prevCommit + overlap * prevSpan);
        this.header(t, p, from, rng);
        this.result(t, p, from, rng);
        prevCommit = from;
        prevSpan = this.lane - from;
      }
    }
    this.sort();
    this.span = this.n > 0 ? this.time[this.order[this.n - 1]] : 0;
  }

  txnAt(k: number): number {
    return this.txn[this.order[k]];
  }
  kindAt(k: number): Rec {
    return this.kind[this.order[k]];
  }
  aAt(k: number): number {
    return this.a[this.order[k]];
  }
  bAt(k: number): number {
    return this.b[this.order[k]];
  }
  timeAt(k: number): number {
    return this.time[this.order[k]];
  }

  private header(t: number, p: TxnPlan, from: number, rng: Prng): void {
    this.push(t, Rec.HeaderStart, 0, 0, from, rng);
    for (let i = 0; i < p.accessList.length; i++) this.push(t, Rec.AccessListEntry, i, 0, from, rng);
    for (let i = 0; i < p.authList.length; i++) this.push(t, Rec.AuthListEntry, i, 0, from, rng);
    this.push(t, Rec.HeaderEnd, 0, 0, from, rng);
  }

  private result(t: number, p: TxnPlan, from: number, rng: Prng): void {
    if (p.outcome === "reject") return this.push(t, Rec.Reject, 0, 0, from, rng);
    if (p.outcome === "evmError") return this.push(t, Rec.EvmError, 0, 0, from, rng);
    this.push(t, Rec.Output, 0, 0, from, rng);
    for (let i = 0; i < p.logs.length; i++) this.push(t, Rec.Log, i, 0, from, rng);
    for (let i = 0; i < p.frames.length; i++) this.push(t, Rec.Frame, i, 0, from, rng);
    this.push(t, Rec.ListHeader, 0, 0, from, rng);
    for (let ai = 0; ai < p.accounts.length; ai++) {
      this.push(t, Rec.Account, ai, 0, from, rng);
      const e = p.accounts[ai];
      const k = e.storage.length + e.transient.length;
      for (let si = 0; si < k; si++) this.push(t, Rec.Storage, ai, si, from, rng);
    }
    this.push(t, Rec.End, 0, 0, from, rng);
  }

  /** Appends a record at max(lane cursor + one step, `notBefore`), keeping the lane in order. */
  private push(t: number, kind: Rec, a: number, b: number, notBefore: number, rng: Prng): void {
    if (this.n === this.txn.length) this.grow();
    const at = Math.max(this.lane + STEP_US * (0.5 + rng.float()), notBefore);
    this.lane = at;
    const i = this.n++;
    this.txn[i] = t;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
    this.time[i] = at;
  }

  private sort(): void {
    const order = this.order;
    order.length = this.n;
    for (let i = 0; i < this.n; i++) order[i] = i;
    const time = this.time;
    // Ties keep insertion order (index order of transactions, then record order).
    order.sort((x, y) => time[x] - time[y] || x - y);
  }

  private grow(): void {
    const cap = this.txn.length * 2;
    const grow = <A extends Int32Array | Uint8Array | Float64Array>(old: A, make: (n: number) => A): A => {
      const next = make(cap);
      next.set(old);
      return next;
    };
    this.txn = grow(this.txn, (n) => new Int32Array(n));
    this.kind = grow(this.kind, (n) => new Uint8Array(n));
    this.a = grow(this.a, (n) => new Int32Array(n));
    this.b = grow(this.b, (n) => new Int32Array(n));
    this.time = grow(this.time, (n) => new Float64Array(n));
  }
}
