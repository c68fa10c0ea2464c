// The gas table in contracts/README.md, measured. Monad charges the gas *limit*, so the table is what
// a caller sizes its limits from; it must stay true. Every number is deterministic (fixed genesis
// time, accounts and arguments), so the table is compared exactly.
// Regenerate after a contract change: UPDATE_GAS_TABLE=1 npx vitest run contracts/test/gas.test.ts
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Chain, eventsNamed, type Contract, type Sent } from "./helpers/chain.js";
import { signReport } from "./helpers/signing.js";
import { defaultSLA, deploySuite, goodReport, NATIVE, streamIdOf, type Suite } from "./helpers/system.js";

const README = fileURLToPath(new URL("../README.md", import.meta.url));
const START = "<!-- gas-table:start -->";
const END = "<!-- gas-table:end -->";
const GENESIS = 1_800_000_000n;

let chain: Chain;
const rows: [string, string, string, bigint][] = [];
let clock = GENESIS;
const tick = (dt = 1n) => (clock += dt);

function record(contract: string, fn: string, kase: string, gas: bigint | Sent) {
  rows.push([contract, fn, kase, typeof gas === "bigint" ? gas : gas.gasUsed]);
}

beforeAll(async () => {
  chain = await Chain.start(["--timestamp", String(GENESIS)]);
}, 60_000);
afterAll(async () => chain?.stop());

async function streams(suite: Suite, token: Contract) {
  const { factory } = suite;
  const [sender, sender2, recipient] = [chain.accounts[4], chain.accounts[5], chain.accounts[7]];
  const S = tick(100n);
  const create = (from: Address, sla = defaultSLA()) =>
    factory.write("createStream", [recipient, NATIVE, 1_000_000n, S, S + 10_000n, sla], { from, value: 1_000_000n, at: tick() });
  record("SLAStreamFactory", "createStream", "native, first stream with its SLA (stores the SLA)", await create(sender));
  record("SLAStreamFactory", "createStream", "native, SLA already stored", await create(sender));
  record("SLAStreamFactory", "createStream", "ERC-20, SLA already stored", await factory.write("createStream", [recipient, token.address, 1_000_000n, S, S + 10_000n, defaultSLA()], { from: sender, at: tick() }));
  for (const n of [10, 50, 200]) {
    const specs = Array.from({ length: n }, () => ({ recipient, deposit: 1000n, startTime: S, stopTime: S + 10_000n }));
    const sent = await factory.write("createStreams", [NATIVE, defaultSLA(), specs], { from: sender2, value: 1000n * BigInt(n), at: tick() });
    record("SLAStreamFactory", "createStreams", `${n} native streams (${sent.gasUsed / BigInt(n)} per stream)`, sent);
  }
  const specs = Array.from({ length: 50 }, () => ({ recipient, deposit: 1000n, startTime: S, stopTime: S + 10_000n }));
  record("SLAStreamFactory", "createStreams", "50 ERC-20 streams", await factory.write("createStreams", [token.address, defaultSLA(), specs], { from: sender2, at: tick() }));
  const id = (n: bigint, from = sender) => streamIdOf(from, n);
  const batch = Array.from({ length: 10 }, (_, i) => id(BigInt(i), sender2));
  tick(2000n);
  record("SLAStreamFactory", "withdraw", "native, part of the vested amount", await factory.write("withdraw", [id(0n), recipient, 1000n], { from: recipient, at: tick() }));
  record("SLAStreamFactory", "withdrawMax", "native", await factory.write("withdrawMax", [id(0n), recipient], { from: recipient, at: tick() }));
  record("SLAStreamFactory", "withdrawMax", "ERC-20", await factory.write("withdrawMax", [id(2n), recipient], { from: recipient, at: tick() }));
  record("SLAStreamFactory", "withdrawMaxMany", "10 native streams", await factory.write("withdrawMaxMany", [batch, recipient], { from: recipient, at: tick() }));
  return { sender, sender2, recipient, S, id, batch };
}

it("matches the table in contracts/README.md", { timeout: 120_000 }, async () => {
  const admin = chain.accounts[0];
  const agent = chain.signers[1];
  const executor = chain.accounts[3];
  await chain.mineAt(tick());
  const suite = await deploySuite(chain, { agents: [agent.address], executors: [executor] });
  const { factory, oracle, refunds } = suite;
  record("SLAStreamFactory", "deploy", "", factory.deployGas);
  record("AgentOracle", "deploy", "one agent", oracle.deployGas);
  record("RefundManager", "deploy", "one executor", refunds.deployGas);
  const token = await chain.deploy("MockERC20", ["USD Coin", 6]);
  for (const a of chain.accounts.slice(4, 7)) {
    await token.write("mint", [a, 10n ** 30n]);
    await token.write("approve", [factory.address, 2n ** 256n - 1n], { from: a });
  }
  const { sender, sender2, recipient, S, id, batch } = await streams(suite, token);

  // ------------------------------------------------------------------------------- oracle
  const T = tick(600n);
  const report = (streamId: bigint, w: bigint, over = {}) => goodReport(streamId, S + 60n * w, over);
  const submit = (r: ReturnType<typeof report>) => oracle.write("submitReport", [r], { from: agent.address, at: tick() });
  record("AgentOracle", "submitReport", "within the SLA (no breach)", await submit(report(id(0n), 0n)));
  const one = await submit(report(id(0n), 1n, { latencyMs: 300 }));
  record("AgentOracle", "submitReport", "1 breach recorded", one);
  const four = await submit(report(id(0n), 2n, { latencyMs: 5000, uptimeBps: 0, errorRateBps: 5000, jitterMs: 5000 }));
  record("AgentOracle", "submitReport", "4 breaches recorded", four);
  const ten = Array.from({ length: 10 }, (_, i) => report(id(BigInt(i), sender2), 3n, { latencyMs: 5000 }));
  const batchReports = await oracle.write("submitReports", [ten], { from: agent.address, at: tick() });
  record("AgentOracle", "submitReports", "10 reports, 1 breach each", batchReports);
  const signed = await signReport(agent, chain.chainId, oracle.address, report(id(1n), 4n, { latencyMs: 300 }), 1n, T + 10_000n);
  record("AgentOracle", "submitSignedReport", "1 breach, relayed", await oracle.write("submitSignedReport", [signed], { from: recipient, at: tick() }));
  const signedBatch = await Promise.all(
    Array.from({ length: 10 }, (_, i) => signReport(agent, chain.chainId, oracle.address, report(id(BigInt(i + 10), sender2), 4n, { latencyMs: 300 }), BigInt(100 + i), T + 10_000n)),
  );
  record("AgentOracle", "submitSignedReports", "10 reports, 1 breach each", await oracle.write("submitSignedReports", [signedBatch], { from: recipient, at: tick() }));
  record("AgentOracle", "cancelNonce", "", await oracle.write("cancelNonce", [999n], { from: agent.address, at: tick() }));

  // ------------------------------------------------------------------------------- refunds
  const ids = (s: Sent) => eventsNamed(s, "SLABreached").map((e) => e.breachId as Hex);
  const [tier1] = ids(one);
  const [sevLatency, sevUptime, , sevJitter] = ids(four);
  const processBreach = (b: Hex) => refunds.write("processBreach", [b], { from: recipient, at: tick() });
  record("RefundManager", "processBreach", "tier-1 refund", await processBreach(tier1));
  record("RefundManager", "processBreach", "tier-3 refund, logged as severe", await processBreach(sevLatency));
  record("RefundManager", "processBreach", "already processed (no-op)", await processBreach(tier1));
  await processBreach(sevUptime);
  const stop = await processBreach(sevJitter);
  expect(eventsNamed(stop, "SLAStopped")).toHaveLength(1);
  record("RefundManager", "processBreach", "3rd severe breach: refund + SLA stop", stop);
  record("RefundManager", "processBreaches", "10 tier-3 refunds on 10 streams", await refunds.write("processBreaches", [ids(batchReports)], { from: recipient, at: tick() }));
  const [fullTarget] = ids(await oracle.write("submitReport", [report(id(1n), 5n, { latencyMs: 300 })], { from: agent.address, at: tick() }));
  record("RefundManager", "executeFullRefund", "stops the stream", await refunds.write("executeFullRefund", [fullTarget], { from: executor, at: tick() }));

  record("SLAStreamFactory", "claimRefund", "native", await factory.write("claimRefund", [id(0n)], { from: recipient, at: tick() }));
  record("SLAStreamFactory", "claimRefundTo", "native, by the sender", await factory.write("claimRefundTo", [id(1n), chain.accounts[9]], { from: sender, at: tick() }));
  record("SLAStreamFactory", "claimRefunds", "10 native streams", await factory.write("claimRefunds", [batch], { from: recipient, at: tick() }));
  record("SLAStreamFactory", "cancel", "native, streaming", await factory.write("cancel", [id(20n, sender2)], { from: sender2, at: tick() }));
  record("SLAStreamFactory", "cancel", "ERC-20, streaming", await factory.write("cancel", [id(2n)], { from: sender, at: tick() }));
  const tenMore = Array.from({ length: 10 }, (_, i) => id(BigInt(30 + i), sender2));
  record("SLAStreamFactory", "cancelMany", "10 native streams", await factory.write("cancelMany", [tenMore], { from: sender2, at: tick() }));
  record("SLAStreamFactory", "pause", "", await factory.write("pause", [], { from: admin, at: tick() }));
  record("SLAStreamFactory", "unpause", "", await factory.write("unpause", [], { from: admin, at: tick() }));

  // ------------------------------------------------------------------------------- baseline
  const pay = await chain.deploy("ParallelPay", [admin]);
  record("ParallelPay", "deploy", "", pay.deployGas);
  await token.write("approve", [pay.address, 2n ** 256n - 1n], { from: sender });
  const P = tick(100n);
  record("ParallelPay", "createStream", "native", await pay.write("createStream", [recipient, NATIVE, 1_000_000n, P, P + 10_000n], { from: sender, value: 1_000_000n, at: tick() }));
  record("ParallelPay", "createStream", "ERC-20", await pay.write("createStream", [recipient, token.address, 1_000_000n, P, P + 10_000n], { from: sender, at: tick() }));
  for (const n of [50, 200]) {
    const specs = Array.from({ length: n }, () => ({ recipient, deposit: 1000n, startTime: P, stopTime: P + 10_000n }));
    const sent = await pay.write("createStreams", [NATIVE, specs], { from: sender, value: 1000n * BigInt(n), at: tick() });
    record("ParallelPay", "createStreams", `${n} native streams (${sent.gasUsed / BigInt(n)} per stream)`, sent);
  }
  tick(1000n);
  const pid = (n: bigint) => streamIdOf(sender, n);
  record("ParallelPay", "withdrawMax", "native", await pay.write("withdrawMax", [pid(0n), recipient], { from: recipient, at: tick() }));
  record("ParallelPay", "withdrawMaxMany", "10 native streams", await pay.write("withdrawMaxMany", [Array.from({ length: 10 }, (_, i) => pid(BigInt(2 + i))), recipient], { from: recipient, at: tick() }));
  record("ParallelPay", "cancel", "native", await pay.write("cancel", [pid(0n)], { from: sender, at: tick() }));
  record("ParallelPay", "cancelMany", "10 native streams", await pay.write("cancelMany", [Array.from({ length: 10 }, (_, i) => pid(BigInt(20 + i)))], { from: sender, at: tick() }));

  // ------------------------------------------------------------------------------- x402
  const x = await chain.deploy("X402Payment", [admin]);
  record("X402Payment", "deploy", "", x.deployGas);
  const [requester, payer] = [chain.accounts[6], chain.accounts[8]];
  await token.write("mint", [payer, 10n ** 24n]);
  await token.write("approve", [x.address, 10n ** 24n], { from: payer });
  const params = (tokenAddr: Address = NATIVE) => ({ payer, token: tokenAddr, amount: 10_000n, deadline: clock + 10_000n, contentHash: `0x${"ab".repeat(32)}`, refundWindow: 3600, penaltyBps: 1000 });
  record("X402Payment", "createRequest", "", await x.write("createRequest", [params()], { from: requester, at: tick() }));
  record("X402Payment", "createRequests", "10 requests", await x.write("createRequests", [[...Array(9).fill(params()), params(token.address)]], { from: requester, at: tick() }));
  const rid = (n: bigint) => streamIdOf(requester, n);
  record("X402Payment", "pay", "native", await x.write("pay", [rid(0n)], { from: payer, value: 10_000n, at: tick() }));
  record("X402Payment", "pay", "ERC-20", await x.write("pay", [rid(10n)], { from: payer, at: tick() }));
  await x.write("pay", [rid(1n)], { from: payer, value: 10_000n, at: tick() });
  await x.write("pay", [rid(2n)], { from: payer, value: 10_000n, at: tick() });
  record("X402Payment", "refund", "native, with penalty", await x.write("refund", [rid(0n)], { from: payer, at: tick() }));
  record("X402Payment", "refundByRequester", "native", await x.write("refundByRequester", [rid(1n)], { from: requester, at: tick() }));
  record("X402Payment", "release", "the penalty after a refund", await x.write("release", [rid(0n)], { from: requester, at: tick() }));
  record("X402Payment", "release", "the payment after the window", await x.write("release", [rid(2n)], { from: requester, at: tick(3600n) }));
  record("X402Payment", "cancelRequest", "", await x.write("cancelRequest", [rid(3n)], { from: requester, at: tick() }));

  const table = [
    "| Contract | Function | Case | Gas used |",
    "| --- | --- | --- | ---: |",
    ...rows.map(([c, f, k, g]) => `| ${c} | \`${f}\` | ${k} | ${g.toLocaleString("en-US")} |`),
  ].join("\n");
  const readme = readFileSync(README, "utf8");
  const [before, rest] = readme.split(START);
  const after = rest?.split(END)[1];
  if (after === undefined) throw new Error(`contracts/README.md has no ${START} ... ${END} section`);
  if (process.env.UPDATE_GAS_TABLE) writeFileSync(README, `${before}${START}\n${table}\n${END}${after}`);
  else expect(rest.split(END)[0].trim(), "gas table is stale: UPDATE_GAS_TABLE=1 npx vitest run contracts/test/gas.test.ts").toBe(table);
});
