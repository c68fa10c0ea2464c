// An open-addressing hash index from fixed-length byte keys to small integer ids.
//
// Keys are copied into one arena Buffer (id * keyLen), so a lookup allocates nothing and a key
// can be rendered as hex later, only for the few ids that make it into an output. Callers pass
// the key's hash (key-hash.ts) so one hash per event serves several tables.
//
// Two ways of use:
//   - interning (`intern`): ids are dense 0..count-1 in first-seen order; `clear()` forgets all.
//     The per-block contention tables work this way.
//   - managed ids (`find` / `insertAt` / `remove`): the caller decides which id holds which key,
//     and can delete. The Space-Saving counters work this way (a counter id changes keys).
// Linear probing with backward-shift deletion keeps probes short without tombstones.

import { ensureLength } from "./growable.js";

export class ByteKeyTable {
  /** Key bytes of id i at [i * keyLen, (i + 1) * keyLen). */
  keys: Buffer;
  /** Hash of id i (for rehashing and for cheap mismatch checks while probing). */
  private hashes: Int32Array;
  /** Open-addressing slots holding id + 1 (0 = empty). Length is a power of two. */
  private index: Int32Array;
  private mask: number;
  /** Ids currently present. */
  private live = 0;
  /** Next id `intern` hands out. */
  count = 0;

  constructor(
    readonly keyLen: number,
    initialIds = 256,
  ) {
    this.keys = Buffer.alloc(keyLen * initialIds);
    this.hashes = new Int32Array(initialIds);
    let size = 16;
    while (size < initialIds * 2) size *= 2;
    this.index = new Int32Array(size);
    this.mask = size - 1;
  }

  /** Number of keys present. */
  get size(): number {
    return this.live;
  }

  /** Id of the key b[o1,o1+n1) ++ b[o2,o2+n2) with hash `h`, or -1. n1 + n2 must equal keyLen. */
  find(h: number, b: Buffer, o1: number, n1: number, o2: number, n2: number): number {
    const index = this.index;
    const hashes = this.hashes;
    const mask = this.mask;
    for (let pos = h & mask; ; pos = (pos + 1) & mask) {
      const e = index[pos];
      if (e === 0) return -1;
      const id = e - 1;
      if (hashes[id] === h && this.equals(id, b, o1, n1, o2, n2)) return id;
    }
  }

  /** Id of the key, adding it with the next dense id if absent. */
  intern(h: number, b: Buffer, o1: number, n1: number, o2: number, n2: number): number {
    const id = this.find(h, b, o1, n1, o2, n2);
    if (id >= 0) return id;
    const fresh = this.count++;
    this.insertAt(fresh, h, b, o1, n1, o2, n2);
    return fresh;
  }

  /** True when the last `intern` call added its key (its id is count - 1). */
  isNewest(id: number): boolean {
    return id === this.count - 1;
  }

  /** Stores the key under `id`, which must not currently hold a key. */
  insertAt(id: number, h: number, b: Buffer, o1: number, n1: number, o2: number, n2: number): void {
    if (id >= this.hashes.length) {
      this.hashes = ensureLength(this.hashes, id + 1);
      if (this.keys.length < this.hashes.length * this.keyLen) {
        const grown = Buffer.alloc(this.hashes.length * this.keyLen);
        this.keys.copy(grown);
        this.keys = grown;
      }
    }
    if ((this.live + 1) * 2 > this.index.length) this.rehash(this.index.length * 2);
    // Byte loops: for 20–52 bytes they beat Buffer#copy, whose native call and argument checks
    // cost more than the copy itself.
    const k = this.keys;
    const at = id * this.keyLen;
    for (let i = 0; i < n1; i++) k[at + i] = b[o1 + i];
    for (let i = 0; i < n2; i++) k[at + n1 + i] = b[o2 + i];
    this.hashes[id] = h;
    const index = this.index;
    const mask = this.mask;
    let pos = h & mask;
    while (index[pos] !== 0) pos = (pos + 1) & mask;
    index[pos] = id + 1;
    this.live++;
  }

  /** Removes the key held by `id` (which must hold one). Its arena bytes are left as they were. */
  remove(id: number): void {
    const index = this.index;
    const mask = this.mask;
    let pos = this.hashes[id] & mask;
    while (index[pos] !== id + 1) pos = (pos + 1) & mask;
    // Backward shift: move later entries of the probe run into the hole when their home slot
    // does not lie (cyclically) between the hole and their current slot.
    let hole = pos;
    for (let j = (pos + 1) & mask; index[j] !== 0; j = (j + 1) & mask) {
      const home = this.hashes[index[j] - 1] & mask;
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!between) {
        index[hole] = index[j];
        hole = j;
      }
    }
    index[hole] = 0;
    this.live--;
  }

  /** Forgets every key (keeps the storage). */
  clear(): void {
    if (this.live > 0) this.index.fill(0);
    this.live = 0;
    this.count = 0;
  }

  /** "0x" + hex of bytes [from, to) of the key held by `id`. */
  keyHex(id: number, from = 0, to = this.keyLen): string {
    const at = id * this.keyLen;
    return "0x" + this.keys.toString("hex", at + from, at + to);
  }

  /** Compares bytes [from, to) of two ids' keys, like Buffer.compare (byte order). */
  compareKeys(a: number, b: number, from = 0, to = this.keyLen): number {
    const k = this.keys;
    const ka = a * this.keyLen;
    const kb = b * this.keyLen;
    for (let i = from; i < to; i++) {
      const d = k[ka + i] - k[kb + i];
      if (d !== 0) return d;
    }
    return 0;
  }

  private equals(id: number, b: Buffer, o1: number, n1: number, o2: number, n2: number): boolean {
    const k = this.keys;
    let at = id * this.keyLen;
    for (let i = 0; i < n1; i++) if (k[at + i] !== b[o1 + i]) return false;
    at += n1;
    for (let i = 0; i < n2; i++) if (k[at + i] !== b[o2 + i]) return false;
    return true;
  }

  private rehash(size: number): void {
    const old = this.index;
    this.index = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < old.length; i++) {
      const e = old[i];
      if (e === 0) continue;
      let pos = this.hashes[e - 1] & this.mask;
      while (this.index[pos] !== 0) pos = (pos + 1) & this.mask;
      this.index[pos] = e;
    }
  }
}
