// Parallel schedule analysis (src/enrich/schedule.ts) against a brute-force checker that applies
// the README definitions pair by pair, on random read/write sets (fast-check), plus small cases
// worked by hand.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AccessLog, ScheduleAnalyzer, UNKNOWN_TXN_GAS } from "../src/enrich/schedule.js";

interface Access {
  txn: number;
  res: number;
  write: boolean;
}

/** The definitions, literally: R/W sets, pairwise conflicts, DP over pairs. */
function bruteForce(txnCount: number, accesses: Access[], gas: (number | undefined)[]) {
  const W = Array.from({ length: txnCount }, () => new Set<number>());
  const R = Array.from({ length: txnCount }, () => new Set<number>());
  for (const a of accesses) if (a.txn < txnCount) (a.write ? W : R)[a.txn].add(a.res);
  for (let j = 0; j < txnCount; j++) for (const r of W[j]) R[j].delete(r); // read+written = written
  const meets = (a: Set<number>, b: Set<number>) => [...a].some((x) => b.has(x));
  const conflict = (i: number, j: number) => meets(W[i], R[j]) || meets(W[i], W[j]) || meets(R[i], W[j]);
  const work = (j: number) => gas[j] ?? UNKNOWN_TXN_GAS;
  const batch: number[] = [];
  const chainWork: number[] = [];
  let edges = 0;
  for (let j = 0; j < txnCount; j++) {
    let b = 0;
    let w = 0;
    for (let i = 0; i < j; i++) {
      if (!conflict(i, j)) continue;
      edges++;
      b = Math.max(b, batch[i]);
      w = Math.max(w, chainWork[i]);
    }
    batch.push(b + 1);
    chainWork.push(w + work(j));
  }
  const total = Array.from({ length: txnCount }, (_, j) => work(j)).reduce((s, x) => s + x, 0);
  const cp = Math.max(0, ...chainWork);
  const batches: number[] = [];
  for (const b of batch) batches[b - 1] = (batches[b - 1] ?? 0) + 1;
  const speedup = (n: number) => (total > 0 ? total / Math.max(cp, total / n) : 1);
  return { batch, batches, edges, total, cp, conflict, speedup };
}

function run(analyzer: ScheduleAnalyzer, txnCount: number, accesses: Access[], gas: (number | undefined)[], resources: number) {
  const log = new AccessLog();
  for (const a of accesses) log.add(a.txn, a.res, a.write);
  const g = new Float64Array(gas.map((x) => (x === undefined ? NaN : x)));
  return analyzer.analyze(txnCount, log, resources, g);
}

const accessArb = (txns: number, resources: number) =>
  fc.record({ txn: fc.integer({ min: 0, max: txns - 1 }), res: fc.integer({ min: 0, max: resources - 1 }), write: fc.boolean() });

const blockArb = fc
  .record({ txns: fc.integer({ min: 1, max: 40 }), resources: fc.integer({ min: 1, max: 15 }) })
  .chain(({ txns, resources }) =>
    fc.record({
      txns: fc.constant(txns),
      resources: fc.constant(resources),
      accesses: fc.array(accessArb(txns, resources), { maxLength: 160 }),
      gas: fc.array(fc.option(fc.integer({ min: 21_000, max: 500_000 }), { nil: undefined }), { minLength: txns, maxLength: txns }),
    }),
  );

describe("schedule analysis vs brute force", () => {
  // One analyzer for every case: its scratch arrays are reused, as in production.
  const analyzer = new ScheduleAnalyzer();

  it("matches the definitions on random read/write sets", () => {
    fc.assert(
      fc.property(blockArb, ({ txns, resources, accesses, gas }) => {
        const got = run(analyzer, txns, accesses, gas, resources);
        const want = bruteForce(txns, accesses, gas);
        expect(got.conflict_edges).toBe(want.edges);
        expect(got.batches).toEqual(want.batches);
        expect(got.batch_count).toBe(want.batches.length);
        expect(got.critical_path_length).toBe(Math.max(...want.batch));
        expect(got.total_gas).toBe(want.total);
        expect(got.critical_path_gas).toBe(want.cp);
        for (const n of [2, 4, 8, 16] as const) expect(got.ideal_speedup[n]).toBeCloseTo(want.speedup(n), 9);
        for (let j = 0; j < txns; j++) expect(analyzer.batchOf(j)).toBe(want.batch[j]);
      }),
      { numRuns: 400 },
    );
  });

  it("produces a valid schedule: every txn in one batch, no conflict inside a batch, speedups in [1, N]", () => {
    fc.assert(
      fc.property(blockArb, ({ txns, resources, accesses, gas }) => {
        const got = run(analyzer, txns, accesses, gas, resources);
        const { conflict } = bruteForce(txns, accesses, gas);
        expect(got.batches.reduce((s, x) => s + x, 0)).toBe(txns);
        for (const size of got.batches) expect(size).toBeGreaterThan(0);
        for (let j = 0; j < txns; j++) {
          const bj = analyzer.batchOf(j);
          expect(bj).toBeGreaterThanOrEqual(1);
          expect(bj).toBeLessThanOrEqual(got.batch_count);
          // Greedy: right after the latest conflicting batch, never in the same one.
          let latest = 0;
          for (let i = 0; i < j; i++) {
            if (!conflict(i, j)) continue;
            expect(analyzer.batchOf(i)).not.toBe(bj);
            latest = Math.max(latest, analyzer.batchOf(i));
          }
          expect(bj).toBe(latest + 1);
        }
        for (const n of [2, 4, 8, 16] as const) {
          expect(got.ideal_speedup[n]).toBeGreaterThanOrEqual(1 - 1e-12);
          expect(got.ideal_speedup[n]).toBeLessThanOrEqual(n + 1e-12);
        }
        // batch_count is the longest conflict chain counted in transactions.
        expect(got.critical_path_length).toBe(got.batch_count);
      }),
      { numRuns: 300 },
    );
  });

  it("read-read sharing is no conflict; any write to a shared resource is", () => {
    const a = new ScheduleAnalyzer();
    const readers = run(
      a,
      3,
      [0, 1, 2].map((txn) => ({ txn, res: 0, write: false })),
      [],
      1,
    );
    expect(readers).toMatchObject({ batch_count: 1, conflict_edges: 0, batches: [3] });
    const writer = run(
      a,
      3,
      [
        { txn: 0, res: 0, write: false },
        { txn: 1, res: 0, write: true },
        { txn: 2, res: 0, write: false },
      ],
      [],
      1,
    );
    // 0 reads, 1 writes (conflicts with 0), 2 reads (conflicts with 1 only).
    expect(writer).toMatchObject({ batch_count: 3, conflict_edges: 2, batches: [1, 1, 1] });
  });

  it("weights the critical path by gas and bounds the speedup by it", () => {
    // Txns 0 → 1 conflict (a 2-chain of 100k + 300k), txns 2 and 3 are independent (100k each).
    const got = run(
      new ScheduleAnalyzer(),
      4,
      [
        { txn: 0, res: 0, write: true },
        { txn: 1, res: 0, write: true },
        { txn: 2, res: 1, write: true },
        { txn: 3, res: 2, write: true },
      ],
      [100_000, 300_000, 100_000, 100_000],
      3,
    );
    expect(got.critical_path_gas).toBe(400_000);
    expect(got.total_gas).toBe(600_000);
    expect(got.ideal_speedup["2"]).toBe(1.5); // 600k / max(400k, 300k)
    expect(got.ideal_speedup["16"]).toBe(1.5);
    expect(got.batches).toEqual([3, 1]);
  });

  it("handles an empty block and transactions without accesses", () => {
    const a = new ScheduleAnalyzer();
    expect(run(a, 0, [], [], 0)).toMatchObject({
      batch_count: 0,
      conflict_edges: 0,
      batches: [],
      total_gas: 0,
      ideal_speedup: { "2": 1, "16": 1 },
    });
    expect(run(a, 5, [], [], 0)).toMatchObject({
      batch_count: 1,
      batches: [5],
      total_gas: 5 * UNKNOWN_TXN_GAS,
      ideal_speedup: { "4": 4, "8": 5 },
    });
  });

  it("counts n²/2 edges for n writers of one slot, fast enough for a big block", () => {
    const n = 5000;
    const accesses = Array.from({ length: n }, (_, txn) => [
      { txn, res: 0, write: true },
      { txn, res: 1 + txn, write: true },
      { txn, res: 1 + n + (txn % 7), write: true }, // a second shared resource: forces de-duplication
    ]).flat();
    const t0 = performance.now();
    const got = run(new ScheduleAnalyzer(), n, accesses, [], 1 + n + 7);
    const ms = performance.now() - t0;
    expect(got.conflict_edges).toBe((n * (n - 1)) / 2);
    expect(got.batch_count).toBe(n);
    console.log(`schedule: ${n} txns all writing one slot (+1 more shared) analysed in ${ms.toFixed(1)} ms`);
  });
});
