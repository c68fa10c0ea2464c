// reports.submit = "breaches" on a real chain (anvil + the deployed contracts + the agent measuring a
// real HTTP service): a window within the SLA is measured and counted but nothing is sent; a
// breaching window is reported and its breaches recorded by the oracle.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, createTestClient, createWalletClient, http, parseEther, parseEventLogs, type Address, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { startAnvil, type Anvil } from "../../../contracts/test/helpers/anvil.js";
import { runCli } from "../../../gateway/test/helpers/cli.js";
import { abiOf, defaultSLA, DegradableService, HEALTHY, runAgent, type RunningAgent } from "@monad-gateway/sla-agent";

const MNEMONIC = "test test test test test test test test test test test junk";
const account = (i: number) => mnemonicToAccount(MNEMONIC, { addressIndex: i });
const keyOf = (i: number) => `0x${Buffer.from(account(i).getHdKey().privateKey!).toString("hex")}` as Hex;

async function until(what: string, pred: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reports.submit: "breaches"', () => {
  let anvil: Anvil | undefined;
  let agent: RunningAgent | undefined;
  const service = new DegradableService();
  afterAll(async () => {
    await agent?.stop();
    await service.close();
    await anvil?.stop();
  });

  it("sends nothing for a window within the SLA and reports the breaching one", async () => {
    anvil = await startAnvil();
    const dir = mkdtempSync(join(tmpdir(), "sla-breaches-only-"));
    const deployment = join(dir, "contracts.json");
    const deployed = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--agent", account(1).address, "--out", deployment], { timeoutMs: 60_000 });
    expect(deployed.code, deployed.stderr).toBe(0);
    const contracts = JSON.parse(readFileSync(deployment, "utf8")).contracts as Record<string, { address: Address }>;

    const transport = http(anvil.url);
    const pub = createPublicClient({ chain: foundry, transport });
    const chain = createTestClient({ chain: foundry, transport, mode: "anvil" });
    const wallet = createWalletClient({ chain: foundry, transport, account: account(4) });
    const payee = account(7).address;
    const startAt = Number((await pub.getBlock()).timestamp) + 1;
    // A latency bound no loaded test machine reaches: only the error rate decides.
    const sla = defaultSLA({ rules: [{ enabled: true, breach: 5000, tier2: 6000, tier3: 7000 }, ...defaultSLA().rules.slice(1, 3), { enabled: false, breach: 0, tier2: 0, tier3: 0 }] });
    const hash = await wallet.writeContract({ address: contracts.SLAStreamFactory.address, abi: abiOf("SLAStreamFactory"), functionName: "createStream", args: [payee, "0x0000000000000000000000000000000000000000", parseEther("1"), startAt, startAt + 3600, sla], value: parseEther("1") });
    await pub.waitForTransactionReceipt({ hash });

    const url = await service.listen("127.0.0.1", 0);
    const config = join(dir, "agent.json");
    writeFileSync(
      config,
      JSON.stringify({
        rpc: anvil.url,
        deployment,
        gateway: "ws://127.0.0.1:9", // unused: no feed service, refunds off
        key: keyOf(1),
        stateDir: join(dir, "state"),
        services: [{ name: "api", kind: "http", url, intervalMs: 100, recipient: payee }],
        reports: { submit: "breaches", checkIntervalMs: 200 },
        refunds: { enabled: false },
        status: { enabled: false },
      }),
    );
    agent = await runAgent(config, { logger: pino({ level: "silent" }) });
    const stats = agent.monitor!.stats;
    await until("the stream to be found and probed", () => stats.services.api.streams === 1);
    await new Promise((r) => setTimeout(r, 1500));

    // Window 1 closes healthy: measured, not sent.
    await chain.setNextBlockTimestamp({ timestamp: BigInt(startAt + 61) });
    await chain.mine({ blocks: 1 });
    await until("window 1 to be judged", () => stats.windowsWithinSlaNotSubmitted === 1);
    expect(stats.reportsSubmitted).toBe(0);
    expect(stats.services.api.latest).toMatchObject({ windowStart: startAt, errorRateBps: 0 });

    // Window 2 with half the requests failing: reported, breach recorded.
    service.set({ mode: "degraded", latencyMs: 0, errorRate: 0.5 });
    await new Promise((r) => setTimeout(r, 1500));
    await chain.setNextBlockTimestamp({ timestamp: BigInt(startAt + 121) });
    await chain.mine({ blocks: 1 });
    await until("window 2 to be reported", () => stats.reportsSubmitted === 1);
    service.set(HEALTHY);
    expect(stats.windowsWithinSlaNotSubmitted).toBe(1);
    expect(stats.breachesRecorded).toBeGreaterThanOrEqual(1);

    const logs = await pub.getLogs({ address: contracts.AgentOracle.address, fromBlock: 0n });
    const reported = parseEventLogs({ abi: abiOf("AgentOracle"), logs, eventName: "MetricsReported" }).map((l) => Number((l.args as { windowStart: number }).windowStart));
    expect(reported).toEqual([startAt + 60]);
    expect(parseEventLogs({ abi: abiOf("AgentOracle"), logs, eventName: "SLABreached" }).length).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
