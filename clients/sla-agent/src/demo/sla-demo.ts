// The whole SLA loop with one command (npm run demo:sla): a local chain (anvil) recorded by the
// bridge and served by the gateway, the contracts deployed, streams paying a service, the agent
// watching it; the service degrades, the agent reports the breaching window, the breach comes back
// through the gateway and is refunded. Then the agent is killed with SIGKILL, the gateway restarts
// (new epoch, its buffer gone) and a second agent reports another breach while ours is down; ours
// restarts from its cursor and refunds exactly what is left: no duplicate, nothing missed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayClient, type ExecEvent } from "@monad-gateway/sdk";
import { createPublicClient, createTestClient, createWalletClient, decodeEventLog, formatEther, http, parseEther, parseEventLogs, type Abi, type Address, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { abiOf } from "../chain/artifacts.js";
import { DegradableService, HEALTHY } from "../degrade/degradable-service.js";
import { defaultSLA } from "../default-sla.js";
import { METRIC_NAMES } from "../monitor/sla-terms.js";
import { CLI, run, startAgent, startAnvil, startBridge, startGateway, type Proc } from "./processes.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const account = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });
const keyOf = (i: number) => `0x${Buffer.from(account(i).getHdKey().privateKey!).toString("hex")}` as Hex;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DemoResult {
  streams: string[];
  breachesOnChain: string[];
  breachesProcessed: string[];
  duplicateRefunds: number;
  missedBreaches: number;
  refundsBeforeKill: number;
  refundedWei: string;
  gatewayEvents: { SLABreached: number; BreachProcessed: number };
  backfills: unknown[];
}

export async function runDemo(opts: { quick?: boolean; print?: (line: string) => void } = {}): Promise<DemoResult> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  let step = 0;
  const say = (l: string) => print(`[${++step}] ${l}`);
  const note = (l: string) => print(`      ${l}`);
  const dir = mkdtempSync(join(tmpdir(), "sla-demo-"));
  const ring = join("/dev/shm", `sla-demo-${process.pid}-${Date.now()}`);
  const procs: Proc[] = [];
  const service = new DegradableService();
  let watcher: GatewayClient | undefined;
  try {
    const anvil = await startAnvil();
    procs.push(anvil.proc);
    const bridge = await startBridge(anvil.url, ring);
    procs.push(bridge);
    let gateway = await startGateway(ring);
    procs.push(gateway.proc);
    say(`local chain ${anvil.url} (anvil) -> bridge -> ring -> gateway ${gateway.url}`);

    const agentAcct = account(1);
    const otherAgent = account(2);
    const deployFile = join(dir, "contracts.json");
    await run(process.execPath, [CLI, "contracts", "deploy", "--rpc", anvil.url, "--agent", agentAcct.address, "--agent", otherAgent.address, "--out", deployFile]);
    const d = JSON.parse(readFileSync(deployFile, "utf8")) as { contracts: Record<string, { address: Address }> };
    const factory = d.contracts.SLAStreamFactory.address;
    const oracle = d.contracts.AgentOracle.address;
    const refundManager = d.contracts.RefundManager.address;
    say(`contracts deployed: factory ${factory}, oracle ${oracle}, refund manager ${refundManager}`);

    // Everything the contracts log, as the gateway delivers it (Finalized blocks only).
    const gatewayEvents = { SLABreached: 0, BreachProcessed: 0 };
    const abis = [...abiOf("AgentOracle"), ...abiOf("RefundManager")];
    const watch = (url: string) => {
      const client = new GatewayClient({
        url,
        subscription: { events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "address", filter: { values: [oracle, refundManager] } }] }], min_stage: "Finalized" },
        clientName: "sla demo watcher",
      });
      client.on("event", (e: ExecEvent) => {
        const p = e.payload as { topics_list: Hex[]; data: Hex };
        try {
          const ev = decodeEventLog({ abi: abis, data: p.data, topics: p.topics_list as [Hex, ...Hex[]] });
          const a = ev.args as unknown as Record<string, any>;
          if (ev.eventName === "SLABreached") {
            gatewayEvents.SLABreached++;
            note(`gateway: SLABreached   stream …${String(a.streamId).slice(-6)} ${METRIC_NAMES[a.metric]} ${a.value} (tier ${a.tier}) in block ${e.block_number}`);
          } else if (ev.eventName === "BreachProcessed") {
            gatewayEvents.BreachProcessed++;
            note(`gateway: BreachProcessed stream …${String(a.streamId).slice(-6)} refunded ${formatEther(a.refunded)} ETH${a.stopped ? " (stream stopped)" : ""} in block ${e.block_number}`);
          }
        } catch {
          // MetricsReported and others: not narrated
        }
      });
      void client.connect().catch(() => undefined);
      return client;
    };
    watcher = watch(gateway.url);

    const serviceUrl = await service.listen("127.0.0.1", 0);
    const payee = account(7).address;
    const sender = account(4);
    const transport = http(anvil.url);
    const pub = createPublicClient({ chain: foundry, transport });
    const test = createTestClient({ chain: foundry, transport, mode: "anvil" });
    const wallet = createWalletClient({ chain: foundry, transport, account: sender });
    const now = Number((await pub.getBlock()).timestamp);
    const startAt = now + 1;
    const streams: string[] = [];
    for (let i = 0; i < 2; i++) {
      const hash = await wallet.writeContract({ address: factory, abi: abiOf("SLAStreamFactory"), functionName: "createStream", args: [payee, "0x0000000000000000000000000000000000000000", parseEther("1"), startAt, startAt + 3600, defaultSLA()], value: parseEther("1") });
      const r = await pub.waitForTransactionReceipt({ hash });
      for (const log of r.logs) {
        try {
          const ev = decodeEventLog({ abi: abiOf("SLAStreamFactory"), data: log.data, topics: log.topics });
          if (ev.eventName === "StreamCreated") streams.push(String((ev.args as unknown as { streamId: bigint }).streamId));
        } catch {
          // other events
        }
      }
    }
    say(`2 streams of 1 ETH over 1 h pay the service at ${serviceUrl} (SLA: latency <= 200 ms, errors <= 1 %, 60 s windows)`);

    const config = join(dir, "agent.json");
    writeFileSync(
      config,
      JSON.stringify({ rpc: anvil.url, deployment: deployFile, gateway: gateway.url, key: keyOf(1), stateDir: join(dir, "state"), services: [{ name: "api", kind: "http", url: serviceUrl, intervalMs: 200, timeoutMs: 2000, recipient: payee }], reports: { checkIntervalMs: 250 }, status: { port: 0 }, logLevel: "info" }, null, 2),
    );
    let agent = await startAgent(config);
    procs.push(agent.proc);
    say(`agent started (status API ${agent.statusUrl})`);

    service.set({ mode: "degraded", latencyMs: 700, errorRate: 0.25 });
    say("service degraded: 700 ms answers, 25 % errors");
    await sleep(opts.quick ? 2500 : 5000);
    const windowEnd = startAt + 60;
    await test.setNextBlockTimestamp({ timestamp: BigInt(windowEnd + 1) });
    await test.mine({ blocks: 1 });
    service.set(HEALTHY);
    say("chain time moved past the end of the first 60 s window; the agent reports it");

    const status = async (url: string) => (await (await fetch(`${url}/status`)).json()) as { refunds: { refundsExecuted: number; cursor: unknown; backfills: unknown[] }; monitor: { reportsSubmitted: number } };
    // Kill it the moment its first refund lands: the rest of the breaches are still to do.
    await agent.proc.waitFor(/"msg":"refund executed"/, 40_000);
    await agent.proc.stop("SIGKILL");
    const refundsBeforeKill = (agent.proc.output().match(/"msg":"refund executed"/g) ?? []).length;
    say(`agent killed with SIGKILL right after its refund #${refundsBeforeKill}`);
    await sleep(1500); // the refunds already sent finalize and show up through the gateway

    watcher.disconnect();
    await gateway.proc.stop();
    gateway = await startGateway(ring);
    procs.push(gateway.proc);
    watcher = watch(gateway.url);
    say(`gateway restarted (new epoch: its resume buffer is gone), now ${gateway.url}`);

    // A second agent reports the next window as breached while ours is down.
    const w2 = startAt + 60;
    await test.setNextBlockTimestamp({ timestamp: BigInt(w2 + 61) });
    await test.mine({ blocks: 1 });
    const other = createWalletClient({ chain: foundry, transport, account: otherAgent });
    const report = { streamId: BigInt(streams[0]), windowStart: w2, latencyMs: 1500, uptimeBps: 10_000, errorRateBps: 0, jitterMs: 0 };
    await pub.waitForTransactionReceipt({ hash: await other.writeContract({ address: oracle, abi: abiOf("AgentOracle"), functionName: "submitReport", args: [report] }) });
    say("while our agent is down, a second agent reports stream 1's next window: latency 1500 ms (tier 3)");

    writeFileSync(config, readFileSync(config, "utf8").replace(/"gateway": "[^"]+"/, `"gateway": "${gateway.url}"`));
    agent = await startAgent(config);
    procs.push(agent.proc);
    say("agent restarted from its cursor");

    const onChain = async () => {
      const ids = async (address: Address, abi: Abi, eventName: string) =>
        parseEventLogs({ abi, logs: await pub.getLogs({ address, fromBlock: 0n }), eventName }).map((l) => (l.args as unknown as { breachId: Hex }).breachId);
      return { breached: await ids(oracle, abiOf("AgentOracle"), "SLABreached"), processed: await ids(refundManager, abiOf("RefundManager"), "BreachProcessed") };
    };
    await until(async () => {
      const c = await onChain();
      return c.breached.length > 0 && c.breached.every((b) => c.processed.includes(b));
    }, 40_000, "every breach to be processed").catch((err) => {
      throw new Error(`${(err as Error).message}; the agent's last log lines:\n${agent.proc.output().split("\n").slice(-12).join("\n")}`);
    });
    await until(async () => gatewayEvents.BreachProcessed > 0, 10_000, "refunds seen through the gateway");
    await sleep(1500); // let the agent notice anything it would (wrongly) do twice
    const c = await onChain();
    const after = await status(agent.statusUrl);
    const duplicates = c.processed.length - new Set(c.processed).size;
    const missed = c.breached.filter((b) => !c.processed.includes(b)).length;
    let refunded = 0n;
    for (const id of streams) refunded += (await pub.readContract({ address: factory, abi: abiOf("SLAStreamFactory"), functionName: "claimableRefundOf", args: [BigInt(id)] })) as bigint;
    say(`result: ${c.breached.length} breaches on chain, ${c.processed.length} processed, ${duplicates} duplicate refund(s), ${missed} missed`);
    note(`refunds claimable by the sender: ${formatEther(refunded)} ETH; agent backfills after the restart: ${JSON.stringify(after.refunds.backfills)}`);
    return {
      streams,
      breachesOnChain: c.breached,
      breachesProcessed: c.processed,
      duplicateRefunds: duplicates,
      missedBreaches: missed,
      refundsBeforeKill,
      refundedWei: refunded.toString(),
      gatewayEvents,
      backfills: after.refunds.backfills,
    };
  } finally {
    watcher?.disconnect();
    await service.close().catch(() => undefined);
    for (const p of procs.reverse()) await p.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    rmSync(ring, { force: true });
  }
}

async function until(pred: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await pred().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`demo: timed out waiting for ${what}`);
    await sleep(250);
  }
}
