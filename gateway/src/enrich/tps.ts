import type { TpsResponse } from "../protocol/generated/rest.js";

/** The wire protocol's TpsResponse (generated from its JSON Schema); see README.md for the definition. */
export type TpsData = Required<TpsResponse>;
// Transactions per second over a rolling window of 2.5 blocks, emitted on every BLOCK_START.
//
// The Rust gateway sent b1 + b2 + ⌊b3 / 2⌋ (txn counts of the last three blocks, the newest
// halved): transactions per second only when blocks are exactly 400 ms apart. Ours measures
// the block time instead. Definition (also in README.md):
//
//   slot        a block from its BLOCK_START to the next BLOCK_START (ring timestamps).
//   window      the newest k ≤ 3 closed slots s1 (oldest) … sk (newest), contiguous in block
//               number, weights w = 1 for all but the newest, ½ for the newest
//               (k = 3: 1, 1, ½ → W = Σw = 2.5 blocks; k = 2: 1, ½; k = 1: ½).
//   txns(s)     the block's txn_count (BLOCK_START payload) if it ended with BLOCK_END; 0 if it
//               was rejected (BLOCK_REJECT), failed (block-level EVM_ERROR), never ended, or was
//               superseded by a later proposal for the same number. Its time still counts: the
//               rate is committed transactions per second of chain time.
//   interval    mean slot length = (end of sk − start of s1) / k.
//   tps_exact   Σ w_i · txns(s_i) / (W · interval)           (transactions per second)
//   tps         ⌊tps_exact⌋                                   (the old wire integer)
//
// With 400 ms slots W · interval = 1 s, so tps equals the old b1 + b2 + ⌊b3 / 2⌋ exactly.
// A block number that jumps forward by more than one (blocks missed) or a reset (ring gap)
// restarts the window: until three slots are closed again, k < 3 and W < 2.5. With no closed
// slot (the first BLOCK_START seen) tps is 0 and window_blocks 0.


const WINDOW = 3;
const OUTCOME_OPEN = 0;
const OUTCOME_COMMITTED = 1;
const OUTCOME_FAILED = 2;

export class TpsTracker {
  // Closed slots, oldest first (at most WINDOW), as parallel arrays: no allocation per block.
  private readonly number = new Float64Array(WINDOW);
  private readonly txns = new Float64Array(WINDOW);
  private readonly startAt = new Float64Array(WINDOW);
  private readonly endAt = new Float64Array(WINDOW);
  private closed = 0;
  // The open slot (the block executing now).
  private open = false;
  private openSeqno = 0;
  private openNumber = 0;
  private openTxns = 0;
  private openStart = 0;
  private openOutcome = OUTCOME_OPEN;
  /** The last value computed. */
  latest: TpsData | undefined = undefined;

  /** BLOCK_START: closes the previous slot, opens this one, returns the new value. */
  blockStart(blockSeqno: number, blockNumber: number, txnCount: number, t: number): TpsData {
    if (this.open) {
      if (blockNumber > this.openNumber + 1) {
        // Blocks in between were never seen: their transactions are unknown.
        this.closed = 0;
      } else {
        const committed = this.openOutcome === OUTCOME_COMMITTED && blockNumber > this.openNumber;
        this.push(this.openNumber, committed ? this.openTxns : 0, this.openStart, t);
        // A proposal for a number already in the window supersedes the earlier ones.
        for (let i = 0; i < this.closed; i++) if (this.number[i] >= blockNumber) this.txns[i] = 0;
      }
    }
    this.open = true;
    this.openSeqno = blockSeqno;
    this.openNumber = blockNumber;
    this.openTxns = txnCount;
    this.openStart = t;
    this.openOutcome = OUTCOME_OPEN;
    this.latest = this.compute(blockNumber);
    return this.latest;
  }

  /** BLOCK_END of the block with this seqno: its transactions count. */
  blockEnd(blockSeqno: number): void {
    if (this.open && blockSeqno === this.openSeqno) this.openOutcome = OUTCOME_COMMITTED;
  }

  /** BLOCK_REJECT or a block-level EVM_ERROR: its transactions do not count. */
  blockFailed(blockSeqno: number): void {
    if (this.open && blockSeqno === this.openSeqno) this.openOutcome = OUTCOME_FAILED;
  }

  /** Ring gap: the window restarts (the latest value stays readable). */
  reset(): void {
    this.closed = 0;
    this.open = false;
  }

  private push(number: number, txns: number, start: number, end: number): void {
    if (this.closed === WINDOW) {
      for (let i = 1; i < WINDOW; i++) {
        this.number[i - 1] = this.number[i];
        this.txns[i - 1] = this.txns[i];
        this.startAt[i - 1] = this.startAt[i];
        this.endAt[i - 1] = this.endAt[i];
      }
      this.closed--;
    }
    const i = this.closed++;
    this.number[i] = number;
    this.txns[i] = txns;
    this.startAt[i] = start;
    this.endAt[i] = end;
  }

  private compute(blockNumber: number): TpsData {
    const k = this.closed;
    if (k === 0) return { tps: 0, tps_exact: 0, window_blocks: 0, block_interval_ms: 0, block_number: blockNumber };
    let weighted = 0;
    for (let i = 0; i < k; i++) weighted += (i === k - 1 ? 0.5 : 1) * this.txns[i];
    const w = k - 0.5;
    const spanNs = this.endAt[k - 1] - this.startAt[0];
    const intervalNs = spanNs / k;
    // weighted / (W · interval s), arranged so 400 ms slots give an exact result.
    const exact = spanNs > 0 ? (weighted * 1e9 * k) / (w * spanNs) : 0;
    return { tps: Math.floor(exact), tps_exact: exact, window_blocks: w, block_interval_ms: intervalNs / 1e6, block_number: blockNumber };
  }
}
