// A devnet reorg (anvil evm_snapshot / evm_revert) seen through the bridge: the replaced block
// never finalizes and the gateway rejects it; its replacement goes all the way to Verified.
// Also: a bridge told not to trace records no call frames or accesses, and says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hex } from "viem";
import { startAnvil, type Anvil } from "../../contracts/test/helpers/anvil.js";
import { startBridge, startDevnet, type BridgeProcess, type Devnet } from "./helpers/bridge-devnet.js";
import { runCli } from "./helpers/cli.js";
import { devnetClients } from "./helpers/devnet-contracts.js";
import { TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

describe("bridge: reorgs", () => {
  let devnet: Devnet;
  let anvil: Anvil;
  let bridge: BridgeProcess;
  let gateway: GatewayProcess;
  let ring: string;

  beforeAll(async () => {
    devnet = await startDevnet({
      // Slow stages so the replaced block is still unfinalized when the reorg happens.
      bridgeArgs: ["--from", "latest", "--qc-delay", "2500", "--finalize-delay", "3000", "--verify-delay", "3500", "--no-call-frames", "--no-accesses"],
    });
    ({ anvil, bridge, ring } = devnet);
    gateway = devnet.gateway!;
  });

  afterAll(async () => {
    await devnet?.stop();
    removeTempRings();
  });

  it("records the replacement as a new proposal; the gateway rejects the replaced block and verifies the new one", async () => {
    const { pub, wallet, from } = devnetClients(anvil.url);
    const client = await TestClient.connect(`${gateway.ws}/v1/ws`);
    client.send({ subscribe: ["Lifecycle"] });
    await new Promise((r) => setTimeout(r, 300));

    const snapshot = await pub.request({ method: "evm_snapshot" as never, params: [] as never });
    const a = await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from, chain: null, to: from, value: 1n }) });
    await bridge.waitForBlock(a.blockNumber, a.blockHash);
    await pub.request({ method: "evm_revert" as never, params: [snapshot] as never });
    const b = await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from, chain: null, to: from, value: 2n }) });
    expect(b.blockNumber).toBe(a.blockNumber);
    expect(b.blockHash).not.toBe(a.blockHash);

    const replacement = await bridge.waitForBlock(b.blockNumber, b.blockHash);
    expect(replacement.replacement).toBe(true);
    const orphan = await bridge.waitForLog((l) => l.hash === a.blockHash && String(l.msg).startsWith("reorg: block replaced"));
    expect(orphan.stage).toBe("Proposed");

    const updates = () => client.of("Lifecycle").map((f) => f.Lifecycle as { block_hash: string; to_stage: string });
    const stagesOf = (hash: Hex) => updates().filter((u) => u.block_hash === hash).map((u) => u.to_stage);
    await client.waitFor(() => stagesOf(b.blockHash).includes("Verified"), 30_000, "the replacement Verified");
    expect(stagesOf(b.blockHash)).toEqual(["Proposed", "Voted", "Finalized", "Verified"]);
    expect(stagesOf(a.blockHash)).toEqual(["Proposed", "Rejected"]);

    // The ring: two proposals for that number, consensus events only for the replacement.
    const dump = await runCli(["dump", ring]);
    const evs = dump.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event_name: string; block_number: number; payload: Record<string, unknown> });
    const n = Number(a.blockNumber);
    expect(evs.filter((e) => e.event_name === "BlockStart" && e.block_number === n).map((e) => e.payload.block_id)).toEqual([a.blockHash, b.blockHash]);
    expect(evs.filter((e) => (e.event_name === "BlockQC" || e.event_name === "BlockFinalized") && e.payload.block_id === a.blockHash)).toEqual([]);
    const rounds = evs.filter((e) => e.event_name === "BlockStart" && e.block_number === n).map((e) => e.payload.round as number);
    expect(rounds[1]).toBeGreaterThan(rounds[0]);
    await client.close();
  });

  it("without tracers (--no-call-frames --no-accesses) records no call frames or accesses and says why", async () => {
    const caps = await bridge.waitForLog((l) => l.msg === "RPC node capabilities detected");
    expect(caps.capabilities).toMatchObject({ callTraces: false, accessTraces: false });
    const warn = await bridge.waitForLog((l) => String(l.msg).startsWith("call traces unavailable"));
    expect(warn.reason).toBe("disabled by --no-call-frames");
    const dump = await runCli(["dump", ring]);
    const names = dump.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { event_name: string }).event_name);
    expect(names).toContain("TxnEvmOutput");
    expect(names.filter((n) => n === "TxnCallFrame" || n === "AccountAccess" || n === "StorageAccess")).toEqual([]);
  });

  it("waits for a --from block the node has not reached yet", async () => {
    const waiting = startBridge(anvil.url, tempRingPath("bridge-ahead"), ["--from", "1000"]);
    const line = await waiting.waitForLog((l) => l.msg === "waiting for block 1000 (the node is at " + l.head + ")");
    expect(line.from).toBe(1000);
    expect(await waiting.stop()).toBe(0);
    expect(waiting.logs.some((l) => l.msg === "block recorded")).toBe(false);
  });

  it("follows a devnet restarted without its state (a replaced chain) from its genesis", async () => {
    const client = await TestClient.connect(`${gateway.ws}/v1/ws`);
    client.send({ subscribe: ["Lifecycle"] });
    const port = anvil.port;
    await anvil.stop();
    anvil = devnet.anvil = await startAnvil([], { port });
    const replaced = await bridge.waitForLog((l) => String(l.msg).startsWith("the node's chain was replaced"), 30_000, "the replaced-chain warning");
    expect(replaced.level).toBe(40);
    const { pub, wallet, from } = devnetClients(anvil.url);
    const genesis = await pub.getBlock({ blockNumber: 0n });
    await bridge.waitForBlock(0, genesis.hash);
    const rc = await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from, chain: null, to: from, value: 3n }) });
    expect(rc.blockNumber).toBe(1n);
    await bridge.waitForBlock(1, rc.blockHash);
    const stages = () =>
      client
        .of("Lifecycle")
        .map((f) => f.Lifecycle as { block_hash: string; to_stage: string })
        .filter((u) => u.block_hash === rc.blockHash)
        .map((u) => u.to_stage);
    await client.waitFor(() => stages().includes("Verified"), 30_000, "the new chain's block 1 Verified");
    expect(stages()).toEqual(["Proposed", "Voted", "Finalized", "Verified"]);
    await client.close();
  });
});
