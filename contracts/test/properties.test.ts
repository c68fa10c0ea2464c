// Property tests (fast-check) of the arithmetic the contracts rest on, run on the EVM through small
// harness contracts and compared with independent TypeScript models.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Chain, type Contract } from "./helpers/chain.js";
import { vestedAt, type StoredStream } from "./helpers/model.js";
import { Metric, type MetricRule, type SLA } from "./helpers/system.js";

let chain: Chain;
let math: Contract;
let log: Contract;
let sla: Contract;

beforeAll(async () => {
  chain = await Chain.start();
  math = await chain.deploy("StreamMathHarness");
  log = await chain.deploy("SevereLogHarness");
  sla = await chain.deploy("SLAHarness");
}, 60_000);
afterAll(async () => chain?.stop());

const U128 = 2n ** 128n - 1n;

describe("StreamMath: linear vesting with refunds of the unvested remainder", () => {
  const scenario = fc.record({
    deposit: fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 1n, max: U128 })),
    start: fc.bigInt({ min: 1n, max: 2n ** 39n }),
    duration: fc.oneof(fc.bigInt({ min: 1n, max: 100n }), fc.bigInt({ min: 1n, max: 2n ** 32n })),
    // Refund times as fractions of [start - 10%, stop + 10%], in order; bps in [0, 10000].
    refunds: fc.array(fc.record({ at: fc.double({ min: -0.1, max: 1.1, noNaN: true }), bps: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 4 }),
    probes: fc.array(fc.double({ min: -0.1, max: 1.2, noNaN: true }), { minLength: 1, maxLength: 5 }),
  });

  it("never decreases, never exceeds what is left, ends exactly at deposit - refunded, and matches the model", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ deposit, start, duration, refunds, probes }) => {
        const stop = start + duration;
        const time = (f: number) => {
          const t = start + BigInt(Math.floor(f * Number(duration)));
          return t < 0n ? 0n : t;
        };
        await math.write("init", [deposit, start, stop]);
        let lastVested = 0n;
        let lastT = 0n;
        let refunded = 0n;
        for (const { at, bps } of [...refunds].sort((a, b) => a.at - b.at)) {
          const t = time(at) < lastT ? lastT : time(at);
          const before = await math.read<bigint>("vestedAt", [t]);
          const unvested = await math.read<bigint>("unvestedAt", [t]);
          expect(before + unvested + refunded).toBe(deposit);
          expect(before).toBeGreaterThanOrEqual(lastVested);
          await math.write("refundAt", [t, bps]);
          const amount = (unvested * BigInt(bps)) / 10_000n;
          refunded += amount;
          const s = await math.read<StoredStream>("get");
          expect(s.refunded).toBe(refunded);
          // The refund came out of the unvested part only: what had vested is unchanged.
          expect(await math.read("vestedAt", [t])).toBe(before);
          lastVested = before;
          lastT = t;
        }
        const s = await math.read<StoredStream>("get");
        for (const f of [...probes].sort((a, b) => a - b)) {
          const t = time(f) < lastT ? lastT : time(f);
          const v = await math.read<bigint>("vestedAt", [t]);
          expect(v).toBe(vestedAt(s, t));
          expect(v).toBeGreaterThanOrEqual(lastVested);
          expect(v).toBeLessThanOrEqual(deposit - refunded);
          lastVested = v;
          lastT = t;
        }
        expect(await math.read("vestedAt", [stop])).toBe(deposit - refunded);
        expect(await math.read("unvestedAt", [stop + 1n])).toBe(0n);
      }),
      { numRuns: 60 },
    );
  });
});

describe("SevereLog: the recent severe breaches of a stream", () => {
  const entries = (packed: bigint) => Array.from({ length: 8 }, (_, i) => Number((packed >> BigInt(32 * i)) & 0xffffffffn));
  const pack = (es: number[]) => es.reduce((acc, e, i) => acc | (BigInt(e) << BigInt(32 * i)), 0n);

  /** Brute force: the largest set of logged windows plus `w` whose spread is under `period`. */
  function largestGroup(es: number[], w: number, ws: number, period: number): number {
    const logged = es.filter((e) => e !== 0);
    let best = 0;
    for (let mask = 0; mask < 1 << logged.length; mask++) {
      const group = [w, ...logged.filter((_, i) => mask & (1 << i))];
      if ((Math.max(...group) - Math.min(...group)) * ws < period) best = Math.max(best, group.length);
    }
    return best;
  }

  const logArb = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })), { minLength: 8, maxLength: 8 });

  it("finds the largest burst that includes the new breach", async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.integer({ min: 1, max: 60 }), fc.constantFrom(60, 300, 3600), fc.integer({ min: 1, max: 20_000 }), async (es, w, ws, period) => {
        const got = await log.read<bigint>("clusterWith", [pack(es), w, BigInt(ws), BigInt(period)]);
        expect(Number(got)).toBe(largestGroup(es, w, ws, period));
      }),
      { numRuns: 150 },
    );
  });

  it("keeps the 8 latest windows", async () => {
    await fc.assert(
      fc.asyncProperty(logArb, fc.integer({ min: 1, max: 60 }), async (es, w) => {
        const out = entries(await log.read<bigint>("insert", [pack(es), w]));
        const expected = [...es];
        const empty = expected.indexOf(0);
        if (empty >= 0) expected[empty] = w;
        else {
          const oldest = Math.min(...expected);
          if (w > oldest) expected[expected.indexOf(oldest)] = w;
        }
        expect(out).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe("SLA: grading and validation", () => {
  const ruleArb = fc.record({ enabled: fc.boolean(), breach: fc.nat({ max: 12_000 }), tier2: fc.nat({ max: 12_000 }), tier3: fc.nat({ max: 12_000 }) });
  const metricArb = fc.constantFrom(Metric.LatencyMs, Metric.UptimeBps, Metric.ErrorRateBps, Metric.JitterMs);

  function tierModel(rule: MetricRule, metric: Metric, value: number): number {
    if (!rule.enabled) return 0;
    const worse = (bound: number) => (metric === Metric.UptimeBps ? value < bound : value > bound);
    return worse(rule.tier3) ? 3 : worse(rule.tier2) ? 2 : worse(rule.breach) ? 1 : 0;
  }

  it("grades each metric in its own direction", async () => {
    await fc.assert(
      fc.asyncProperty(ruleArb, metricArb, fc.nat({ max: 12_000 }), async (rule, metric, value) => {
        const [tier, bound] = await sla.read<[number, number]>("tierOf", [rule, metric, value]);
        const expected = tierModel(rule, metric, value);
        expect(tier).toBe(expected);
        expect(bound).toBe([0, rule.breach, rule.tier2, rule.tier3][expected]);
      }),
      { numRuns: 150 },
    );
  });

  it("never grades a worse value lower, for any valid (ordered) rule", async () => {
    const ordered = fc.tuple(metricArb, fc.array(fc.nat({ max: 10_000 }), { minLength: 3, maxLength: 3 })).map(([metric, v]) => {
      const [breach, tier2, tier3] = metric === Metric.UptimeBps ? [...v].sort((a, b) => b - a) : [...v].sort((a, b) => a - b);
      return { metric, rule: { enabled: true, breach, tier2, tier3 } };
    });
    await fc.assert(
      fc.asyncProperty(ordered, fc.nat({ max: 10_000 }), fc.nat({ max: 2000 }), async ({ metric, rule }, value, delta) => {
        const worse = metric === Metric.UptimeBps ? Math.max(0, value - delta) : value + delta;
        const [tier] = await sla.read<[number, number]>("tierOf", [rule, metric, value]);
        const [worseTier] = await sla.read<[number, number]>("tierOf", [rule, metric, worse]);
        expect(worseTier).toBeGreaterThanOrEqual(tier);
      }),
      { numRuns: 150 },
    );
  });

  function validModel(s: SLA): boolean {
    let any = false;
    for (let m = 0; m < 4; m++) {
      const r = s.rules[m];
      if (!r.enabled) continue;
      any = true;
      const ordered = m === Metric.UptimeBps ? r.breach >= r.tier2 && r.tier2 >= r.tier3 : r.breach <= r.tier2 && r.tier2 <= r.tier3;
      const bps = m === Metric.UptimeBps || m === Metric.ErrorRateBps;
      if (!ordered || (bps && Math.max(r.breach, r.tier2, r.tier3) > 10_000)) return false;
    }
    const [a, b, c] = s.refundBps;
    return any && a <= b && b <= c && c <= 10_000 && s.windowSeconds >= 60 && s.windowSeconds <= 30 * 86400 && s.severeLimit <= 8 && !(s.severeLimit > 0 && s.severePeriod === 0);
  }

  it("accepts exactly the SLAs the model calls valid", async () => {
    const slaArb = fc.record({
      rules: fc.tuple(ruleArb, ruleArb, ruleArb, ruleArb),
      refundBps: fc.tuple(fc.nat({ max: 11_000 }), fc.nat({ max: 11_000 }), fc.nat({ max: 11_000 })),
      windowSeconds: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 31 * 86400 })),
      severeLimit: fc.nat({ max: 10 }),
      severePeriod: fc.oneof(fc.constant(0), fc.nat({ max: 100_000 })),
    });
    await fc.assert(
      fc.asyncProperty(slaArb, async (s) => {
        const ok = await sla.read("validate", [s]).then(
          () => true,
          () => false,
        );
        expect(ok).toBe(validModel(s as unknown as SLA));
      }),
      { numRuns: 200 },
    );
  });
});
