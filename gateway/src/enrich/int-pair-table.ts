// A set of (a, b) pairs of non-negative int32s with dense entry ids, for the per-block
// "which transactions touched this slot / contract" bookkeeping without one JS object or
// string key per pair.

import { ensureLength } from "./growable.js";

export class IntPairTable {
  /** Pair of entry i: (a[i], b[i]), in insertion order. */
  a = new Int32Array(256);
  b = new Int32Array(256);
  /** Free per-entry counter for callers that count occurrences of a pair. */
  value = new Int32Array(256);
  count = 0;
  /** Whether the last `add` created its entry. */
  added = false;
  private index = new Int32Array(512);
  private mask = 511;

  /** Entry id of (a, b), creating it (value 0) if absent; sets `added`. */
  add(a: number, b: number): number {
    const index = this.index;
    const mask = this.mask;
    let pos = pairHash(a, b) & mask;
    for (;;) {
      const e = index[pos];
      if (e === 0) break;
      if (this.a[e - 1] === a && this.b[e - 1] === b) {
        this.added = false;
        return e - 1;
      }
      pos = (pos + 1) & mask;
    }
    const id = this.count++;
    if (id >= this.a.length) {
      this.a = ensureLength(this.a, id + 1);
      this.b = ensureLength(this.b, id + 1);
      this.value = ensureLength(this.value, id + 1);
    }
    this.a[id] = a;
    this.b[id] = b;
    this.value[id] = 0;
    index[pos] = id + 1;
    this.added = true;
    if (this.count * 2 > index.length) this.rehash(index.length * 2);
    return id;
  }

  clear(): void {
    if (this.count > 0) this.index.fill(0);
    this.count = 0;
  }

  private rehash(size: number): void {
    this.index = new Int32Array(size);
    this.mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let pos = pairHash(this.a[id], this.b[id]) & this.mask;
      while (this.index[pos] !== 0) pos = (pos + 1) & this.mask;
      this.index[pos] = id + 1;
    }
  }
}

function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
