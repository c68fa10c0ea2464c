// Space-Saving (src/enrich/space-saving.ts) against an exact counter, on random skewed streams
// (fast-check): heavy hitters are never missed, counts never underestimate, errors bound the
// overestimate. Also the byte-key hash table underneath (insert/remove vs a Map) and the
// TopAccesses window.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteKeyTable } from "../src/enrich/byte-key-table.js";
import { hashKey } from "../src/enrich/key-hash.js";
import { SpaceSaving } from "../src/enrich/space-saving.js";
import { TopAccessesTracker } from "../src/enrich/top-accesses.js";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { fieldOffset } from "../src/decode/layouts.js";

/** Key `k` as 20 bytes (an address-like key) in a scratch buffer at offset `at`. */
function writeKey(buf: Buffer, at: number, k: number, len = 20): void {
  buf.fill(0, at, at + len);
  buf.writeUInt32LE(k, at + len - 4); // vary the tail: all keys share their first bytes, like small slots
  buf[at] = k & 0xff;
}

function offerAll(ss: SpaceSaving, stream: number[]): Map<number, number> {
  const exact = new Map<number, number>();
  const buf = Buffer.alloc(20);
  for (const k of stream) {
    writeKey(buf, 0, k);
    ss.offer(hashKey(buf, 0, 20, 0, 0), buf, 0, 20, 0, 0);
    exact.set(k, (exact.get(k) ?? 0) + 1);
  }
  return exact;
}

function lookup(ss: SpaceSaving, k: number) {
  const buf = Buffer.alloc(20);
  writeKey(buf, 0, k);
  return ss.countOf(hashKey(buf, 0, 20, 0, 0), buf, 0, 20, 0, 0);
}

/** Streams with a few heavy keys among many light ones, in random order. */
const streamArb = fc
  .record({
    heavy: fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 5 }),
    heavyShare: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
    alphabet: fc.integer({ min: 1, max: 400 }),
    length: fc.integer({ min: 0, max: 3000 }),
    seed: fc.integer(),
  })
  .map(({ heavy, heavyShare, alphabet, length, seed }) => {
    let x = seed >>> 0 || 1;
    const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    return Array.from({ length }, () =>
      rnd() < heavyShare ? heavy[Math.floor(rnd() * heavy.length)] : 2_000_000 + Math.floor(rnd() * alphabet),
    );
  });

describe("Space-Saving vs an exact counter", () => {
  it("never misses an item above N / capacity and never underestimates", () => {
    fc.assert(
      fc.property(streamArb, fc.integer({ min: 1, max: 40 }), (stream, capacity) => {
        const ss = new SpaceSaving(20, capacity);
        const exact = offerAll(ss, stream);
        const n = stream.length;
        expect(ss.total).toBe(n);
        expect(ss.size).toBe(Math.min(capacity, exact.size));
        if (ss.size === capacity) expect(ss.minCount).toBeLessThanOrEqual(n / capacity);
        let sum = 0;
        for (const e of ss.top(capacity)) sum += e.count;
        expect(sum).toBe(n); // every offer adds exactly one to one counter
        for (const [k, c] of exact) {
          const got = lookup(ss, k);
          if (c > n / capacity) expect(got, `heavy key ${k} (${c} of ${n})`).toBeDefined();
          if (got === undefined) {
            expect(c).toBeLessThanOrEqual(ss.minCount); // an unmonitored item is at most the minimum
          } else {
            expect(got.count).toBeGreaterThanOrEqual(c);
            expect(got.count - got.error).toBeLessThanOrEqual(c);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("top(k) is ordered and guarantees every item whose lower bound beats the next estimate", () => {
    fc.assert(
      fc.property(streamArb, fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 10 }), (stream, capacity, k) => {
        const ss = new SpaceSaving(20, capacity);
        const exact = offerAll(ss, stream);
        const top = ss.top(k);
        expect(top.length).toBe(Math.min(k, ss.size));
        for (let i = 1; i < top.length; i++) expect(top[i - 1].count).toBeGreaterThanOrEqual(top[i].count);
        const all = ss.top(capacity);
        expect(all.slice(0, top.length)).toEqual(top);
        // An item whose guaranteed count (count - error) reaches the (k+1)-th estimate is truly
        // ahead of every item outside the reported k (the classic Space-Saving guarantee). With
        // no (k+1)-th counter, unmonitored items are bounded by the minimum count instead.
        const next = all[k]?.count ?? ss.minCount;
        const exactByHex = new Map<string, number>();
        const buf = Buffer.alloc(20);
        for (const [key, c] of exact) {
          writeKey(buf, 0, key);
          exactByHex.set("0x" + buf.toString("hex"), c);
        }
        const reported = new Set(top.map((e) => ss.keyHex(e.id)));
        const bestOutside = Math.max(0, ...[...exactByHex].filter(([h]) => !reported.has(h)).map(([, c]) => c));
        for (const e of top) {
          if (e.count - e.error < next) continue;
          expect(exactByHex.get(ss.keyHex(e.id))).toBeGreaterThanOrEqual(bestOutside);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("finds a single dominant key exactly when it never left its counter", () => {
    const ss = new SpaceSaving(20, 4);
    const stream = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 7 : 1000 + i));
    offerAll(ss, stream);
    const top = ss.top(1)[0];
    expect(ss.keyHex(top.id)).toBe("0x07" + "00".repeat(15) + "07000000");
    expect(top.count - top.error).toBeLessThanOrEqual(500);
    expect(top.count).toBeGreaterThanOrEqual(500);
  });

  it("reset forgets everything", () => {
    const ss = new SpaceSaving(20, 3);
    offerAll(ss, [1, 1, 2, 3, 4]);
    ss.reset();
    expect(ss.total).toBe(0);
    expect(ss.size).toBe(0);
    expect(ss.top(3)).toEqual([]);
    expect(lookup(ss, 1)).toBeUndefined();
    offerAll(ss, [5]);
    expect(lookup(ss, 5)).toMatchObject({ count: 1, error: 0 });
  });

  it("rejects a non-positive capacity", () => {
    expect(() => new SpaceSaving(20, 0)).toThrow(RangeError);
  });
});

describe("ByteKeyTable", () => {
  it("insert / find / remove agree with a Map under random operations (two-range keys)", () => {
    const op = fc.record({ remove: fc.boolean(), key: fc.integer({ min: 0, max: 60 }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        // Keys of 8 + 4 bytes taken from two separate ranges of the buffer.
        const table = new ByteKeyTable(12, 4);
        const model = new Map<number, number>(); // key → id
        const free: number[] = [];
        let nextId = 0;
        const buf = Buffer.alloc(40);
        const h = (k: number) => {
          buf.fill(0);
          buf.writeUInt32LE(k % 3, 0); // many keys share the first range
          buf.writeUInt32LE(k, 30);
          return hashKey(buf, 0, 8, 30, 4) & 0x3; // force collisions: only 4 distinct hashes
        };
        for (const { remove, key } of ops) {
          const hh = h(key);
          const id = model.get(key);
          expect(table.find(hh, buf, 0, 8, 30, 4)).toBe(id ?? -1);
          if (remove && id !== undefined) {
            table.remove(id);
            model.delete(key);
            free.push(id);
          } else if (!remove && id === undefined) {
            const fresh = free.pop() ?? nextId++;
            table.insertAt(fresh, hh, buf, 0, 8, 30, 4);
            model.set(key, fresh);
          }
          expect(table.size).toBe(model.size);
        }
        for (let k = 0; k <= 60; k++) expect(table.find(h(k), buf, 0, 8, 30, 4)).toBe(model.get(k) ?? -1);
      }),
      { numRuns: 300 },
    );
  });

  it("interns dense ids, grows, and renders keys", () => {
    const t = new ByteKeyTable(20, 2);
    const buf = Buffer.alloc(20);
    for (let k = 0; k < 1000; k++) {
      writeKey(buf, 0, k);
      expect(t.intern(hashKey(buf, 0, 20, 0, 0), buf, 0, 20, 0, 0)).toBe(k);
    }
    writeKey(buf, 0, 500);
    expect(t.intern(hashKey(buf, 0, 20, 0, 0), buf, 0, 20, 0, 0)).toBe(500);
    expect(t.count).toBe(1000);
    expect(t.keyHex(500)).toBe("0x" + buf.toString("hex"));
    t.clear();
    expect(t.find(hashKey(buf, 0, 20, 0, 0), buf, 0, 20, 0, 0)).toBe(-1);
  });
});

describe("TopAccessesTracker", () => {
  const AA = fieldOffset(T.ACCOUNT_ACCESS, "address");
  const SA = fieldOffset(T.STORAGE_ACCESS, "address");
  const SK = fieldOffset(T.STORAGE_ACCESS, "key");

  function account(tr: TopAccessesTracker, k: number) {
    const p = Buffer.alloc(152);
    writeKey(p, AA, k);
    tr.accountAccess(p, 0, hashKey(p, AA, 20, 0, 0));
  }
  function storage(tr: TopAccessesTracker, addr: number, slot: number) {
    const p = Buffer.alloc(124);
    writeKey(p, SA, addr);
    writeKey(p, SK, slot, 32);
    tr.storageAccess(p, 0, hashKey(p, SA, 20, SK, 32));
  }

  it("reports the Rust gateway's shape, most accessed first", () => {
    const tr = new TopAccessesTracker({ k: 2 });
    tr.blockStart(0);
    for (let i = 0; i < 5; i++) account(tr, 1);
    for (let i = 0; i < 3; i++) account(tr, 2);
    account(tr, 3);
    storage(tr, 9, 4);
    storage(tr, 9, 4);
    storage(tr, 9, 5);
    const snap = tr.snapshot();
    expect(snap.account.map((e) => e.count)).toEqual([5, 3]);
    expect(snap.account[0].key).toMatch(/^0x01(00){15}01000000$/);
    expect(snap.storage).toHaveLength(2);
    expect(snap.storage[0]).toEqual({ key: [expect.stringMatching(/^0x09/), expect.stringMatching(/^0x04(00){27}04000000$/)], count: 2 });
    expect(Object.keys(snap)).toEqual(["account", "storage"]);
    expect(tr.latest).toBe(snap);
  });

  it("restarts the counts at the first BLOCK_START 5 minutes of ring time after the window start", () => {
    const tr = new TopAccessesTracker();
    const MIN = 60e9;
    tr.blockStart(0);
    account(tr, 1);
    tr.blockStart(4.99 * MIN);
    account(tr, 1);
    expect(tr.snapshot().account[0].count).toBe(2);
    tr.blockStart(5 * MIN);
    account(tr, 1);
    expect(tr.snapshot().account[0].count).toBe(1);
    tr.blockStart(9 * MIN);
    expect(tr.snapshot().account[0].count).toBe(1);
    tr.blockStart(10 * MIN);
    expect(tr.snapshot().account).toEqual([]);
  });
});
