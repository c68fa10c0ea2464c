// monad-gateway bridge on a real anvil, writing a real ring that a real gateway serves: contracts on
// a local chain reach WebSocket clients as they would from a validator.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, keccak256, toBytes, type Address, type Hex, type TransactionReceipt } from "viem";
import { startAnvil, type Anvil } from "../../contracts/test/helpers/anvil.js";
import { startBridge, type BridgeProcess } from "./helpers/bridge-devnet.js";
import { runCli } from "./helpers/cli.js";
import { devnetClients, devnetContracts } from "./helpers/devnet-contracts.js";
import { startGateway, TestClient, type Frame, type GatewayProcess } from "./helpers/gateway-process.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

interface RingEvent {
  event_name: string;
  block_number?: number;
  txn_hash?: string;
  payload: Record<string, unknown>;
}

const PINGED = keccak256(toBytes("Pinged(address,uint256,bytes)"));

async function ringEvents(ring: string): Promise<RingEvent[]> {
  const r = await runCli(["dump", ring]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RingEvent);
}

/** Polls the ring until `pred` holds for its events. */
async function ringUntil(ring: string, pred: (evs: RingEvent[]) => boolean, what: string, timeoutMs = 30_000): Promise<RingEvent[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const evs = await ringEvents(ring);
    if (pred(evs)) return evs;
    if (Date.now() > until) throw new Error(`ring never showed ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function eventsOf(frames: Frame[]): RingEvent[] {
  return frames.flatMap((f) => ("Events" in f ? (f.Events as RingEvent[]) : []));
}

describe("bridge: anvil → ring → gateway", () => {
  let anvil: Anvil;
  let bridge: BridgeProcess;
  let gateway: GatewayProcess;
  let ring: string;
  let stateDir: string;
  const { emitterAbi, callerAbi, emitterBytecode, callerBytecode } = devnetContracts();
  let emitter: Address;
  let otherEmitter: Address;
  let caller: Address;
  let c: ReturnType<typeof devnetClients>;

  async function send(to: Address, data: Hex, gas?: bigint): Promise<TransactionReceipt> {
    const hash = await c.wallet.sendTransaction({ account: c.from, chain: null, to, data, gas });
    return c.pub.waitForTransactionReceipt({ hash });
  }
  async function deploy(bytecode: Hex): Promise<Address> {
    const hash = await c.wallet.sendTransaction({ account: c.from, chain: null, data: bytecode });
    return (await c.pub.waitForTransactionReceipt({ hash })).contractAddress!;
  }
  const relay = (n: bigint, note: Hex) => encodeFunctionData({ abi: callerAbi, functionName: "relay", args: [n, note] });

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "bridge-anvil-"));
    // --state: a stopped anvil saves its chain and a restarted one continues it (reconnect test).
    anvil = await startAnvil(["--state", join(stateDir, "state.json")]);
    c = devnetClients(anvil.url);
    emitter = await deploy(emitterBytecode);
    otherEmitter = await deploy(emitterBytecode);
    caller = await deploy((callerBytecode + emitter.slice(2).padStart(64, "0")) as Hex);
    ring = tempRingPath("bridge");
    bridge = startBridge(anvil.url, ring, ["--from", "earliest", "--retry-max", "500"]);
    // Deployments are blocks 1..3: all recorded from earliest.
    await bridge.waitForBlock(3);
    gateway = await startGateway(["--ring", ring]);
  });

  afterAll(async () => {
    await gateway?.stop();
    await bridge?.stop();
    await anvil?.stop();
    removeTempRings();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it("reports what it found on the node: traces and state accesses available", async () => {
    const caps = await bridge.waitForLog((l) => l.msg === "RPC node capabilities detected");
    expect(caps.capabilities).toEqual({ blockReceipts: true, callTraces: true, accessTraces: true });
    const connected = await bridge.waitForLog((l) => l.msg === "connected to the RPC node");
    expect(connected.chainId).toBe(31337);
  });

  it("records a contract call as the node executed it: header, output, log, nested call frames, storage writes", async () => {
    const note = "0xbeef01" as Hex;
    const rc = await send(caller, relay(7n, note));
    expect(rc.status).toBe("success");
    const evs = await ringUntil(ring, (e) => e.some((x) => x.event_name === "BlockEnd" && x.block_number === Number(rc.blockNumber)), `block ${rc.blockNumber}`);
    const mine = evs.filter((e) => e.txn_hash === rc.transactionHash);
    const one = (name: string) => {
      const found = mine.filter((e) => e.event_name === name);
      expect(found, name).toHaveLength(1);
      return found[0].payload;
    };

    const start = evs.find((e) => e.event_name === "BlockStart" && e.block_number === Number(rc.blockNumber))!.payload;
    expect(start.block_id).toBe(rc.blockHash);
    expect(start.txn_count).toBe(1);
    expect(start.chain_id).toBe("0x7a69");
    const end = evs.find((e) => e.event_name === "BlockEnd" && e.block_number === Number(rc.blockNumber))!.payload;
    expect(end.eth_block_hash).toBe(rc.blockHash);
    expect(end.gas_used).toBe(Number(rc.gasUsed));

    const tx = await c.pub.getTransaction({ hash: rc.transactionHash });
    const header = one("TxnHeaderStart");
    expect(header.sender).toBe(c.from.toLowerCase());
    expect(header.to).toBe(caller.toLowerCase());
    expect(header.nonce).toBe(tx.nonce);
    expect(header.gas_limit).toBe(Number(tx.gas));
    expect(header.txn_type).toBe(2);
    expect(header.data).toBe(tx.input);
    expect(BigInt(header.r as string)).toBe(BigInt(tx.r));
    expect(BigInt(header.s as string)).toBe(BigInt(tx.s));
    expect(header.y_parity).toBe(tx.yParity === 1);

    const output = one("TxnEvmOutput");
    expect(output).toMatchObject({ status: true, gas_used: Number(rc.gasUsed), log_count: 1, call_frame_count: 2 });

    const log = one("TxnLog");
    expect(log.address).toBe(emitter.toLowerCase());
    expect(log.topics_list).toEqual(rc.logs[0].topics);
    expect(log.topics_list).toEqual([PINGED, caller.toLowerCase().replace("0x", "0x000000000000000000000000"), `0x${"7".padStart(64, "0")}`]);
    expect(log.data).toBe(rc.logs[0].data);

    const frames = mine.filter((e) => e.event_name === "TxnCallFrame").map((e) => e.payload);
    expect(frames.map((f) => [f.depth, f.caller, f.call_target, f.opcode, f.evmc_status])).toEqual([
      [0, c.from.toLowerCase(), caller.toLowerCase(), 0xf1, 0],
      [1, caller.toLowerCase(), emitter.toLowerCase(), 0xf1, 0],
    ]);

    // Caller.total (slot 0) and Emitter.count (slot 0) were written: modified storage accesses.
    const writes = mine.filter((e) => e.event_name === "StorageAccess" && e.payload.modified === true).map((e) => e.payload.address);
    expect(new Set(writes)).toEqual(new Set([caller.toLowerCase(), emitter.toLowerCase()]));
    expect(mine.map((e) => e.event_name).at(-1)).toBe("TxnEnd");
  });

  it("delivers the TxnLog to a client filtering by address and topic with min_stage Finalized, once the block is finalized", async () => {
    const client = await TestClient.connect(`${gateway.ws}/v1/ws`);
    client.send({
      subscribe: {
        events: ["TxnLog"],
        filters: [
          {
            event_name: "TxnLog",
            field_filters: [
              { field: "address", filter: { values: [emitter] } },
              { field: "topics", filter: { values: [PINGED] } },
            ],
          },
        ],
        min_stage: "Finalized",
      },
    });
    await new Promise((r) => setTimeout(r, 300)); // the subscribe takes effect before the transactions
    const noise = await send(otherEmitter, encodeFunctionData({ abi: emitterAbi, functionName: "ping", args: [1n, "0x"] }));
    const rc = await send(caller, relay(42n, "0x0102"));
    await client.waitFor(() => eventsOf(client.frames).some((e) => e.txn_hash === rc.transactionHash), 30_000, "the relayed TxnLog");
    const got = eventsOf(client.frames);
    expect(got.every((e) => e.event_name === "TxnLog" && e.payload.address === emitter.toLowerCase())).toBe(true);
    expect(got.some((e) => e.txn_hash === noise.transactionHash)).toBe(false);
    const ev = got.find((e) => e.txn_hash === rc.transactionHash)! as RingEvent & { commit_stage?: string };
    expect(ev.block_number).toBe(Number(rc.blockNumber));
    expect(ev.payload.data).toBe(rc.logs[0].data);
    expect(["Finalized", "Verified"]).toContain(ev.commit_stage);
    await client.close();
  });

  it("takes every bridged block through Proposed → Voted → Finalized → Verified and reports TPS", async () => {
    const client = await TestClient.connect(`${gateway.ws}/v1/ws`);
    client.send({ subscribe: ["Lifecycle", "TPS"] });
    await new Promise((r) => setTimeout(r, 300));
    const receipts: TransactionReceipt[] = [];
    for (let i = 0; i < 3; i++) receipts.push(await send(caller, relay(BigInt(i), "0x")));
    const stagesOf = (n: number) =>
      client
        .of("Lifecycle")
        .map((f) => f.Lifecycle as { block_number: number; to_stage: string })
        .filter((u) => u.block_number === n)
        .map((u) => u.to_stage);
    for (const rc of receipts) {
      const n = Number(rc.blockNumber);
      await client.waitFor(() => stagesOf(n).includes("Verified"), 30_000, `block ${n} Verified`);
      expect(stagesOf(n)).toEqual(["Proposed", "Voted", "Finalized", "Verified"]);
    }
    const last = Number(receipts[2].blockNumber);
    const summary = (await (await fetch(`${gateway.http}/v1/blocks/${last}/lifecycle`)).json()) as Record<string, unknown>;
    expect(summary).toMatchObject({ block_number: last, current_stage: "Verified", block_hash: receipts[2].blockHash, txn_count: 1 });
    const timings = summary.stage_timings_ms as Record<string, number>;
    // Default delays: 400 / 800 / 1200 ms after BLOCK_START (ring time, so exact up to rounding).
    expect(timings.Voted).toBeGreaterThanOrEqual(399);
    expect(timings.Finalized).toBeGreaterThanOrEqual(799);
    expect(timings.Verified).toBeGreaterThanOrEqual(1199);
    expect(client.of("TPS").length).toBeGreaterThanOrEqual(3);
    const tps = (await (await fetch(`${gateway.http}/v1/tps`)).json()) as { block_number: number; window_blocks: number; tps_exact: number };
    expect(tps.block_number).toBeGreaterThanOrEqual(last);
    expect(tps.window_blocks).toBeGreaterThan(0);
    expect(tps.tps_exact).toBeGreaterThan(0);
    await client.close();
  });

  it("gives the gateway's contention analysis the accesses of a block whose transactions write the same slots", async () => {
    await c.pub.request({ method: "evm_setAutomine" as never, params: [false] as never });
    const hashes: Hex[] = [];
    for (let i = 0; i < 3; i++) hashes.push(await c.wallet.sendTransaction({ account: c.from, chain: null, to: caller, data: relay(5n, "0x"), gas: 200_000n }));
    await c.pub.request({ method: "evm_mine" as never, params: [] as never });
    await c.pub.request({ method: "evm_setAutomine" as never, params: [true] as never });
    const rc = await c.pub.waitForTransactionReceipt({ hash: hashes[2] });
    const n = Number(rc.blockNumber);
    await bridge.waitForBlock(n);
    let data: Record<string, unknown> = {};
    const until = Date.now() + 20_000;
    while (data.block_number !== n && Date.now() < until) {
      const res = await fetch(`${gateway.http}/v1/contention`);
      if (res.ok) data = (await res.json()) as Record<string, unknown>;
      if (data.block_number !== n) await new Promise((r) => setTimeout(r, 100));
    }
    expect(data.block_number).toBe(n);
    expect(data.total_txn_count).toBe(3);
    // Caller.total and Emitter.count are written by all three transactions.
    const slots = (data.top_contended_slots as { address: string; txn_count: number }[]).filter((s) => s.txn_count === 3).map((s) => s.address);
    expect(new Set(slots)).toEqual(new Set([caller.toLowerCase(), emitter.toLowerCase()]));
    const schedule = data.schedule as { conflict_edges: number; batch_count: number };
    expect(schedule.conflict_edges).toBe(3);
    expect(schedule.batch_count).toBe(3);
  });

  it("records a reverted transaction with status false and a reverted call frame", async () => {
    const rc = await send(caller, encodeFunctionData({ abi: callerAbi, functionName: "fail" }), 100_000n);
    expect(rc.status).toBe("reverted");
    const evs = await ringUntil(ring, (e) => e.some((x) => x.event_name === "TxnEnd" && x.txn_hash === rc.transactionHash), "the reverted transaction");
    const mine = evs.filter((e) => e.txn_hash === rc.transactionHash);
    expect(mine.find((e) => e.event_name === "TxnEvmOutput")!.payload).toMatchObject({ status: false, gas_used: Number(rc.gasUsed), log_count: 0, call_frame_count: 1 });
    const frame = mine.find((e) => e.event_name === "TxnCallFrame")!.payload;
    expect(frame.evmc_status).toBe(2); // EVMC_REVERT
    expect(String(frame.output)).toContain("08c379a0"); // Error(string) selector: the revert data
  });

  it("records contract creation and a storage slot cleared to zero", async () => {
    const evs = await ringEvents(ring);
    const deployTx = (await c.pub.getBlock({ blockNumber: 1n })).transactions[0];
    const creation = evs.filter((e) => e.txn_hash === deployTx);
    expect(creation.find((e) => e.event_name === "TxnHeaderStart")!.payload).toMatchObject({ is_contract_creation: true, to: "0x" + "0".repeat(40) });
    const frame = creation.find((e) => e.event_name === "TxnCallFrame")!.payload;
    expect(frame).toMatchObject({ depth: 0, opcode: 0xf0, call_target: emitter.toLowerCase(), evmc_status: 0 });
    const created = creation.find((e) => e.event_name === "AccountAccess" && e.payload.address === emitter.toLowerCase())!.payload;
    expect(created.is_nonce_modified).toBe(true); // a new contract's nonce goes 0 → 1

    const rc = await send(caller, encodeFunctionData({ abi: callerAbi, functionName: "reset" }));
    const after = await ringUntil(ring, (e) => e.some((x) => x.event_name === "TxnEnd" && x.txn_hash === rc.transactionHash), "the reset");
    const cleared = after.filter((e) => e.txn_hash === rc.transactionHash && e.event_name === "StorageAccess").map((e) => e.payload);
    expect(cleared).toHaveLength(1);
    expect(cleared[0]).toMatchObject({ address: caller.toLowerCase(), key: "0x" + "0".repeat(64), modified: true, end_value: "0x" + "0".repeat(64) });
    expect(BigInt(cleared[0].value as string)).toBeGreaterThan(0n);
  });

  it("keeps following when the node goes away and comes back", async () => {
    const port = anvil.port;
    await anvil.stop();
    await bridge.waitForLog((l) => l.msg === "RPC node unreachable; retrying" && l.level === 40, 30_000, "an unreachable warning");
    anvil = await startAnvil(["--state", join(stateDir, "state.json")], { port });
    await bridge.waitForLog((l) => l.msg === "RPC node reachable again; following the chain", 30_000, "the reconnect");
    const rc = await send(caller, relay(9n, "0x09"));
    const line = await bridge.waitForBlock(rc.blockNumber, rc.blockHash);
    expect(line.txns).toBe(1);
    expect(line.replacement).toBe(false);
    expect(bridge.logs.some((l) => l.msg.startsWith("reorg") || l.msg.includes("replaced"))).toBe(false);
  });

  it("stops on SIGTERM: exit code 0, a summary line, the ring removed", async () => {
    const code = await bridge.stop("SIGTERM");
    expect(code).toBe(0);
    const summary = bridge.logs.find((l) => l.msg === "bridge stopped")!;
    expect(summary).toBeDefined();
    expect(summary.blocks as number).toBeGreaterThanOrEqual(10);
    expect(summary.consensusEvents as number).toBeGreaterThan(0);
    expect(existsSync(ring)).toBe(false);
  });
});
