// A node without eth_getBlockReceipts and without debug tracing (many hosted RPCs), and one that
// fails for a while: a real HTTP proxy in front of a real anvil refuses those methods or answers
// HTTP 502. The bridge falls back to per-transaction receipts, skips frames and accesses, says
// so, and rides out the failures.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeFunctionData, type Address, type Hex } from "viem";
import { startAnvil, type Anvil } from "../../contracts/test/helpers/anvil.js";
import { startBridge, type BridgeProcess } from "./helpers/bridge-devnet.js";
import { runCli } from "./helpers/cli.js";
import { devnetClients, devnetContracts } from "./helpers/devnet-contracts.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

const REFUSED = new Set(["eth_getBlockReceipts", "debug_traceBlockByNumber"]);

describe("bridge: a node with fewer methods, and failing for a while", () => {
  let anvil: Anvil;
  let proxy: Server;
  let proxyUrl: string;
  let bridge: BridgeProcess;
  let ring: string;
  /** While > 0, the proxy answers this many requests with HTTP 502. */
  let failNext = 0;

  beforeAll(async () => {
    anvil = await startAnvil();
    proxy = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", async () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway");
          return;
        }
        const msg = JSON.parse(body) as { id: number; method: string };
        if (REFUSED.has(msg.method)) {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ jsonrpc: "2.0", id: msg.id, error: { code: -32601, message: `the method ${msg.method} does not exist/is not available` } }));
          return;
        }
        const upstream = await fetch(anvil.url, { method: "POST", headers: { "content-type": "application/json" }, body });
        res.writeHead(upstream.status, { "content-type": "application/json" }).end(await upstream.text());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    const addr = proxy.address();
    proxyUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
    ring = tempRingPath("bridge-fallback");
    bridge = startBridge(proxyUrl, ring, ["--from", "earliest", "--retry-max", "300"]);
    await bridge.waitForBlock(0);
  });

  afterAll(async () => {
    await bridge?.stop();
    await new Promise((r) => proxy?.close(r));
    await anvil?.stop();
    removeTempRings();
  });

  it("detects the missing methods once, says what is skipped, and records receipts one by one", async () => {
    const caps = await bridge.waitForLog((l) => l.msg === "RPC node capabilities detected");
    expect(caps.capabilities).toEqual({ blockReceipts: false, callTraces: false, accessTraces: false });
    expect((await bridge.waitForLog((l) => String(l.msg).startsWith("call traces unavailable"))).level).toBe(40);
    expect((await bridge.waitForLog((l) => String(l.msg).startsWith("state traces unavailable"))).level).toBe(40);
    await bridge.waitForLog((l) => String(l.msg).startsWith("eth_getBlockReceipts unavailable"));

    const { pub, wallet, from } = devnetClients(anvil.url);
    const { emitterAbi, emitterBytecode } = devnetContracts();
    const deployed = await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from, chain: null, data: emitterBytecode }) });
    const emitter = deployed.contractAddress as Address;
    const data = encodeFunctionData({ abi: emitterAbi, functionName: "ping", args: [3n, "0xaa"] }) as Hex;
    const rc = await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from, chain: null, to: emitter, data }) });
    await bridge.waitForBlock(rc.blockNumber, rc.blockHash);

    const dump = await runCli(["dump", ring]);
    const evs = dump.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event_name: string; txn_hash?: string; payload: Record<string, unknown> });
    const mine = evs.filter((e) => e.txn_hash === rc.transactionHash);
    expect(mine.find((e) => e.event_name === "TxnEvmOutput")!.payload).toMatchObject({ status: true, gas_used: Number(rc.gasUsed), log_count: 1, call_frame_count: 0 });
    expect(mine.find((e) => e.event_name === "TxnLog")!.payload).toMatchObject({ address: emitter.toLowerCase(), topics_list: rc.logs[0].topics, data: rc.logs[0].data });
    expect(evs.filter((e) => ["TxnCallFrame", "AccountAccess", "StorageAccess"].includes(e.event_name))).toEqual([]);
    // Detection ran once: one capability line whatever the number of blocks.
    expect(bridge.logs.filter((l) => l.msg === "RPC node capabilities detected")).toHaveLength(1);
  });

  it("rides out a node answering HTTP 502, with warnings, and records the blocks made meanwhile", async () => {
    const { pub, wallet, from } = devnetClients(anvil.url);
    const warningsBefore = bridge.logs.filter((l) => l.level === 40 && l.msg === "RPC node unreachable; retrying").length;
    failNext = 6;
    const rc = await pub.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ account: from, chain: null, to: from, value: 5n }) });
    await bridge.waitForLog((l) => l.msg === "RPC node reachable again; following the chain", 30_000, "the recovery");
    await bridge.waitForBlock(rc.blockNumber, rc.blockHash);
    const warnings = bridge.logs.filter((l) => l.level === 40 && l.msg === "RPC node unreachable; retrying").slice(warningsBefore);
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(String(warnings[0].err)).toContain("HTTP 502");
    expect(failNext).toBe(0);
  });
});
