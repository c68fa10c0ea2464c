// Storage contention: the configured hot slots are shared by about `hotFraction` of the
// transactions, with reads and writes as configured; everything else is spread thin.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { ManualClock, MemorySink, Simulator, type SimulatorOptions } from "../src/producers/sim/index.js";
import { bytes, num, type RecordView } from "../src/producers/sim/record-view.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

async function run(opts: SimulatorOptions) {
  const sink = new MemorySink();
  const sim = new Simulator(sink, { genesisTimeMs: 0, rejectProbabilities: { txnReject: 0, blockReject: 0 }, ...opts }, { clock: new ManualClock() });
  await sim.start();
  const hotKeys = new Set(sim.model.hot.slots.map((s) => hex(s.contract.address) + ":" + hex(s.key)));
  // slot → txns touching it; per txn: whether it touched a hot slot; per hot access: modified?
  const txnsPerSlot = new Map<string, Set<string>>();
  const hotTxns = new Set<string>();
  const txns = new Set<string>();
  let hotReads = 0;
  let hotWrites = 0;
  for (const v of sink.views()) {
    if (v.type === T.TXN_HEADER_START) txns.add(`${v.blockSeqno}:${v.txnId}`);
    if (v.type !== T.STORAGE_ACCESS || v.txnId === 0 || num(v, "transient")) continue;
    const slot = hex(bytes(v, "address")) + ":" + hex(bytes(v, "key"));
    const txn = `${v.blockSeqno}:${v.txnId}`;
    let s = txnsPerSlot.get(slot);
    if (s === undefined) txnsPerSlot.set(slot, (s = new Set()));
    s.add(txn);
    if (hotKeys.has(slot)) {
      hotTxns.add(txn);
      if (num(v, "modified")) hotWrites++;
      else hotReads++;
    }
  }
  return { sim, hotKeys, txnsPerSlot, hotTxns, txns, hotReads, hotWrites };
}

describe("contention", () => {
  it("builds the configured hot set: contracts alternate token / pool, slots spread over them", async () => {
    const { sim } = await run({ seed: 1, maxBlocks: 1, contention: { hotContracts: 5, hotSlots: 13 } });
    const hot = sim.model.hot;
    expect(hot.slots).toHaveLength(13);
    expect(hot.contracts).toHaveLength(5);
    expect(hot.slots.map((s) => s.kind).filter((k, i, a) => a.indexOf(k) === i).sort()).toEqual(["pool", "token"]);
    const w = sim.model.world;
    expect(hot.contracts).toEqual([w.tokens[0], w.pools[0].account, w.tokens[1], w.pools[1].account, w.tokens[2]]);
    for (const c of hot.contracts) expect(hot.slots.filter((s) => s.contract === c).length).toBeGreaterThanOrEqual(2);
    // A hot token's first hot slot is its pool's balance entry: pool swaps hit the token too.
    expect(hex(hot.slots.find((s) => s.contract === w.tokens[0])!.key)).toBe(hex(w.balanceKey(w.pools[0].account)));
  });

  it("makes about hotFraction of the transactions share the hot slots, which are the most shared ones", async () => {
    const { sim, hotKeys, txnsPerSlot, hotTxns, txns } = await run({
      seed: 2,
      maxBlocks: 40,
      txnsPerBlock: 80,
      contention: { hotContracts: 2, hotSlots: 8, hotFraction: 0.4 },
    });
    const share = hotTxns.size / txns.size;
    expect(share).toBeGreaterThan(0.33);
    expect(share).toBeLessThan(0.5);
    const ranked = [...txnsPerSlot.entries()].sort((a, b) => b[1].size - a[1].size);
    // Every hot slot is hit by many transactions ...
    for (const k of hotKeys) expect(txnsPerSlot.get(k)?.size ?? 0).toBeGreaterThan(60);
    // ... and they, plus the slots a hot pool's swaps necessarily share (its balance entry in the
    // token it pairs with), are exactly the most contended slots of the run.
    const coupled = new Set(sim.model.hot.coupled.map((c) => hex(c.contract.address) + ":" + hex(c.key)));
    expect(coupled.size).toBe(1);
    const expected = new Set([...hotKeys, ...coupled]);
    expect(new Set(ranked.slice(0, expected.size).map(([k]) => k))).toEqual(expected);
    expect(ranked[expected.size][1].size).toBeLessThan(60);
    // Cold slots are spread thin.
    const cold = ranked.filter(([k]) => !expected.has(k)).map(([, s]) => s.size);
    expect(cold[Math.floor(cold.length / 2)]).toBeLessThanOrEqual(2);
  });

  it("hotFraction 0 or hotContracts 0 leaves no hot traffic", async () => {
    const a = await run({ seed: 3, maxBlocks: 20, contention: { hotFraction: 0 } });
    expect(a.hotTxns.size).toBe(0);
    const b = await run({ seed: 3, maxBlocks: 20, contention: { hotContracts: 0 } });
    expect(b.hotKeys.size).toBe(0);
  });

  it("honours writeFraction: 0 → hot slots only read, 1 → (almost) always written", async () => {
    const reads = await run({ seed: 4, maxBlocks: 20, contention: { hotFraction: 0.5, writeFraction: 0 } });
    expect(reads.hotReads).toBeGreaterThan(100);
    expect(reads.hotWrites).toBe(0);
    const writes = await run({ seed: 4, maxBlocks: 20, contention: { hotFraction: 0.5, writeFraction: 1 }, transactions: { revertProbability: 0 } });
    expect(writes.hotWrites / (writes.hotWrites + writes.hotReads)).toBeGreaterThan(0.9);
  });

  it("keeps hot slot values consistent: each access starts from the previous committed end value", async () => {
    const sink = new MemorySink();
    const sim = new Simulator(sink, { seed: 5, maxBlocks: 30, genesisTimeMs: 0, contention: { hotFraction: 0.6 }, rejectProbabilities: { blockReject: 0.1, txnReject: 0.002 } }, { clock: new ManualClock() });
    await sim.start();
    const hotKeys = new Set(sim.model.hot.slots.map((s) => hex(s.contract.address) + ":" + hex(s.key)));
    const value = new Map<string, string>();
    let pending = new Map<string, string>();
    let checked = 0;
    // Transactions take effect in index order; their records may interleave, so group by txn.
    let byTxn: RecordView[][] = [];
    for (const v of sink.views()) {
      if (v.type === T.BLOCK_START) {
        pending = new Map(value);
        byTxn = [];
      }
      if (v.type === T.STORAGE_ACCESS && v.txnId > 0) (byTxn[v.txnId] ??= []).push(v);
      if (v.type !== T.BLOCK_END && v.type !== T.BLOCK_REJECT && !(v.type === T.EVM_ERROR && v.txnId === 0)) continue;
      for (const list of byTxn) {
        for (const s of list ?? []) {
          if (num(s, "transient")) continue;
          const k = hex(bytes(s, "address")) + ":" + hex(bytes(s, "key"));
          if (!hotKeys.has(k)) continue;
          const start = hex(bytes(s, "value"));
          if (pending.has(k)) {
            expect(start).toBe(pending.get(k));
            checked++;
          }
          pending.set(k, num(s, "modified") ? hex(bytes(s, "end_value")) : start);
        }
      }
      // Only a committed block's writes survive; a failed block is re-proposed from the old state.
      if (v.type === T.BLOCK_END) for (const [k, x] of pending) value.set(k, x);
    }
    expect(checked).toBeGreaterThan(300);
  });
});
