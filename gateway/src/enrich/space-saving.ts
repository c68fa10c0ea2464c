// Space-Saving heavy-hitter counting (Metwally, Agrawal, El Abbadi, "Efficient Computation of
// Frequent and Top-k Elements in Data Streams", ICDT 2005) over fixed-length byte keys.
//
// `capacity` counters, each holding a key, an estimated count and an error. For each item:
//   - monitored: its count += 1;
//   - else, a free counter: it takes the item with count 1, error 0;
//   - else: the counter with the minimum count m takes the item, with count m + 1, error m.
// Guarantees, with N items offered since the last reset:
//   - every count overestimates: true ≤ count, and count − error ≤ true;
//   - the minimum count is ≤ N / capacity, so every item with true frequency > N / capacity is
//     monitored (no heavy hitter is missed);
//   - the counts sum to N.
// Counters live in the paper's "Stream-Summary": a list of buckets in increasing count order,
// each holding the counters with that count, so the minimum is the first bucket and an
// increment moves a counter to the next bucket — O(1) per item, all in typed arrays.
//
// (The Rust gateway's "Space-Saving" decremented every counter when full — that is Misra-Gries
// with an O(capacity) step — and dropped the item when no counter reached zero.)

import { ByteKeyTable } from "./byte-key-table.js";

export interface CounterEntry {
  /** Counter id: render its key with `keyHex(id, …)`. */
  id: number;
  /** Estimated count (never below the true count). */
  count: number;
  /** Maximum overestimation: the true count is in [count − error, count]. */
  error: number;
}

export class SpaceSaving {
  private readonly table: ByteKeyTable;
  // Per counter.
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  private readonly bucketOf: Int32Array;
  private readonly prevInBucket: Int32Array; // -1 = none
  private readonly nextInBucket: Int32Array;
  // Buckets (one per distinct count in use; +1 spare while a counter moves between two).
  private readonly bucketValue: Float64Array;
  private readonly bucketHead: Int32Array; // first counter, -1 = empty
  private readonly bucketPrev: Int32Array; // neighbours in increasing count order, -1 = none
  private readonly bucketNext: Int32Array;
  private readonly freeBuckets: Int32Array;
  private freeTop = 0;
  /** The bucket with the smallest count, -1 when no counter is in use. */
  private minBucket = -1;
  private used = 0;
  private offered = 0;

  constructor(
    readonly keyLen: number,
    readonly capacity: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError(`Space-Saving capacity must be a positive integer, got ${capacity}`);
    this.table = new ByteKeyTable(keyLen, capacity);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.bucketOf = new Int32Array(capacity);
    this.prevInBucket = new Int32Array(capacity);
    this.nextInBucket = new Int32Array(capacity);
    const buckets = capacity + 1;
    this.bucketValue = new Float64Array(buckets);
    this.bucketHead = new Int32Array(buckets);
    this.bucketPrev = new Int32Array(buckets);
    this.bucketNext = new Int32Array(buckets);
    this.freeBuckets = new Int32Array(buckets);
    this.reset();
  }

  /** Items offered since the last reset (N). */
  get total(): number {
    return this.offered;
  }

  /** Counters in use. */
  get size(): number {
    return this.used;
  }

  /** Counts one occurrence of the key b[o1,o1+n1) ++ b[o2,o2+n2), whose key-hash.ts hash is `h`. */
  offer(h: number, b: Buffer, o1: number, n1: number, o2: number, n2: number): void {
    this.offered++;
    const id = this.table.find(h, b, o1, n1, o2, n2);
    if (id >= 0) {
      this.increment(id);
      return;
    }
    if (this.used < this.capacity) {
      const fresh = this.used++;
      this.table.insertAt(fresh, h, b, o1, n1, o2, n2);
      this.counts[fresh] = 1;
      this.errors[fresh] = 0;
      const first = this.minBucket;
      const target = first >= 0 && this.bucketValue[first] === 1 ? first : this.newBucket(1, -1, first);
      this.attach(fresh, target);
      return;
    }
    // Replace a counter with the minimum count: it inherits that count as its error.
    const victim = this.bucketHead[this.minBucket];
    this.table.remove(victim);
    this.table.insertAt(victim, h, b, o1, n1, o2, n2);
    this.errors[victim] = this.counts[victim];
    this.increment(victim);
  }

  /** Estimated count of a key (undefined when not monitored), for tests and diagnostics. */
  countOf(h: number, b: Buffer, o1: number, n1: number, o2: number, n2: number): CounterEntry | undefined {
    const id = this.table.find(h, b, o1, n1, o2, n2);
    return id < 0 ? undefined : { id, count: this.counts[id], error: this.errors[id] };
  }

  /**
   * The `k` largest counters, largest count first; ties by smaller error (more certain), then
   * by key bytes, so the output is deterministic. A bounded insertion selection: O(capacity)
   * comparisons with the current k-th entry, not a sort of every counter.
   */
  top(k: number): CounterEntry[] {
    const best: number[] = [];
    if (k <= 0) return [];
    for (let id = 0; id < this.used; id++) {
      if (best.length === k && this.before(best[k - 1], id)) continue;
      let i = best.length === k ? k - 1 : best.length;
      if (best.length < k) best.push(id);
      while (i > 0 && this.before(id, best[i - 1])) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = id;
    }
    return best.map((id) => ({ id, count: this.counts[id], error: this.errors[id] }));
  }

  /** Smallest monitored count (0 while a counter is free): an upper bound on any unmonitored item's count. */
  get minCount(): number {
    return this.used < this.capacity ? 0 : this.bucketValue[this.minBucket];
  }

  /** "0x" + hex of key bytes [from, to) of counter `id`. */
  keyHex(id: number, from = 0, to = this.keyLen): string {
    return this.table.keyHex(id, from, to);
  }

  reset(): void {
    this.table.clear();
    this.used = 0;
    this.offered = 0;
    this.minBucket = -1;
    this.freeTop = this.freeBuckets.length;
    for (let i = 0; i < this.freeTop; i++) this.freeBuckets[i] = i;
  }

  /** Output order: true when counter a ranks before counter b. */
  private before(a: number, b: number): boolean {
    const dc = this.counts[a] - this.counts[b];
    if (dc !== 0) return dc > 0;
    const de = this.errors[a] - this.errors[b];
    if (de !== 0) return de < 0;
    return this.table.compareKeys(a, b) < 0;
  }

  /** Moves counter c from its bucket (count v) to the bucket of count v + 1. */
  private increment(c: number): void {
    const from = this.bucketOf[c];
    const v = this.bucketValue[from] + 1;
    const next = this.bucketNext[from];
    // Find or create the target before `from` may be emptied and freed.
    const target = next >= 0 && this.bucketValue[next] === v ? next : this.newBucket(v, from, next);
    this.detach(c);
    this.attach(c, target);
    this.counts[c] = v;
  }

  /** A new bucket with count `value`, linked between buckets `prev` and `next` (-1 = ends). */
  private newBucket(value: number, prev: number, next: number): number {
    const bk = this.freeBuckets[--this.freeTop];
    this.bucketValue[bk] = value;
    this.bucketHead[bk] = -1;
    this.bucketPrev[bk] = prev;
    this.bucketNext[bk] = next;
    if (prev >= 0) this.bucketNext[prev] = bk;
    else this.minBucket = bk;
    if (next >= 0) this.bucketPrev[next] = bk;
    return bk;
  }

  private attach(c: number, bk: number): void {
    const head = this.bucketHead[bk];
    this.prevInBucket[c] = -1;
    this.nextInBucket[c] = head;
    if (head >= 0) this.prevInBucket[head] = c;
    this.bucketHead[bk] = c;
    this.bucketOf[c] = bk;
  }

  /** Unlinks counter c from its bucket; frees the bucket if that empties it. */
  private detach(c: number): void {
    const bk = this.bucketOf[c];
    const p = this.prevInBucket[c];
    const n = this.nextInBucket[c];
    if (p >= 0) this.nextInBucket[p] = n;
    else this.bucketHead[bk] = n;
    if (n >= 0) this.prevInBucket[n] = p;
    if (this.bucketHead[bk] >= 0) return;
    const bp = this.bucketPrev[bk];
    const bn = this.bucketNext[bk];
    if (bp >= 0) this.bucketNext[bp] = bn;
    else this.minBucket = bn;
    if (bn >= 0) this.bucketPrev[bn] = bp;
    this.freeBuckets[this.freeTop++] = bk;
  }
}
