// The enrichments on the real 30-block capture (../shared/fixtures), checked against oracles
// written independently here from the decoded events (object form): lifecycle stages and times,
// every ContentionData field of every block, the schedule against a brute-force conflict check,
// TPS against its definition, top-accesses bounds, commit-stage stamping. Also measures the
// per-event cost of observe(). Skips when the capture is absent.
import { beforeAll, describe, expect, it } from "vitest";
import { decodeBatch, FlowTracker, type ExecEventObject } from "../src/decode/index.js";
import {
  Enricher,
  UNKNOWN_TXN_GAS,
  type ContentionData,
  type EnrichOutput,
  type LifecycleUpdate,
  type TpsData,
} from "../src/enrich/index.js";
import { FIXTURE_30B, fixturesMissing, snapshotRecords } from "./helpers/fixtures.js";

// Payload fields read by the oracles (object form of the decoders).
type P = Record<string, unknown> & { type: string };

interface Captured {
  batch: Buffer;
  offsets: number[];
  events: ExecEventObject[];
  outputs: { index: number; out: EnrichOutput }[];
  stages: (string | undefined)[];
  /** Batch assignment of each block's transactions, captured right after its BLOCK_END. */
  assignments: Map<number, number[]>;
  enricher: Enricher;
}

function load(): Captured {
  const { batch, offsets } = snapshotRecords(FIXTURE_30B);
  const decoded = decodeBatch(batch, new FlowTracker());
  expect(decoded.errors).toEqual([]);

  const enricher = new Enricher();
  const outputs: Captured["outputs"] = [];
  const stages: (string | undefined)[] = [];
  const assignments = new Map<number, number[]>();
  offsets.forEach((r, index) => {
    const n = enricher.observe(batch, r);
    stages.push(enricher.commitStage(batch, r));
    for (let i = 0; i < n; i++) {
      const out = enricher.outputs[i];
      outputs.push({ index, out });
      if (out.type === "ContentionData") {
        const txns = out.data.schedule.batches.reduce((s, x) => s + x, 0);
        assignments.set(
          out.data.block_number,
          Array.from({ length: txns }, (_, j) => enricher.contention.scheduledBatchOf(j)),
        );
      }
    }
  });
  return { batch, offsets, events: decoded.items, outputs, stages, assignments, enricher };
}

/** The events of each block (BLOCK_START … BLOCK_END), by block number. */
function blocks(events: ExecEventObject[]): Map<number, ExecEventObject[]> {
  const out = new Map<number, ExecEventObject[]>();
  let cur: ExecEventObject[] | undefined;
  for (const e of events) {
    if (e.event_name === "BlockStart") out.set(Number(e.block_number), (cur = []));
    if (["BlockQC", "BlockFinalized", "BlockVerified"].includes(e.event_name)) continue;
    cur?.push(e);
    if (e.event_name === "BlockEnd") cur = undefined;
  }
  return out;
}

const ns = (e: ExecEventObject) => BigInt(e.timestamp_ns);
const msDiff = (a: ExecEventObject, b: ExecEventObject) => Number(ns(b) - ns(a)) / 1e6;
const pay = (e: ExecEventObject) => e.payload as unknown as P;

/** ContentionData's old fields, computed the simplest possible way (strings, Sets, sorts). */
function contentionOracle(evs: ExecEventObject[]) {
  const slots = new Map<string, { address: string; slot: string; txns: Set<number>; accesses: number }>();
  const txnContracts = new Map<number, Set<string>>();
  const hdr = new Map<number, bigint>();
  const end = new Map<number, bigint>();
  const enter = new Map<number, bigint>();
  const exit = new Map<number, bigint>();
  let headers = 0;
  for (const e of evs) {
    const p = pay(e);
    if (e.event_name === "StorageAccess") {
      const k = `${p.address}:${p.key}`;
      let s = slots.get(k);
      if (s === undefined) slots.set(k, (s = { address: p.address as string, slot: p.key as string, txns: new Set(), accesses: 0 }));
      s.accesses++;
      if (e.txn_idx !== undefined) {
        s.txns.add(e.txn_idx);
        if (!txnContracts.has(e.txn_idx)) txnContracts.set(e.txn_idx, new Set());
        txnContracts.get(e.txn_idx)!.add(p.address as string);
      }
    }
    if (e.event_name === "TxnHeaderStart") {
      headers++;
      hdr.set(e.txn_idx!, ns(e));
    }
    if (e.event_name === "TxnEnd") end.set(e.txn_idx!, ns(e));
    if (e.event_name === "TxnPerfEvmEnter") enter.set(e.txn_idx!, ns(e));
    if (e.event_name === "TxnPerfEvmExit") exit.set(e.txn_idx!, ns(e));
  }
  const touched = [...slots.values()].filter((s) => s.txns.size >= 1);
  const contended = touched.filter((s) => s.txns.size >= 2);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const top_contended_slots = contended
    .sort((a, b) => b.txns.size - a.txns.size || b.accesses - a.accesses || cmp(a.address, b.address) || cmp(a.slot, b.slot))
    .slice(0, 20)
    .map((s) => ({ address: s.address, slot: s.slot, txn_count: s.txns.size, access_count: s.accesses }));
  const contracts = new Map<string, { total: number; contended: number; accesses: number }>();
  for (const s of touched) {
    const c = contracts.get(s.address) ?? { total: 0, contended: 0, accesses: 0 };
    c.total++;
    c.accesses += s.accesses;
    if (s.txns.size >= 2) c.contended++;
    contracts.set(s.address, c);
  }
  const top_contended_contracts = [...contracts]
    .filter(([, c]) => c.contended > 0)
    .sort(([a, x], [b, y]) => y.contended - x.contended || y.contended / y.total - x.contended / x.total || cmp(a, b))
    .slice(0, 15)
    .map(([address, c]) => ({
      address,
      total_slots: c.total,
      contended_slots: c.contended,
      total_accesses: c.accesses,
      contention_score: c.contended / c.total,
    }));
  const edgeCounts = new Map<string, number>();
  for (const set of txnContracts.values()) {
    const addrs = [...set].sort();
    for (let i = 0; i < addrs.length; i++)
      for (let j = i + 1; j < addrs.length; j++)
        edgeCounts.set(`${addrs[i]} ${addrs[j]}`, (edgeCounts.get(`${addrs[i]} ${addrs[j]}`) ?? 0) + 1);
  }
  const contract_edges = [...edgeCounts]
    .sort(([a, x], [b, y]) => y - x || cmp(a, b))
    .slice(0, 15)
    .map(([k, n]) => ({ contract_a: k.split(" ")[0], contract_b: k.split(" ")[1], shared_txn_count: n }));
  let txTime = 0n;
  for (const [t, s] of hdr) if (end.has(t) && end.get(t)! > s) txTime += end.get(t)! - s;
  let evmTime = 0n;
  for (const [t, s] of enter) if (exit.has(t) && exit.get(t)! > s) evmTime += exit.get(t)! - s;
  const wall = ns(evs.at(-1)!) - ns(evs[0]);
  const tx = Number(txTime);
  return {
    block_number: Number(evs[0].block_number),
    block_wall_time_ns: Number(wall),
    total_tx_time_ns: tx,
    parallel_efficiency_pct: tx > 0 ? (Math.max(0, tx - Number(wall)) / tx) * 100 : 0,
    total_unique_slots: touched.length,
    contended_slot_count: contended.length,
    contention_ratio: touched.length > 0 ? contended.length / touched.length : 0,
    total_txn_count: headers,
    top_contended_slots,
    top_contended_contracts,
    contract_edges,
    total_evm_time_ns: Number(evmTime),
  };
}

/** Read/write sets per txn (README definitions) and the pairwise conflict relation. */
function conflictsOracle(evs: ExecEventObject[]) {
  const start = pay(evs[0]);
  const n = Number(start.txn_count);
  const R = Array.from({ length: n }, () => new Set<string>());
  const W = Array.from({ length: n }, () => new Set<string>());
  const gas: number[] = new Array(n).fill(UNKNOWN_TXN_GAS);
  for (const e of evs) {
    const p = pay(e);
    const t = e.txn_idx;
    if (t === undefined) continue;
    if (e.event_name === "TxnEvmOutput") gas[t] = Number(p.gas_used);
    if (e.event_name === "StorageAccess" && !p.transient) (p.modified ? W : R)[t].add(`s:${p.address}:${p.key}`);
    if (e.event_name === "AccountAccess") {
      if (p.address !== start.beneficiary) (p.is_balance_modified ? W : R)[t].add(`b:${p.address}`);
      (p.is_nonce_modified ? W : R)[t].add(`n:${p.address}`);
    }
  }
  for (let j = 0; j < n; j++) for (const k of W[j]) R[j].delete(k);
  const meets = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));
  const conflict = (i: number, j: number) => meets(W[i], R[j]) || meets(W[i], W[j]) || meets(R[i], W[j]);
  return { n, gas, conflict };
}

describe.skipIf(fixturesMissing !== "")("enrichments on the 30-block capture", () => {
  let cap: Captured;
  let byBlock: Map<number, ExecEventObject[]>;
  beforeAll(() => {
    cap = load();
    byBlock = blocks(cap.events);
  });

  it("every block reaches the stages its QC / FINALIZED / VERIFIED events say, at their ring times", () => {
    expect(byBlock.size).toBe(30);
    const updates = cap.outputs
      .filter((o) => o.out.type === "Lifecycle")
      .map((o) => ({ index: o.index, u: o.out.data as LifecycleUpdate }));
    for (const [number, evs] of byBlock) {
      const start = evs[0];
      const consensus = cap.events.filter(
        (e) => ["BlockQC", "BlockFinalized", "BlockVerified"].includes(e.event_name) && Number(e.block_number) === number,
      );
      const mine = updates.filter((x) => x.u.block_number === number);
      const expectedStages = [
        "Proposed",
        ...consensus.map((e) => ({ BlockQC: "Voted", BlockFinalized: "Finalized", BlockVerified: "Verified" })[e.event_name as "BlockQC"]),
      ];
      expect(mine.map((x) => x.u.to_stage)).toEqual(expectedStages);
      mine.slice(1).forEach((x, i) => {
        expect(cap.events[x.index]).toBe(consensus[i]); // emitted right after its event
        expect(x.u.block_age_ms).toBeCloseTo(msDiff(start, consensus[i]), 6);
        expect(x.u.time_in_previous_stage_ms).toBeCloseTo(msDiff(i === 0 ? start : consensus[i - 1], consensus[i]), 6);
        expect(x.u.gas_used).toBe(Number(pay(evs.at(-1)!).gas_used));
        expect(x.u.block_hash).toBe(pay(start).block_id);
      });
      const summary = cap.enricher.lifecycleSummary(number)!;
      expect(summary.current_stage).toBe(expectedStages.at(-1));
      expect(summary.txn_count).toBe(Number(pay(start).txn_count));
      expect(summary.eth_block_hash).toBe(pay(evs.at(-1)!).eth_block_hash);
      expect(summary.execution_time_ms).toBeCloseTo(msDiff(start, evs.at(-1)!), 6);
    }
    // The last block has no BLOCK_VERIFIED in the capture.
    expect(cap.enricher.lifecycleSummary(15000030)!.current_stage).toBe("Finalized");
    expect(cap.enricher.lifecycleSummary(15000029)!.current_stage).toBe("Verified");
    expect(cap.enricher.activeLifecycleUpdates().map((u) => [u.block_number, u.to_stage])).toEqual([[15000030, "Finalized"]]);
  });

  it("stamps in-block events Proposed (execution ends before the QC) and consensus events with their new stage", () => {
    const want: Record<string, string> = { BlockQC: "Voted", BlockFinalized: "Finalized", BlockVerified: "Verified" };
    const wrong = cap.events
      .filter((e, i) => cap.stages[i] !== (want[e.event_name] ?? "Proposed"))
      .map((e) => `${e.event_name} #${e.seqno}`);
    expect(wrong).toEqual([]);
    expect(cap.stages).toHaveLength(136_891);
  });

  it("ContentionData of every block equals the independent oracle (block 15000001 by value too)", () => {
    const data = cap.outputs.filter((o) => o.out.type === "ContentionData").map((o) => o.out.data as ContentionData);
    expect(data.map((d) => d.block_number)).toEqual([...byBlock.keys()]);
    for (const d of data) {
      const { schedule, ...old } = d;
      const want = contentionOracle(byBlock.get(d.block_number)!);
      expect({ ...old, parallel_efficiency_pct: 0, contention_ratio: 0 }).toEqual({
        ...want,
        parallel_efficiency_pct: 0,
        contention_ratio: 0,
      });
      expect(old.parallel_efficiency_pct).toBeCloseTo(want.parallel_efficiency_pct, 9);
      expect(old.contention_ratio).toBeCloseTo(want.contention_ratio, 12);
      expect(Object.keys(d)).toEqual([
        "block_number",
        "block_wall_time_ns",
        "total_tx_time_ns",
        "parallel_efficiency_pct",
        "total_unique_slots",
        "contended_slot_count",
        "contention_ratio",
        "total_txn_count",
        "top_contended_slots",
        "top_contended_contracts",
        "contract_edges",
        "total_evm_time_ns",
        "schedule",
      ]);
      expect(schedule.batches.reduce((s, x) => s + x, 0)).toBe(d.total_txn_count);
    }
    const first = data[0];
    expect(first).toMatchObject({
      block_number: 15000001,
      total_txn_count: 229,
      block_wall_time_ns: 245_520_362,
      total_unique_slots: 1749,
      contended_slot_count: 92,
    });
    expect(first.top_contended_slots[0]).toEqual({
      address: "0xdac17f958d2ee523a2206206994597c13d831ec7",
      slot: "0x000000000000000000000000000000000000000000000000000000000000000a",
      txn_count: 52,
      access_count: 52,
    });
    console.log(
      "block 15000001:",
      JSON.stringify({
        ...first,
        top_contended_slots: first.top_contended_slots.length,
        top_contended_contracts: first.top_contended_contracts.length,
        contract_edges: first.contract_edges.length,
      }),
    );
  });

  it("schedule of every block: valid greedy batches of the brute-force conflict graph", () => {
    for (const [number, evs] of byBlock) {
      const found = cap.outputs.find((o) => o.out.type === "ContentionData" && o.out.data.block_number === number)!;
      const s = (found.out.data as ContentionData).schedule;
      const batchOf = cap.assignments.get(number)!;
      const { n, gas, conflict } = conflictsOracle(evs);
      expect(batchOf).toHaveLength(n);
      let edges = 0;
      const chainGas: number[] = [];
      for (let j = 0; j < n; j++) {
        expect(batchOf[j]).toBeGreaterThanOrEqual(1);
        let latest = 0;
        let heaviest = 0;
        for (let i = 0; i < j; i++) {
          if (!conflict(i, j)) continue;
          edges++;
          expect(batchOf[i]).not.toBe(batchOf[j]); // no two conflicting txns in one batch
          latest = Math.max(latest, batchOf[i]);
          heaviest = Math.max(heaviest, chainGas[i]);
        }
        expect(batchOf[j]).toBe(latest + 1); // the batch after its latest conflicting one
        chainGas.push(heaviest + gas[j]);
      }
      expect(s.conflict_edges).toBe(edges);
      expect(s.batch_count).toBe(Math.max(0, ...batchOf)); // = longest conflict chain, unweighted
      expect(s.critical_path_length).toBe(s.batch_count);
      expect(s.batches).toEqual(Array.from({ length: s.batch_count }, (_, b) => batchOf.filter((x) => x === b + 1).length));
      const total = gas.reduce((a, x) => a + x, 0);
      expect(s.total_gas).toBe(total);
      expect(s.critical_path_gas).toBe(Math.max(0, ...chainGas));
      for (const cores of [2, 4, 8, 16] as const) {
        expect(s.ideal_speedup[cores]).toBeGreaterThanOrEqual(1);
        expect(s.ideal_speedup[cores]).toBeLessThanOrEqual(cores);
        expect(s.ideal_speedup[cores]).toBeCloseTo(total > 0 ? total / Math.max(s.critical_path_gas, total / cores) : 1, 9);
      }
    }
  });

  it("TPS on every BLOCK_START follows the definition, from ring timestamps", () => {
    const tps = cap.outputs.filter((o) => o.out.type === "TPS").map((o) => o.out.data as TpsData);
    const starts = [...byBlock.values()].map((evs) => evs[0]);
    expect(tps).toHaveLength(30);
    tps.forEach((v, i) => {
      const window = starts.slice(Math.max(0, i - 3), i);
      expect(v.block_number).toBe(Number(starts[i].block_number));
      if (window.length === 0) return expect(v).toMatchObject({ tps: 0, window_blocks: 0 });
      const w = window.map((_, k) => (k === window.length - 1 ? 0.5 : 1));
      const weighted = window.reduce((s, e, k) => s + w[k] * Number(pay(e).txn_count), 0);
      const spanS = Number(ns(starts[i]) - ns(window[0])) / 1e9;
      const exact = weighted / (w.reduce((a, x) => a + x, 0) * (spanS / window.length));
      expect(v.tps_exact).toBeCloseTo(exact, 6);
      expect(v.tps).toBe(Math.floor(v.tps_exact));
      expect(v.block_interval_ms).toBeCloseTo((spanS * 1000) / window.length, 6);
    });
  });

  it("top accesses never underestimate and bound their error", () => {
    const exactAccounts = new Map<string, number>();
    const exactSlots = new Map<string, number>();
    for (const e of cap.events) {
      const p = pay(e);
      if (e.event_name === "AccountAccess") exactAccounts.set(p.address as string, (exactAccounts.get(p.address as string) ?? 0) + 1);
      if (e.event_name === "StorageAccess") exactSlots.set(`${p.address},${p.key}`, (exactSlots.get(`${p.address},${p.key}`) ?? 0) + 1);
    }
    const top = cap.enricher.topAccesses.detailed();
    expect(top.account).toHaveLength(10);
    for (const e of top.account) {
      const c = exactAccounts.get(e.key)!;
      expect(e.count).toBeGreaterThanOrEqual(c);
      expect(e.count - e.error).toBeLessThanOrEqual(c);
    }
    for (const e of top.storage) {
      const c = exactSlots.get(e.key.join(","))!;
      expect(e.count).toBeGreaterThanOrEqual(c);
      expect(e.count - e.error).toBeLessThanOrEqual(c);
    }
    // The exact most accessed account (the beneficiary, once per transaction) leads, exactly.
    const [bestKey, bestCount] = [...exactAccounts].sort((a, b) => b[1] - a[1])[0];
    expect(top.account[0]).toMatchObject({ key: bestKey, count: bestCount, error: 0 });
    // The frame after the last BLOCK_END has the wire shape.
    const last = cap.outputs.filter((o) => o.out.type === "TopAccesses").at(-1)!.out.data;
    expect(last).toEqual({
      account: top.account.map(({ key, count }) => ({ key, count })),
      storage: top.storage.map(({ key, count }) => ({ key, count })),
    });
  });

  it("measures the per-event cost of observe() (report only, no timed assertion)", () => {
    let best = Infinity;
    for (let rep = 0; rep < 8; rep++) {
      const e = new Enricher();
      const t0 = process.hrtime.bigint();
      for (const r of cap.offsets) e.observe(cap.batch, r);
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
    }
    const perEvent = best / cap.offsets.length;
    console.log(
      `observe(): ${cap.offsets.length} events in ${(best / 1e6).toFixed(1)} ms = ${perEvent.toFixed(0)} ns/event, ${(1e3 / perEvent).toFixed(2)} M events/s (one core, best of 8)`,
    );
    expect(perEvent).toBeGreaterThan(0);
  });
});
