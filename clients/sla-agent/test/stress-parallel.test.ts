// `agent stress-parallel` on a real devnet (anvil + bridge + gateway): the runner's own conflict
// count, from traced read/write sets of storage, balances and nonces, equals the gateway's
// schedule.conflict_edges block by block, and it says where the conflicts come from (every create
// writes the factory's balance: the one escrow account of all deposits).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevnet, type Devnet } from "../../../gateway/test/helpers/bridge-devnet.js";
import { runCli } from "../../../gateway/test/helpers/cli.js";
import { accessedResources, blockConflicts, type BlockConflicts, type GatewayComparison, type TxAccess } from "@monad-gateway/sla-agent";

const pairsOf = (n: number) => (n * (n - 1)) / 2;

describe("stress-parallel on a devnet with a gateway", () => {
  let devnet: Devnet;
  let deployment: string;
  let factory: string;
  beforeAll(async () => {
    // Interval mining: the creates land in shared blocks, as on a real chain.
    devnet = await startDevnet({ anvilArgs: ["--block-time", "1"] });
    deployment = join(mkdtempSync(join(tmpdir(), "sla-stress-")), "contracts.json");
    const r = await runCli(["contracts", "deploy", "--rpc", devnet.anvil.url, "--out", deployment], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    factory = JSON.parse(readFileSync(deployment, "utf8")).contracts.SLAStreamFactory.address.toLowerCase();
  }, 90_000);
  afterAll(async () => devnet?.stop());

  it("60 creates: the runner's conflicting pairs equal the gateway's conflict_edges, all through the factory's balance", async () => {
    const r = await runCli(["agent", "stress-parallel", "--rpc", devnet.anvil.url, "--deployment", deployment, "--gateway", devnet.gateway!.ws, "--count", "60", "--json"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.streams).toBe(60);
    expect(new Set(result.streamIds).size).toBe(60);
    expect(result.traced).toBe(true);
    // Fewer blocks than transactions: they really shared blocks.
    expect(result.blocksUsed.length).toBeLessThan(60);
    const conflicts = result.conflicts as BlockConflicts[];
    expect(conflicts.reduce((s, c) => s + c.txs, 0)).toBe(60);

    for (const [k, c] of conflicts.entries()) {
      // Every create sends its deposit to the factory: all of a block's creates write its balance.
      expect(c.byKind.balance).toBe(pairsOf(c.txs));
      expect(c.conflictPairs).toBe(pairsOf(c.txs));
      expect(c.byKind.nonce).toBe(0);
      // Storage: only the first create ever stores the new SLA, the others of its block read it.
      if (k === 0) expect(c.byKind.storage).toBeLessThanOrEqual(c.txs - 1);
      else expect(c.byKind.storage).toBe(0);
      if (c.txs >= 2) {
        expect(c.hot[0]).toMatchObject({ kind: "balance", label: "SLAStreamFactory", writers: c.txs, readers: 0, pairs: pairsOf(c.txs) });
        expect(c.hot[0].address).toBe(factory);
        expect(c.explanation).toContain(`all ${c.txs} transactions write the ETH balance of SLAStreamFactory`);
      }
    }
    expect(result.conflictTotals.pairs).toBe(conflicts.reduce((s, c) => s + pairsOf(c.txs), 0));

    // The gateway, fed by the bridge's ring, counts exactly the same.
    expect(result.gateway.connected).toBe(true);
    for (const b of result.gateway.blocks as GatewayComparison[]) {
      expect(b.gateway, `no ContentionData for block ${b.block}`).not.toBeNull();
      expect(b.ours!.conflictPairs).toBe(b.gateway!.conflictEdges);
      expect(b.ours!.uniqueSlots).toBe(b.gateway!.uniqueSlots);
      expect(b.ours!.contendedSlots).toBe(b.gateway!.contendedSlots);
      expect(b.agrees).toBe(true);
    }
    expect(result.verdict).toMatch(/agrees exactly in all \d+ block\(s\)/);
    expect(result.verdict).toMatch(/escrows all deposits: one shared account/);
  }, 120_000);

  it("the human-readable output says where the conflicts come from", async () => {
    const r = await runCli(["agent", "stress-parallel", "--rpc", devnet.anvil.url, "--deployment", deployment, "--gateway", devnet.gateway!.ws, "--count", "6"], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/conflicting pairs: \d+ \(through balances \d+, storage \d+, nonces 0/);
    expect(r.stdout).toMatch(/conflict_edges {2}agrees/);
    expect(r.stdout).toMatch(/ yes$/m);
    expect(r.stdout).not.toMatch(/ NO$/m);
    expect(r.stdout).toMatch(/all \d+ transactions write the ETH balance of SLAStreamFactory 0x[0-9a-f]{40}: every pair conflicts \(\d+ = \d+·\d+\/2\)/);
  }, 90_000);
});

describe("reading prestate traces as the gateway's bridge does", () => {
  const A = "0x00000000000000000000000000000000000000aa";
  const slot = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

  it("a slot set to zero (only in diff.pre) is a write; an unchanged balance is a read; a new account is written", () => {
    const res = accessedResources(
      { [A]: { balance: "0x10", nonce: 1, storage: { [slot(1)]: "0x5", "0x2": "0x7" } } },
      { [A]: { storage: { [slot(1)]: "0x5" } } },
      { "0x00000000000000000000000000000000000000BB": { balance: "0x1" } },
    );
    expect(res.get(`storage:${A}:${slot(1)}`)).toBe(true);
    expect(res.get(`storage:${A}:${slot(2)}`)).toBe(false); // short key spelled like the diff's
    expect(res.get(`balance:${A}`)).toBe(false);
    expect(res.get(`nonce:${A}`)).toBe(false);
    expect(res.get("balance:0x00000000000000000000000000000000000000bb")).toBe(true);
  });

  it("shared reads are no conflict, a shared write is; the beneficiary's balance is left out", () => {
    const tx = (index: number, entries: [string, boolean][]): TxAccess => ({ hash: "0x", block: 1, index, resources: new Map(entries) });
    const coinbase = "0x00000000000000000000000000000000000000c0";
    const txs = [
      tx(0, [[`storage:${A}:${slot(1)}`, false], [`balance:${coinbase}`, true], [`nonce:${A}`, false]]),
      tx(1, [[`storage:${A}:${slot(1)}`, false], [`balance:${coinbase}`, true]]),
      tx(2, [[`storage:${A}:${slot(1)}`, true], [`balance:${coinbase}`, true]]),
    ];
    const c = blockConflicts(1, txs, { beneficiary: coinbase });
    expect(c).toMatchObject({ conflictPairs: 2, byKind: { storage: 2, balance: 0, nonce: 0 }, uniqueSlots: 1, contendedSlots: 1 });
    expect(c.explanation).toBe(`1 of 3 transactions write and 2 read storage slot ${slot(1)} of ${A}: 2 of 3 pairs conflict`);
    // Without knowing the beneficiary its fee credits make every pair conflict.
    expect(blockConflicts(1, txs).conflictPairs).toBe(3);
  });
});
