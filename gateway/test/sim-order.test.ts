// Event order of the simulated chain (reference §2.4) and flow ids (§1.4), checked with the
// stream checker; and the checker itself, against deliberately broken streams, so a clean
// result means something.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { recordSize, REC_ACCOUNT_INDEX, REC_BLOCK_SEQNO, REC_PAYLOAD_SIZE, REC_SEQNO, DESCRIPTOR_SIZE } from "../src/ring/event-record.js";
import { fieldOffset } from "../src/decode/layouts.js";
import { ExecStreamChecker, ManualClock, MemorySink, Simulator, type SimulatorOptions } from "../src/producers/sim/index.js";
import { bytes, num, viewRecord, type RecordView } from "../src/producers/sim/record-view.js";

const GENESIS = 1_767_225_600_000;

/** Failure paths, EIP-7702, access lists, reverts and heavy contention all turned up. */
const STRESS: SimulatorOptions = {
  txnsPerBlock: { min: 0, max: 60 },
  rejectProbabilities: { txnReject: 0.003, txnEvmError: 0.002, blockReject: 0.05, blockEvmError: 0.03 },
  transactions: { accessListProbability: 0.4, eip7702Probability: 0.2, revertProbability: 0.1 },
  contention: { hotContracts: 4, hotSlots: 12, hotFraction: 0.8, maxHotSlotsPerTxn: 8 },
};

async function run(opts: SimulatorOptions): Promise<{ sink: MemorySink; sim: Simulator }> {
  const sink = new MemorySink(opts.startSeqno ?? 0);
  const sim = new Simulator(sink, { genesisTimeMs: GENESIS, ...opts }, { clock: new ManualClock() });
  await sim.start();
  return { sink, sim };
}

function check(sink: MemorySink): ExecStreamChecker {
  const c = new ExecStreamChecker();
  for (const b of sink.batches) c.feedBatch(b);
  c.finish();
  return c;
}

/** Copies of every record, so tests can reorder / corrupt them. */
function copies(sink: MemorySink): Buffer[] {
  const out: Buffer[] = [];
  for (const { buf, off } of sink.records()) out.push(Buffer.from(buf.subarray(off, off + recordSize(buf.readUInt32LE(off + REC_PAYLOAD_SIZE)))));
  return out;
}

function checkCopies(records: Buffer[]): string[] {
  const c = new ExecStreamChecker();
  // Renumber so only the semantic change is under test, not the seqno gap it would cause.
  records.forEach((r, i) => {
    r.writeBigUInt64LE(BigInt(i + 1), REC_SEQNO);
    c.feed(r, 0);
  });
  return c.finish();
}

describe("simulated event order", () => {
  it.each([1, 2, 3])("seed %i: every block and transaction follows the recorder's order, with correct flow ids", async (seed) => {
    const { sink, sim } = await run({ ...STRESS, seed, maxBlocks: 40 });
    const c = check(sink);
    expect(c.violations).toEqual([]);
    expect(c.blocks).toBe(40);
    expect(c.txns).toBe(sim.stats().txns);
    expect(c.events).toBe(sink.eventCount);
    expect(sim.stats().failedBlocks).toBeGreaterThan(0);
  });

  it("uses every exec event type except RECORD_ERROR", async () => {
    const { sink } = await run({ ...STRESS, rejectProbabilities: { txnReject: 0.003, txnEvmError: 0.002, blockReject: 0.15, blockEvmError: 0.05 }, seed: 9, maxBlocks: 60 });
    const seen = new Set(sink.views().map((v) => v.type));
    for (let t = T.BLOCK_START; t <= T.EVM_ERROR; t++) expect(seen.has(t), T[t]).toBe(true);
  });

  /** Position of each transaction's records: pos(txnId, type) (first occurrence), per block. */
  function positions(views: RecordView[]) {
    const blocks: { pos: Map<string, number>; txns: number; views: RecordView[] }[] = [];
    for (const v of views) {
      if (v.type === T.BLOCK_START) blocks.push({ pos: new Map(), txns: 0, views: [] });
      const b = blocks[blocks.length - 1];
      if (v.blockSeqno === 0 || b === undefined) continue;
      const i = b.views.length;
      b.views.push(v);
      const k = `${v.txnId}:${v.type}`;
      if (!b.pos.has(k)) b.pos.set(k, i);
      if (v.type === T.TXN_HEADER_START) b.txns++;
    }
    return blocks.map((b) => ({ ...b, at: (t: number, type: T) => b.pos.get(`${t}:${type}`)! }));
  }

  it("records overlapped transactions like the 30-block capture: ENTER at start, EXIT before the commit records, neighbours interleaved", async () => {
    const { sink } = await run({ seed: 4, maxBlocks: 10, txnsPerBlock: 50, recordOrder: "overlapped" });
    let interleaved = 0;
    let enterBeforeEarlierHeader = 0;
    for (const b of positions(sink.views())) {
      expect(b.txns).toBe(50);
      for (let t = 1; t <= b.txns; t++) {
        const enter = b.at(t, T.TXN_PERF_EVM_ENTER);
        const exit = b.at(t, T.TXN_PERF_EVM_EXIT);
        const hs = b.at(t, T.TXN_HEADER_START);
        const end = b.at(t, T.TXN_END);
        expect(enter).toBeLessThan(exit);
        expect(exit).toBeLessThan(hs);
        if (t > 1 && enter < b.at(t - 1, T.TXN_HEADER_START)) enterBeforeEarlierHeader++;
        for (let i = hs; i <= end; i++) if (b.views[i].txnId !== t) interleaved++;
      }
    }
    expect(enterBeforeEarlierHeader).toBeGreaterThan(400);
    expect(interleaved).toBeGreaterThan(500);
  });

  it("records headers-first like the 1-block capture: headers interleave at start, outputs contiguous at commit, EXIT right after TXN_END", async () => {
    const { sink } = await run({ seed: 4, maxBlocks: 10, txnsPerBlock: 50, recordOrder: "headers-first" });
    let headersInterleaved = 0;
    for (const b of positions(sink.views())) {
      for (let t = 1; t <= b.txns; t++) {
        const out = b.at(t, T.TXN_EVM_OUTPUT);
        const end = b.at(t, T.TXN_END);
        expect(b.at(t, T.TXN_PERF_EVM_ENTER)).toBeLessThan(b.at(t, T.TXN_HEADER_START));
        expect(b.at(t, T.TXN_PERF_EVM_EXIT)).toBe(end + 1);
        for (let i = out; i <= end; i++) expect(b.views[i].txnId).toBe(t);
        if (t > 1 && out < b.at(t - 1, T.TXN_END)) throw new Error("outputs out of order");
        for (let i = b.at(t, T.TXN_HEADER_START); i <= b.at(t, T.TXN_HEADER_END); i++) if (b.views[i].txnId !== t) headersInterleaved++;
      }
    }
    expect(headersInterleaved).toBeGreaterThan(20);
  });

  it("keeps flow ids right across batch boundaries inside blocks and with a non-empty ring", async () => {
    const { sink } = await run({ seed: 5, maxBlocks: 8, batch: { maxEvents: 7 }, startSeqno: 1000 });
    expect(Math.max(...sink.counts)).toBeLessThanOrEqual(7);
    const first = viewRecord(sink.batches[0], 0);
    expect(first.seqno).toBe(1001);
    expect(first.type).toBe(T.BLOCK_START);
    expect(first.blockSeqno).toBe(1001);
    expect(check(sink).violations).toEqual([]);
  });
});

describe("content_ext, checked directly", () => {
  it.each(["overlapped", "headers-first"] as const)("%s: block flow = BLOCK_START seqno, txn flow = index + 1, account index → owning ACCOUNT_ACCESS", async (recordOrder) => {
    const { sink } = await run({ ...STRESS, seed: 6, maxBlocks: 15, recordOrder });
    let blockStart = 0;
    let headers = new Set<number>();
    let txnCount = 0;
    // Access lists per txn flow id (0 = prologue / epilogue): transactions interleave.
    let accounts = new Map<number, RecordView[]>();
    let storageChecked = 0;
    for (const v of sink.views()) {
      expect(v.ext3).toBe(0);
      if (v.type === T.BLOCK_QC || v.type === T.BLOCK_FINALIZED || v.type === T.BLOCK_VERIFIED) {
        expect([v.blockSeqno, v.txnId, v.accountIndex]).toEqual([0, 0, 0]);
        continue;
      }
      if (v.type === T.BLOCK_START) {
        blockStart = v.seqno;
        txnCount = num(v, "txn_count");
        headers = new Set();
        accounts = new Map();
      }
      expect(v.blockSeqno).toBe(blockStart);
      expect(v.txnId).toBeLessThanOrEqual(txnCount);
      if (v.type === T.TXN_HEADER_START) headers.add(v.txnId);
      if (v.txnId > 0) expect(headers.has(v.txnId) || v.type === T.TXN_PERF_EVM_ENTER || v.type === T.TXN_PERF_EVM_EXIT).toBe(true);
      if (v.type === T.ACCOUNT_ACCESS_LIST_HEADER) accounts.set(v.txnId, []);
      if (v.type === T.ACCOUNT_ACCESS) accounts.get(v.txnId)!.push(v);
      if (v.type === T.STORAGE_ACCESS) {
        const owner = accounts.get(v.txnId)![v.accountIndex];
        expect(bytes(v, "address").equals(bytes(owner, "address"))).toBe(true);
        expect(num(owner, "index")).toBe(v.accountIndex);
        storageChecked++;
      } else {
        expect(v.accountIndex).toBe(0);
      }
      const blockScoped = v.type === T.BLOCK_START || v.type === T.BLOCK_END || v.type === T.BLOCK_REJECT || v.type === T.BLOCK_PERF_EVM_ENTER || v.type === T.BLOCK_PERF_EVM_EXIT;
      if (blockScoped) expect(v.txnId).toBe(0);
      if (v.type === T.BLOCK_END) expect(headers.size).toBe(txnCount);
    }
    expect(storageChecked).toBeGreaterThan(500);
  });
});

describe("the stream checker catches broken streams", () => {
  let good: Buffer[];
  const find = (recs: Buffer[], type: T, from = 0) => recs.findIndex((r, i) => i >= from && r.readUInt16LE(8) === type);

  it("accepts the unmodified stream", async () => {
    const { sink } = await run({ seed: 8, maxBlocks: 6, txnsPerBlock: 20 });
    good = copies(sink);
    expect(checkCopies(good.map((r) => Buffer.from(r)))).toEqual([]);
  });

  const mutations: Array<[string, (r: Buffer[]) => void, RegExp]> = [
    [
      "TXN_CALL_FRAME before TXN_LOG",
      (r) => {
        const log = find(r, T.TXN_LOG);
        const frame = find(r, T.TXN_CALL_FRAME, log);
        [r[log], r[frame]] = [r[frame], r[log]];
      },
      /TXN_CALL_FRAME|TXN_LOG/,
    ],
    ["a missing TXN_END", (r) => void r.splice(find(r, T.TXN_END), 1), /after \d+ complete transactions|expected TXN_END/],
    ["a wrong account index on STORAGE_ACCESS", (r) => void r[find(r, T.STORAGE_ACCESS)].writeBigUInt64LE(5n, REC_ACCOUNT_INDEX), /content_ext\[2\]/],
    ["a wrong block flow id", (r) => void r[find(r, T.TXN_LOG)].writeBigUInt64LE(3n, REC_BLOCK_SEQNO), /content_ext\[0\]/],
    ["a BLOCK_QC inside a block", (r) => void r.splice(find(r, T.TXN_END), 0, r[find(r, T.BLOCK_QC)]), /BLOCK_QC/],
    ["a block flow id on BLOCK_QC", (r) => void r[find(r, T.BLOCK_QC)].writeBigUInt64LE(1n, REC_BLOCK_SEQNO), /must be all zero/],
    [
      "BLOCK_END gas_used off by one",
      (r) => {
        const e = r[find(r, T.BLOCK_END)];
        const o = DESCRIPTOR_SIZE + fieldOffset(T.BLOCK_END, "gas_used");
        e.writeBigUInt64LE(e.readBigUInt64LE(o) + 1n, o);
      },
      /gas_used/,
    ],
    ["a TXN_PERF_EVM_EXIT dropped", (r) => void r.splice(find(r, T.TXN_PERF_EVM_EXIT), 1), /no EXIT/],
    [
      "transient storage access before a persistent one",
      (r) => {
        // Find an account with both kinds and swap its last persistent and first transient access.
        for (let i = 0; i < r.length - 1; i++) {
          const a = viewRecord(r[i], 0);
          const b = viewRecord(r[i + 1], 0);
          const tr = (v: RecordView) => v.buf[DESCRIPTOR_SIZE + fieldOffset(T.STORAGE_ACCESS, "transient")];
          if (a.type === T.STORAGE_ACCESS && b.type === T.STORAGE_ACCESS && tr(a) === 0 && tr(b) === 1) {
            [r[i], r[i + 1]] = [r[i + 1], r[i]];
            return;
          }
        }
        throw new Error("no account with transient storage in the sample");
      },
      /transient|index/,
    ],
  ];

  it.each(mutations)("rejects %s", (_name, mutate, message) => {
    const recs = good.map((r) => Buffer.from(r));
    mutate(recs);
    const v = checkCopies(recs);
    expect(v.length).toBeGreaterThan(0);
    expect(v.join("\n")).toMatch(message);
  });
});
