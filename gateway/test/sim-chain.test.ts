// Content of the simulated chain: transactions, logs, call frames, gas, state continuity, the
// hash chain and the failure paths.
import { describe, expect, it } from "vitest";
import { ExecEventType as T } from "../src/decode/event-types.js";
import { ManualClock, MemorySink, Simulator, type SimulatorOptions } from "../src/producers/sim/index.js";
import { bloomHas } from "../src/producers/sim/bloom.js";
import { TXN_ERROR_DOMAIN } from "../src/producers/sim/txn-factory.js";
import { big, bytes, num, splitBlocks, trailing, type BlockView, type RecordView } from "../src/producers/sim/record-view.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

async function run(opts: SimulatorOptions) {
  const sink = new MemorySink();
  const sim = new Simulator(sink, { genesisTimeMs: 1_767_225_600_000, ...opts }, { clock: new ManualClock() });
  await sim.start();
  return { sim, sink, ...splitBlocks(sink.views()) };
}

interface TxnView {
  header: RecordView;
  events: RecordView[];
  output?: RecordView;
  logs: RecordView[];
  frames: RecordView[];
  accounts: RecordView[];
}

/** The events of each transaction of a block, by txn flow id (PERF markers excluded). */
function txnsOf(b: BlockView): TxnView[] {
  const out: TxnView[] = [];
  for (const e of b.events) {
    if (e.txnId === 0 || e.type === T.TXN_PERF_EVM_ENTER || e.type === T.TXN_PERF_EVM_EXIT) continue;
    if (e.type === T.TXN_HEADER_START) out[e.txnId - 1] = { header: e, events: [], logs: [], frames: [], accounts: [] };
    const t = out[e.txnId - 1];
    t.events.push(e);
    if (e.type === T.TXN_EVM_OUTPUT) t.output = e;
    if (e.type === T.TXN_LOG) t.logs.push(e);
    if (e.type === T.TXN_CALL_FRAME) t.frames.push(e);
    if (e.type === T.ACCOUNT_ACCESS) t.accounts.push(e);
  }
  return out;
}

describe("transactions", () => {
  it("ERC-20 transfers carry a9059cbb calldata that agrees with their Transfer log", async () => {
    const { blocks } = await run({ seed: 1, maxBlocks: 10, transactions: { revertProbability: 0 } });
    let checked = 0;
    for (const b of blocks) {
      for (const t of txnsOf(b)) {
        const data = trailing(t.header, 0);
        if (t.output === undefined || data.length !== 68 || data.subarray(0, 4).toString("hex") !== "a9059cbb") continue;
        if (hex(bytes(t.frames[0], "call_target")) !== hex(bytes(t.header, "to"))) continue;
        const log = t.logs[0];
        const topics = trailing(log, 0);
        expect(topics.subarray(0, 32).toString("hex")).toBe(TRANSFER_TOPIC);
        expect(topics.subarray(44, 64).toString("hex")).toBe(hex(bytes(t.header, "sender"))); // from
        expect(topics.subarray(76, 96).toString("hex")).toBe(data.subarray(16, 36).toString("hex")); // to
        expect(trailing(log, 1).toString("hex")).toBe(data.subarray(36, 68).toString("hex")); // amount
        expect(hex(bytes(log, "address"))).toBe(hex(bytes(t.header, "to")));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("has nested call frames (depth > 0), native value moving at depth > 0, and consistent frame gas", async () => {
    const { blocks } = await run({ seed: 2, maxBlocks: 10 });
    let deep = 0;
    let innerValue = 0;
    let maxDepth = 0;
    for (const b of blocks) {
      for (const t of txnsOf(b)) {
        if (t.frames.length === 0) continue;
        const depth = t.frames.map((f) => num(f, "depth"));
        expect(depth[0]).toBe(0);
        expect(depth.filter((d) => d === 0)).toHaveLength(1);
        depth.forEach((d, i) => i > 0 && expect(d).toBeLessThanOrEqual(depth[i - 1] + 1)); // pre-order
        expect(hex(bytes(t.frames[0], "caller"))).toBe(hex(bytes(t.header, "sender")));
        if (!num(t.header, "is_contract_creation")) expect(hex(bytes(t.frames[0], "call_target"))).toBe(hex(bytes(t.header, "to")));
        expect(big(t.frames[0], "value")).toBe(big(t.header, "value"));
        for (let i = 0; i < t.frames.length; i++) {
          maxDepth = Math.max(maxDepth, depth[i]);
          if (depth[i] > 0) deep++;
          if (depth[i] > 0 && big(t.frames[i], "value") > 0n) innerValue++;
          let children = 0;
          for (let j = i + 1; j < t.frames.length && depth[j] > depth[i]; j++) if (depth[j] === depth[i] + 1) children += num(t.frames[j], "gas_used");
          expect(num(t.frames[i], "gas_used")).toBeGreaterThanOrEqual(children);
          expect(num(t.frames[i], "gas")).toBeGreaterThanOrEqual(num(t.frames[i], "gas_used"));
        }
        // Receipt gas = intrinsic (≥ 21000) + the top frame's usage, within the gas limit.
        const gasUsed = num(t.output!, "gas_used");
        expect(gasUsed - num(t.frames[0], "gas_used")).toBeGreaterThanOrEqual(21_000);
        expect(gasUsed).toBeLessThanOrEqual(num(t.header, "gas_limit"));
      }
    }
    expect(deep).toBeGreaterThan(500);
    expect(innerValue).toBeGreaterThan(20);
    expect(maxDepth).toBeGreaterThanOrEqual(3);
  });

  it("announces exactly the TXN_LOG / TXN_CALL_FRAME events that follow, and BLOCK_END gas_used is their sum", async () => {
    const { blocks } = await run({ seed: 3, maxBlocks: 12, transactions: { revertProbability: 0.2 } });
    let reverted = 0;
    for (const b of blocks) {
      let sum = 0;
      for (const t of txnsOf(b)) {
        if (t.output === undefined) continue;
        expect(t.logs).toHaveLength(num(t.output, "log_count"));
        expect(t.frames).toHaveLength(num(t.output, "call_frame_count"));
        t.logs.forEach((l, i) => expect(num(l, "log_index")).toBe(i));
        t.frames.forEach((f, i) => expect(num(f, "index")).toBe(i));
        if (!num(t.output, "status")) {
          reverted++;
          expect(t.logs).toHaveLength(0); // a revert discards logs
          expect(num(t.frames[0], "evmc_status")).toBe(2);
        }
        sum += num(t.output, "gas_used");
      }
      if (b.committed) {
        expect(num(b.terminator!, "gas_used")).toBe(sum);
        expect(sum).toBeLessThanOrEqual(num(b.start, "gas_limit"));
      }
    }
    expect(reverted).toBeGreaterThan(20);
  });

  it("puts every log's address and topics in the block's logs bloom", async () => {
    const { blocks } = await run({ seed: 4, maxBlocks: 5, rejectProbabilities: { blockReject: 0, txnReject: 0 } });
    for (const b of blocks) {
      const bloom = bytes(b.terminator!, "logs_bloom");
      for (const t of txnsOf(b)) {
        for (const log of t.logs) {
          expect(bloomHas(bloom, bytes(log, "address"))).toBe(true);
          const topics = trailing(log, 0);
          for (let i = 0; i < topics.length; i += 32) expect(bloomHas(bloom, topics.subarray(i, i + 32))).toBe(true);
        }
      }
    }
  });

  it("writes EIP-7702 authorizations and EIP-2930 access lists consistent with the header", async () => {
    const { blocks } = await run({ seed: 5, maxBlocks: 10, transactions: { eip7702Probability: 0.3, accessListProbability: 0.5 } });
    let auth = 0;
    let lists = 0;
    for (const b of blocks) {
      for (const t of txnsOf(b)) {
        const type = num(t.header, "txn_type");
        const auths = t.events.filter((e) => e.type === T.TXN_AUTH_LIST_ENTRY);
        const entries = t.events.filter((e) => e.type === T.TXN_ACCESS_LIST_ENTRY);
        expect(auths.length > 0).toBe(type === 4);
        for (const a of auths) {
          expect(big(a, "chain_id")).toBe(143n);
          expect(num(a, "is_valid_authority")).toBe(1);
          auth++;
        }
        for (const e of entries) {
          const keys = trailing(e, 0);
          expect(keys.length % 32).toBe(0);
          expect(e.payloadSize).toBe(28 + keys.length);
          lists++;
        }
        expect(big(t.header, "chain_id")).toBe(143n);
      }
    }
    expect(auth).toBeGreaterThan(50);
    expect(lists).toBeGreaterThan(50);
  });

  it("gives every transaction a distinct hash", async () => {
    const { blocks } = await run({ seed: 6, maxBlocks: 10 });
    const hashes = blocks.flatMap((b) => txnsOf(b).map((t) => hex(bytes(t.header, "txn_hash"))));
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe("chain state", () => {
  it("keeps nonces and balances continuous across committed blocks; failed blocks leave no trace", async () => {
    const { blocks } = await run({ seed: 7, maxBlocks: 40, rejectProbabilities: { blockReject: 0.1, txnReject: 0.002 }, transactions: { eip7702Probability: 0.05 } });
    const state = new Map<string, { nonce: number; balance: bigint }>();
    let checked = 0;
    for (const b of blocks) {
      const pending = new Map(state);
      // Transactions take effect in index order (records of neighbours may interleave).
      const blockLevel = b.events.filter((e) => e.txnId === 0 && (e.type === T.ACCOUNT_ACCESS || e.type === T.ACCOUNT_ACCESS_LIST_HEADER));
      const epilogueAt = blockLevel.findIndex((e, i) => i > 0 && e.type === T.ACCOUNT_ACCESS_LIST_HEADER);
      const ordered = [...blockLevel.slice(0, epilogueAt), ...txnsOf(b).flatMap((t) => t.events), ...blockLevel.slice(epilogueAt)];
      for (const e of ordered) {
        if (e.type === T.TXN_HEADER_START) {
          const s = pending.get(hex(bytes(e, "sender")));
          if (s !== undefined) expect(num(e, "nonce")).toBe(s.nonce);
        }
        if (e.type !== T.ACCOUNT_ACCESS) continue;
        const addr = hex(bytes(e, "address"));
        const pre = { nonce: num(e, "nonce"), balance: big(e, "balance") };
        const known = pending.get(addr);
        if (known !== undefined) {
          expect(pre).toEqual(known);
          checked++;
        }
        pending.set(addr, {
          nonce: num(e, "is_nonce_modified") ? num(e, "modified_nonce") : pre.nonce,
          balance: num(e, "is_balance_modified") ? big(e, "modified_balance") : pre.balance,
        });
      }
      if (b.committed) for (const [k, v] of pending) state.set(k, v);
    }
    expect(blocks.some((b) => !b.committed)).toBe(true);
    expect(checked).toBeGreaterThan(1000);
  });

  it("chains parent hashes through committed blocks and reuses a failed block's number", async () => {
    const { blocks } = await run({ seed: 8, maxBlocks: 40, startBlockNumber: 5_000_000, rejectProbabilities: { blockReject: 0.15 } });
    let parent: string | undefined;
    let number = 5_000_000;
    for (const b of blocks) {
      expect(num(b.start, "block_number")).toBe(number);
      expect(num(b.start, "eth_block_number")).toBe(number);
      if (parent !== undefined) expect(hex(bytes(b.start, "parent_eth_hash"))).toBe(parent);
      if (b.committed) {
        parent = hex(bytes(b.terminator!, "eth_block_hash"));
        number++;
      }
    }
    expect(number).toBeGreaterThan(5_000_020);
  });

  it("records the EIP-2935 parent hash in the prologue, pays each priority fee to the beneficiary, and the block reward in the epilogue", async () => {
    const { blocks } = await run({ seed: 9, maxBlocks: 6, rejectProbabilities: { blockReject: 0, txnReject: 0 } });
    for (const b of blocks) {
      const headers = b.events.filter((e) => e.type === T.ACCOUNT_ACCESS_LIST_HEADER && e.txnId === 0);
      const prologue = b.events.slice(b.events.indexOf(headers[0]) + 1, b.events.indexOf(headers[0]) + 3);
      expect(num(headers[0], "access_context")).toBe(0);
      expect(prologue[1].type).toBe(T.STORAGE_ACCESS);
      expect(num(prologue[1], "modified")).toBe(1);
      expect(hex(bytes(prologue[1], "end_value"))).toBe(hex(bytes(b.start, "parent_eth_hash")));

      const beneficiary = hex(bytes(b.start, "beneficiary"));
      const baseFee = big(b.start, "base_fee_per_gas");
      for (const t of txnsOf(b)) {
        // The fee recipient is the last account of every transaction's list, credited the tip.
        const last = t.accounts[t.accounts.length - 1];
        expect(hex(bytes(last, "address"))).toBe(beneficiary);
        const maxFee = big(t.header, "max_fee_per_gas");
        const prio = big(t.header, "max_priority_fee_per_gas");
        const tip = prio < maxFee - baseFee ? prio : maxFee - baseFee;
        expect(big(last, "modified_balance") - big(last, "balance")).toBe(BigInt(num(t.output!, "gas_used")) * tip);
      }
      const epilogueHeader = headers[headers.length - 1];
      expect(num(epilogueHeader, "access_context")).toBe(2);
      const reward = b.events[b.events.indexOf(epilogueHeader) + 1];
      expect(hex(bytes(reward, "address"))).toBe(beneficiary);
      expect(big(reward, "modified_balance") - big(reward, "balance")).toBe(25n * 10n ** 18n);
    }
  });

  it("fails the whole block on a rejected transaction: TXN_REJECT without TXN_END, then EVM_ERROR, no consensus events", async () => {
    const { blocks, outside } = await run({ seed: 10, maxBlocks: 30, rejectProbabilities: { txnReject: 0.01, blockReject: 0 } });
    let seen = 0;
    for (const b of blocks) {
      const reject = b.events.find((e) => e.type === T.TXN_REJECT);
      if (reject === undefined) continue;
      seen++;
      const own = b.events.filter((e) => e.txnId === reject.txnId && e.type !== T.TXN_PERF_EVM_ENTER && e.type !== T.TXN_PERF_EVM_EXIT).map((e) => e.type);
      expect(own[own.length - 1]).toBe(T.TXN_REJECT);
      expect(own).not.toContain(T.TXN_END);
      expect(own).not.toContain(T.TXN_EVM_OUTPUT);
      expect(b.committed).toBe(false);
      expect(b.terminator!.type).toBe(T.EVM_ERROR);
      expect(big(b.terminator!, "domain_id")).toBe(TXN_ERROR_DOMAIN);
      const firstReject = b.events.find((e) => e.type === T.TXN_REJECT)!;
      expect(num(b.terminator!, "status_code")).toBe(num(firstReject, "reason"));
      const id = hex(bytes(b.start, "block_id"));
      expect(outside.filter((o) => o.view.type !== T.BLOCK_VERIFIED).some((o) => hex(bytes(o.view, "block_id")) === id)).toBe(false);
    }
    expect(seen).toBeGreaterThan(3);
  });

  it("with blockReject 1 every block ends in BLOCK_REJECT, none is finalized, and the number never advances", async () => {
    const { blocks, outside } = await run({ seed: 11, maxBlocks: 8, rejectProbabilities: { blockReject: 1, txnReject: 0 } });
    for (const b of blocks) {
      expect(b.terminator!.type).toBe(T.BLOCK_REJECT);
      expect(num(b.start, "block_number")).toBe(1);
    }
    expect(outside).toHaveLength(0);
  });

  it("uses the configured chain id and a 30M-ish gas limit by default", async () => {
    const a = await run({ seed: 12, maxBlocks: 1 });
    expect(big(a.blocks[0].start, "chain_id")).toBe(143n);
    expect(num(a.blocks[0].start, "gas_limit")).toBe(30_000_000);
    const b = await run({ seed: 12, maxBlocks: 1, chainId: 10143, txnsPerBlock: 3 });
    expect(big(b.blocks[0].start, "chain_id")).toBe(10143n);
    expect(num(b.blocks[0].start, "txn_count")).toBe(3);
  });
});
