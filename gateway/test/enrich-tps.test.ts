// TPS over 2.5 blocks (src/enrich/tps.ts): equals the Rust gateway's b1 + b2 + ⌊b3/2⌋ at
// 400 ms blocks, stays transactions per second at other block times, and handles rejected
// blocks, re-proposals, missed blocks and resets as README.md defines.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TpsTracker } from "../src/enrich/tps.js";

const MS = 1e6;

/** Runs committed blocks with the given txn counts and start times (ms); returns the TPS values. */
function feed(txns: number[], startsMs: number[], outcome: (i: number) => "end" | "reject" = () => "end", numbers?: number[]) {
  const t = new TpsTracker();
  return txns.map((n, i) => {
    const seqno = 1000 + i;
    const v = t.blockStart(seqno, numbers?.[i] ?? 100 + i, n, startsMs[i] * MS);
    if (outcome(i) === "end") t.blockEnd(seqno);
    else t.blockFailed(seqno);
    return v;
  });
}

describe("TPS", () => {
  it("equals the old b1 + b2 + ⌊b3/2⌋ exactly at 400 ms blocks", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 4, maxLength: 30 }), (txns) => {
        const out = feed(
          txns,
          txns.map((_, i) => 1_000_000 + 400 * i),
        );
        for (let i = 3; i < txns.length; i++) {
          const [b1, b2, b3] = [txns[i - 3], txns[i - 2], txns[i - 1]];
          expect(out[i].tps).toBe(b1 + b2 + Math.floor(b3 / 2));
          expect(out[i].tps_exact).toBe(b1 + b2 + b3 / 2);
          expect(out[i]).toMatchObject({ window_blocks: 2.5, block_interval_ms: 400, block_number: 100 + i });
        }
      }),
    );
  });

  it("is transactions per second at any block time", () => {
    // 200 ms blocks of 100 txns each: 500 txn/s (the old formula would say 250).
    const out = feed([100, 100, 100, 100, 100], [0, 200, 400, 600, 800]);
    expect(out[4].tps_exact).toBeCloseTo(500, 9);
    expect(out[4].block_interval_ms).toBe(200);
    // Irregular intervals: weighted txns / (2.5 × mean interval).
    const irregular = feed([10, 20, 30, 40], [0, 300, 700, 1200]);
    const weighted = 10 + 20 + 30 / 2;
    expect(irregular[3].tps_exact).toBeCloseTo(weighted / (2.5 * (1.2 / 3)), 9);
    expect(irregular[3].tps).toBe(Math.floor(irregular[3].tps_exact));
  });

  it("grows its window from empty: 0, then ½, 1½, 2½ blocks", () => {
    const out = feed([40, 40, 40, 40], [0, 400, 800, 1200]);
    expect(out.map((v) => v.window_blocks)).toEqual([0, 0.5, 1.5, 2.5]);
    expect(out[0]).toEqual({ tps: 0, tps_exact: 0, window_blocks: 0, block_interval_ms: 0, block_number: 100 });
    // Each partial window is still a rate: 40 txns per 400 ms = 100/s.
    for (const v of out.slice(1)) expect(v.tps_exact).toBeCloseTo(100, 9);
  });

  it("counts a rejected block as 0 transactions while its time still passes", () => {
    const out = feed([100, 100, 100, 100], [0, 400, 800, 1200], (i) => (i === 1 ? "reject" : "end"));
    // Window at the 4th start: blocks 0, 1 (rejected), 2 → 100 + 0 + 50 over 1 s.
    expect(out[3].tps_exact).toBe(150);
  });

  it("a re-proposal of the same number supersedes the earlier proposal", () => {
    // Block 101 is proposed twice (seqnos differ): the first proposal's txns do not count.
    const out = feed([100, 80, 90, 100, 0], [0, 400, 800, 1200, 1600], () => "end", [100, 101, 101, 102, 103]);
    expect(out[4].tps_exact).toBe(0 + 90 + 100 / 2); // window: 101 (superseded), 101, 102
  });

  it("restarts the window after missed blocks and after reset()", () => {
    const out = feed([50, 50, 50, 50, 50], [0, 400, 800, 1200, 1600], () => "end", [1, 2, 3, 10, 11]);
    expect(out[3].window_blocks).toBe(0); // 4..9 were never seen
    expect(out[4].window_blocks).toBe(0.5);
    const t = new TpsTracker();
    t.blockStart(1, 1, 10, 0);
    t.blockEnd(1);
    t.reset();
    expect(t.blockStart(2, 2, 10, 400 * MS).window_blocks).toBe(0);
    expect(t.latest?.block_number).toBe(2);
  });
});
