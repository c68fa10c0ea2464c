// The simulator's records through the gateway's own decoder: every record decodes, and the
// decoded objects carry the values the simulator meant (flow-derived block numbers and txn
// hashes included).
import { describe, expect, it } from "vitest";
import { decodeBatch, FlowTracker, type ExecEventObject } from "../src/decode/index.js";
import { ManualClock, MemorySink, Simulator } from "../src/producers/sim/index.js";

describe("decoding simulated records", () => {
  it("decodes every record without errors, with consistent block numbers, txn hashes and payloads", async () => {
    const sink = new MemorySink();
    const sim = new Simulator(
      sink,
      { seed: 11, maxBlocks: 12, genesisTimeMs: 1_767_225_600_000, rejectProbabilities: { blockReject: 0.1, txnReject: 0.002 }, transactions: { eip7702Probability: 0.1 } },
      { clock: new ManualClock() },
    );
    await sim.start();
    const tracker = new FlowTracker();
    const events: ExecEventObject[] = [];
    for (const batch of sink.batches) {
      const { items, errors } = decodeBatch(batch, tracker);
      expect(errors).toEqual([]);
      events.push(...items);
    }
    expect(events).toHaveLength(sink.eventCount);

    let block: number | bigint | undefined;
    const hashes = new Map<number, string>();
    let transfers = 0;
    for (const ev of events) {
      const p = ev.payload;
      if (p.type === "BlockStart") {
        block = p.block_number;
        hashes.clear();
        expect(p.chain_id).toBe("0x8f"); // 143
        expect(p.gas_limit).toBe(30_000_000);
      }
      if (p.type === "BlockQC" || p.type === "BlockFinalized" || p.type === "BlockVerified") {
        expect(ev.txn_idx).toBeUndefined();
        continue;
      }
      expect(ev.block_number).toBe(block);
      if (p.type === "TxnHeaderStart") {
        hashes.set(ev.txn_idx!, p.txn_hash);
        expect(p.txn_index).toBe(ev.txn_idx);
      }
      if (ev.txn_idx !== undefined && hashes.has(ev.txn_idx)) expect(ev.txn_hash).toBe(hashes.get(ev.txn_idx));
      if (p.type === "TxnLog" && p.topics.startsWith("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")) {
        expect(p.topics.length).toBe(2 + 3 * 64);
        transfers++;
      }
      if (p.type === "TxnCallFrame") expect(typeof p.depth === "number" && p.depth >= 0).toBe(true);
      if (p.type === "StorageAccess") expect(p.account_index).toBe(Number(p.account_index));
    }
    expect(transfers).toBeGreaterThan(100);
  });
});
