// The simulator against the real captures in ../shared/fixtures (skipped when they are absent):
// the stream checker must accept real node output (so its rules are real, not idealised), and
// each simulated record order must interleave transactions the way its capture does.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { ExecStreamChecker, ManualClock, MemorySink, Simulator, type SimulatorOptions } from "../src/producers/sim/index.js";
import { splitBlocks, type RecordView } from "../src/producers/sim/record-view.js";
import { FIXTURE_1B, FIXTURE_30B, fixturesSkipReason, loadSnapshot, snapshotToBatch } from "./helpers/snapshot-js.js";

const skip = fixturesSkipReason();

async function fixtureViews(file: string): Promise<{ batch: Buffer; views: RecordView[] }> {
  const batch = snapshotToBatch(await loadSnapshot(file));
  const sink = new MemorySink();
  sink.batches.push(batch);
  return { batch, views: sink.views() };
}

async function simViews(opts: SimulatorOptions): Promise<RecordView[]> {
  const sink = new MemorySink();
  await new Simulator(sink, { seed: 1, genesisTimeMs: 0, rejectProbabilities: { txnReject: 0, blockReject: 0 }, ...opts }, { clock: new ManualClock() }).start();
  return sink.views();
}

/** Fraction of transactions (or transaction pairs) with each ordering property. */
function orderProfile(views: RecordView[]): Record<string, number> {
  const count: Record<string, [number, number]> = {};
  const add = (k: string, yes: boolean) => {
    const c = (count[k] ??= [0, 0]);
    c[yes ? 0 : 1]++;
  };
  for (const b of splitBlocks(views).blocks) {
    const pos = new Map<string, number>();
    b.events.forEach((e, i) => pos.has(`${e.txnId}:${e.type}`) || pos.set(`${e.txnId}:${e.type}`, i));
    const at = (t: number, type: T) => pos.get(`${t}:${type}`);
    const n = b.events.filter((e) => e.type === T.TXN_HEADER_START).length;
    const contiguous = (t: number, from: number, to: number) => b.events.slice(from, to + 1).every((e) => e.txnId === t);
    for (let t = 1; t <= n; t++) {
      const [enter, exit, hs, he, out, end] = [T.TXN_PERF_EVM_ENTER, T.TXN_PERF_EVM_EXIT, T.TXN_HEADER_START, T.TXN_HEADER_END, T.TXN_EVM_OUTPUT, T.TXN_END].map((x) => at(t, x));
      add("enter before header", enter! < hs!);
      add("exit before header", exit! < hs!);
      add("header contiguous", contiguous(t, hs!, he!));
      if (t > 1) add("headers in index order", hs! > at(t - 1, T.TXN_HEADER_START)!);
      if (out === undefined || end === undefined) continue;
      add("exit right after end", exit === end + 1);
      add("output contiguous", contiguous(t, out, end));
      add("header right before output", he! + 1 === out);
      if (t > 1 && at(t - 1, T.TXN_END) !== undefined) add("output after previous end", out > at(t - 1, T.TXN_END)!);
    }
  }
  return Object.fromEntries(Object.entries(count).map(([k, [yes, no]]) => [k, yes / (yes + no)]));
}

/** Same "always" / "never" properties, and "sometimes" ones within `tolerance`. */
function expectSimilar(sim: Record<string, number>, real: Record<string, number>, tolerance: number): void {
  expect(Object.keys(sim).sort()).toEqual(Object.keys(real).sort());
  for (const k of Object.keys(real)) {
    const r = real[k];
    const s = sim[k];
    if (r === 0 || r === 1) expect(s, k).toBe(r);
    else expect(Math.abs(s - r), `${k}: simulated ${s.toFixed(2)}, real ${r.toFixed(2)}`).toBeLessThan(tolerance);
  }
}

describe.skipIf(skip !== undefined)("real captures", () => {
  it.each([
    ["1-block", FIXTURE_1B, 1, 229],
    ["30-block", FIXTURE_30B, 30, 6187],
  ] as const)("the stream checker accepts the %s capture", async (_name, file, blocks, txns) => {
    const { batch } = await fixtureViews(file);
    const c = new ExecStreamChecker();
    c.feedBatch(batch);
    expect(c.finish()).toEqual([]);
    expect(c.blocks).toBe(blocks);
    expect(c.txns).toBe(txns);
  });

  it('"overlapped" interleaves transactions like the 30-block capture', async () => {
    const real = orderProfile((await fixtureViews(FIXTURE_30B)).views);
    const sim = orderProfile(await simViews({ maxBlocks: 30, txnsPerBlock: 200, recordOrder: "overlapped" }));
    expectSimilar(sim, real, 0.15);
  });

  it('"headers-first" interleaves transactions like the 1-block capture', async () => {
    const real = orderProfile((await fixtureViews(FIXTURE_1B)).views);
    const sim = orderProfile(await simViews({ maxBlocks: 10, txnsPerBlock: 229, recordOrder: "headers-first" }));
    expectSimilar(sim, real, 0.2);
  });
});
