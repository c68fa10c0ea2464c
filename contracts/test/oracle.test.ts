// AgentOracle: reports judged against the stream's own SLA, breach ids recorded once, windows and
// values checked, and EIP-712 signed reports that cannot be replayed, forged or moved elsewhere.
import { encodeAbiParameters, keccak256, parseAbiParameters, parseSignature, serializeSignature, toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventsNamed } from "./helpers/chain.js";
import { startEnv, type Env } from "./helpers/env.js";
import { reportDigest, signReport } from "./helpers/signing.js";
import { defaultSLA, goodReport, Metric, NATIVE, type Report } from "./helpers/system.js";

let env: Env;
let S: bigint; // the stream's start; windows are 60 s from S; the stream stops at S + 1000
let id: bigint;
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

beforeAll(async () => {
  env = await startEnv();
}, 60_000);
afterAll(async () => env?.chain.stop());
beforeEach(async () => {
  await env.reset();
  const now = await env.chain.now();
  S = now + 100n;
  id = await env.factory.read<bigint>("nextStreamId", [env.senders[0]]);
  await env.factory.write("createStream", [env.recipients[0], NATIVE, 1_000_000n, S, S + 1000n, defaultSLA()], { from: env.senders[0], value: 1_000_000n, at: now + 1n });
});

const breachId = (streamId: bigint, windowStart: bigint, metric: Metric) =>
  keccak256(encodeAbiParameters(parseAbiParameters("uint256, uint40, uint8"), [streamId, Number(windowStart), metric]));

function submit(report: Report, opts: { from?: Address; at?: bigint } = {}) {
  return env.oracle.write("submitReport", [report], { from: opts.from ?? env.agents[0], at: opts.at });
}

describe("judging a report", () => {
  it("records nothing for metrics within the SLA (bounds are inclusive)", async () => {
    const r = await submit(goodReport(id, S, { latencyMs: 200, uptimeBps: 9990, errorRateBps: 100, jitterMs: 50 }), { at: S + 60n });
    expect(eventsNamed(r, "SLABreached")).toEqual([]);
    expect(eventsNamed(r, "MetricsReported")).toEqual([
      { streamId: id, windowStart: Number(S), reporter: env.agents[0], latencyMs: 200, uptimeBps: 9990, errorRateBps: 100, jitterMs: 50, breaches: 0 },
    ]);
  });

  it("grades each metric in its own unit and direction, and records the breach under (stream, window, metric)", async () => {
    // latency 501 ms > 500: tier 2; uptime 94.99% < 95%: tier 3 (lower is worse); errors 1.01% > 1%: tier 1; jitter fine.
    const r = await submit(goodReport(id, S + 60n, { latencyMs: 501, uptimeBps: 9499, errorRateBps: 101, jitterMs: 50 }), { at: S + 120n });
    const breaches = eventsNamed(r, "SLABreached");
    expect(breaches).toEqual([
      { breachId: breachId(id, S + 60n, Metric.LatencyMs), streamId: id, metric: Metric.LatencyMs, windowStart: Number(S + 60n), tier: 2, value: 501, bound: 500, reporter: env.agents[0] },
      { breachId: breachId(id, S + 60n, Metric.UptimeBps), streamId: id, metric: Metric.UptimeBps, windowStart: Number(S + 60n), tier: 3, value: 9499, bound: 9500, reporter: env.agents[0] },
      { breachId: breachId(id, S + 60n, Metric.ErrorRateBps), streamId: id, metric: Metric.ErrorRateBps, windowStart: Number(S + 60n), tier: 1, value: 101, bound: 100, reporter: env.agents[0] },
    ]);
    expect(eventsNamed(r, "MetricsReported")[0].breaches).toBe(3);
    expect(await env.oracle.read("breachIdOf", [id, S + 60n, Metric.UptimeBps])).toBe(breachId(id, S + 60n, Metric.UptimeBps));
    expect(await env.oracle.read("breachOf", [breachId(id, S + 60n, Metric.UptimeBps)])).toEqual({
      streamId: id,
      windowStart: Number(S + 60n),
      metric: Metric.UptimeBps,
      tier: 3,
      value: 9499,
      reporter: env.agents[0],
    });
    expect((await env.oracle.read<{ reporter: Address }>("breachOf", [keccak256(toHex("nothing"))])).reporter).toBe("0x0000000000000000000000000000000000000000");
  });

  it("tiersOf previews the grading; a high uptime is never a breach, a high latency always is", async () => {
    const tiers = (over: Partial<Report>) => env.oracle.read("tiersOf", [goodReport(id, S, over)]);
    await env.chain.mineAt(S + 60n);
    expect(await tiers({})).toEqual([0, 0, 0, 0]);
    expect(await tiers({ latencyMs: 201, jitterMs: 101 })).toEqual([1, 0, 0, 2]);
    expect(await tiers({ latencyMs: 4_000_000_000, uptimeBps: 0, errorRateBps: 10_000, jitterMs: 201 })).toEqual([3, 3, 3, 3]);
    expect(await tiers({ uptimeBps: 9989 })).toEqual([0, 1, 0, 0]);
    expect(await tiers({ uptimeBps: 9899 })).toEqual([0, 2, 0, 0]);
  });

  it("records a breach id once: a repeated or competing report on the same window adds only new metrics", async () => {
    await submit(goodReport(id, S, { latencyMs: 2000 }), { at: S + 60n });
    const again = await submit(goodReport(id, S, { latencyMs: 3000, jitterMs: 300 }), { from: env.agents[1] });
    const breaches = eventsNamed(again, "SLABreached");
    expect(breaches.map((b) => b.metric)).toEqual([Metric.JitterMs]);
    const first = await env.oracle.read<{ value: number; reporter: Address }>("breachOf", [breachId(id, S, Metric.LatencyMs)]);
    expect(first).toMatchObject({ value: 2000, reporter: env.agents[0] });
    const third = await submit(goodReport(id, S, { latencyMs: 3000, jitterMs: 300 }));
    expect(eventsNamed(third, "SLABreached")).toEqual([]);
    expect(eventsNamed(third, "MetricsReported")[0].breaches).toBe(0);
  });

  it("evaluates against each stream's own SLA", async () => {
    const strict = defaultSLA({ rules: [{ enabled: true, breach: 50, tier2: 60, tier3: 70 }, ...defaultSLA().rules.slice(1)] as never });
    const other = await env.factory.read<bigint>("nextStreamId", [env.senders[1]]);
    await env.factory.write("createStream", [env.recipients[0], NATIVE, 1000n, S, S + 1000n, strict], { from: env.senders[1], value: 1000n });
    await env.chain.mineAt(S + 60n);
    expect(await env.oracle.read("tiersOf", [goodReport(id, S, { latencyMs: 100 })])).toEqual([0, 0, 0, 0]);
    expect(await env.oracle.read("tiersOf", [goodReport(other, S, { latencyMs: 100 })])).toEqual([3, 0, 0, 0]);
  });
});

describe("which windows may be reported", () => {
  it("only whole, closed, recent windows inside the stream, with values in range", async () => {
    const o = env.oracle;
    const from = env.agents[0];
    await env.chain.mineAt(S + 200n);
    expect(await o.expectRevert("submitReport", [goodReport(id, S + 30n)], "WindowMisaligned", { from })).toEqual([Number(S + 30n)]);
    await o.expectRevert("submitReport", [goodReport(id, S - 60n)], "WindowOutsideStream", { from });
    await o.expectRevert("submitReport", [goodReport(id, S + 1020n)], "WindowOutsideStream", { from });
    expect(await o.expectRevert("submitReport", [goodReport(id, S + 180n)], "WindowNotClosed", { from })).toEqual([Number(S + 180n), S + 240n]);
    await o.expectRevert("submitReport", [goodReport(id, S, { uptimeBps: 10_001 })], "MetricOutOfRange", { from });
    expect(await o.expectRevert("submitReport", [goodReport(id, S, { errorRateBps: 10_001 })], "MetricOutOfRange", { from })).toEqual([Metric.ErrorRateBps, 10_001]);
    await o.expectRevert("submitReport", [goodReport(42n, S)], "UnknownStream", { from });
    // A window is reportable from the second it closes...
    await submit(goodReport(id, S + 180n), { at: S + 240n });
    // ...until maxReportDelay (3600 s) after.
    expect(await o.expectRevert("submitReport", [goodReport(id, S + 120n)], "ReportTooLate", { from, at: S + 180n + 3601n })).toEqual([Number(S + 120n), S + 180n + 3600n]);
  });

  it("the last window is cut short by the stream's stop and closes with it", async () => {
    // Windows start at S, S+60, ..., S+960; the last one ends at the stop, S+1000, not at S+1020.
    await env.oracle.expectRevert("submitReport", [goodReport(id, S + 960n)], "WindowNotClosed", { from: env.agents[0], at: S + 999n });
    await submit(goodReport(id, S + 960n), { at: S + 1000n });
  });

  it("is for agents only; the admin grants and revokes the role; pause stops reports", async () => {
    const o = env.oracle;
    const stranger = env.senders[2];
    await env.chain.mineAt(S + 60n);
    await o.expectRevert("submitReport", [goodReport(id, S)], "AccessControlUnauthorizedAccount", { from: stranger });
    const role = await o.read<Hex>("AGENT_ROLE");
    await o.expectRevert("grantRole", [role, stranger], "AccessControlUnauthorizedAccount", { from: env.agents[0] });
    await o.write("grantRole", [role, stranger], { from: env.admin });
    await submit(goodReport(id, S), { from: stranger });
    await o.write("revokeRole", [role, stranger], { from: env.admin });
    await o.expectRevert("submitReport", [goodReport(id, S)], "AccessControlUnauthorizedAccount", { from: stranger });
    await o.write("pause", [], { from: env.admin });
    await o.expectRevert("submitReport", [goodReport(id, S)], "EnforcedPause", { from: env.agents[0] });
    await o.expectRevert("submitReports", [[goodReport(id, S)]], "EnforcedPause", { from: env.agents[0] });
  });

  it("submitReports takes a batch, all or nothing", async () => {
    const reports = Array.from({ length: 10 }, (_, i) => goodReport(id, S + 60n * BigInt(i), { latencyMs: 600 }));
    const r = await env.oracle.write("submitReports", [reports], { from: env.agents[0], at: S + 600n });
    expect(eventsNamed(r, "SLABreached")).toHaveLength(10);
    const bad = [goodReport(id, S + 600n), goodReport(id, S + 601n)];
    await env.oracle.expectRevert("submitReports", [bad], "WindowMisaligned", { from: env.agents[0], at: S + 700n });
    await env.oracle.expectRevert("submitReports", [[]], "BatchSizeInvalid", { from: env.agents[0] });
  });
});

describe("signed reports", () => {
  const deadline = () => S + 10_000n;

  it("are accepted from any relayer, crediting the signing agent", async () => {
    const { chain, oracle } = env;
    const report = goodReport(id, S, { latencyMs: 700 });
    const signed = await signReport(chain.signers[1], chain.chainId, oracle.address, report, 7n, deadline());
    expect(await oracle.read("reportDigest", [report, 7n, deadline()])).toBe(reportDigest(chain.chainId, oracle.address, report, 7n, deadline()));
    const r = await oracle.write("submitSignedReport", [signed], { from: env.senders[2], at: S + 60n });
    expect(eventsNamed(r, "SLABreached")[0]).toMatchObject({ tier: 2, reporter: env.agents[0] });
    expect(eventsNamed(r, "MetricsReported")[0].reporter).toBe(env.agents[0]);
    expect(await oracle.read("isNonceUsed", [env.agents[0], 7n])).toBe(true);
    expect(await oracle.read("isNonceUsed", [env.agents[0], 6n])).toBe(false);
    expect(await oracle.read("nonceBitmap", [env.agents[0], 0n])).toBe(1n << 7n);
  });

  it("cannot be replayed; nonces are unordered; an agent can cancel a nonce it signed", async () => {
    const { chain, oracle } = env;
    const relayer = env.senders[2];
    await chain.mineAt(S + 120n);
    const a = await signReport(chain.signers[1], chain.chainId, oracle.address, goodReport(id, S), 1000n, deadline());
    const b = await signReport(chain.signers[1], chain.chainId, oracle.address, goodReport(id, S + 60n), 3n, deadline());
    await oracle.write("submitSignedReport", [a], { from: relayer });
    await oracle.write("submitSignedReport", [b], { from: relayer });
    expect(await oracle.expectRevert("submitSignedReport", [a], "NonceUsed", { from: relayer })).toEqual([env.agents[0], 1000n]);
    const c = await signReport(chain.signers[1], chain.chainId, oracle.address, goodReport(id, S), 4n, deadline());
    const r = await oracle.write("cancelNonce", [4n], { from: env.agents[0] });
    expect(eventsNamed(r, "NonceCanceled")).toEqual([{ signer: env.agents[0], nonce: 4n }]);
    await oracle.expectRevert("submitSignedReport", [c], "NonceUsed", { from: relayer });
    await oracle.expectRevert("cancelNonce", [4n], "NonceUsed", { from: env.agents[0] });
  });

  it("expire at their deadline", async () => {
    const { chain, oracle } = env;
    const signed = await signReport(chain.signers[1], chain.chainId, oracle.address, goodReport(id, S), 1n, S + 100n);
    await oracle.write("submitSignedReport", [signed], { from: env.senders[2], at: S + 100n }); // deadline inclusive
    const late = await signReport(chain.signers[1], chain.chainId, oracle.address, goodReport(id, S), 2n, S + 100n);
    expect(await oracle.expectRevert("submitSignedReport", [late], "SignatureExpired", { from: env.senders[2], at: S + 101n })).toEqual([S + 100n]);
  });

  it("are bound to the agent, the values, this oracle and this chain", async () => {
    const { chain, oracle } = env;
    const relayer = env.senders[2];
    await chain.mineAt(S + 60n);
    const report = goodReport(id, S, { latencyMs: 5000 });
    // Signed by a non-agent.
    const stranger = await signReport(chain.signers[6], chain.chainId, oracle.address, report, 1n, deadline());
    expect(await oracle.expectRevert("submitSignedReport", [stranger], "NotAgent", { from: relayer })).toEqual([env.senders[2]]);
    // An agent's signature with a value changed afterwards recovers someone else.
    const signed = await signReport(chain.signers[1], chain.chainId, oracle.address, report, 1n, deadline());
    await oracle.expectRevert("submitSignedReport", [{ ...signed, report: { ...report, latencyMs: 9000 } }], "NotAgent", { from: relayer });
    await oracle.expectRevert("submitSignedReport", [{ ...signed, deadline: deadline() + 1n }], "NotAgent", { from: relayer });
    // Signed for another oracle, or another chain.
    const elsewhere = await signReport(chain.signers[1], chain.chainId, env.factory.address, report, 1n, deadline());
    await oracle.expectRevert("submitSignedReport", [elsewhere], "NotAgent", { from: relayer });
    const otherChain = await signReport(chain.signers[1], 10143, oracle.address, report, 1n, deadline());
    await oracle.expectRevert("submitSignedReport", [otherChain], "NotAgent", { from: relayer });
    // The malleable twin (s -> n - s) of a valid signature is refused.
    const { r, s, yParity } = parseSignature(signed.signature);
    const twin = serializeSignature({ r, s: toHex(SECP256K1_N - BigInt(s), { size: 32 }), yParity: yParity === 0 ? 1 : 0 });
    await oracle.expectRevert("submitSignedReport", [{ ...signed, signature: twin }], "ECDSAInvalidSignatureS", { from: relayer });
    await oracle.expectRevert("submitSignedReport", [{ ...signed, signature: "0x1234" }], "ECDSAInvalidSignatureLength", { from: relayer });
    // The original still works, once.
    await oracle.write("submitSignedReport", [signed], { from: relayer });
  });

  it("an agent whose role is revoked can no longer sign; pause stops relays", async () => {
    const { chain, oracle } = env;
    await chain.mineAt(S + 60n);
    const signed = await signReport(chain.signers[1], chain.chainId, oracle.address, goodReport(id, S), 1n, deadline());
    await oracle.write("pause", [], { from: env.admin });
    await oracle.expectRevert("submitSignedReport", [signed], "EnforcedPause", { from: env.senders[2] });
    await oracle.expectRevert("submitSignedReports", [[signed]], "EnforcedPause", { from: env.senders[2] });
    await oracle.write("unpause", [], { from: env.admin });
    await oracle.write("revokeRole", [await oracle.read("AGENT_ROLE"), env.agents[0]], { from: env.admin });
    await oracle.expectRevert("submitSignedReport", [signed], "NotAgent", { from: env.senders[2] });
  });

  it("submitSignedReports relays a batch from several agents", async () => {
    const { chain, oracle } = env;
    const batch = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        signReport(chain.signers[1 + (i % 2)], chain.chainId, oracle.address, goodReport(id, S + 60n * BigInt(i), { jitterMs: 150 }), BigInt(i), deadline()),
      ),
    );
    const r = await oracle.write("submitSignedReports", [batch], { from: env.senders[2], at: S + 400n });
    expect(eventsNamed(r, "SLABreached").map((b) => b.reporter)).toEqual([0, 1, 2, 3, 4, 5].map((i) => env.agents[i % 2]));
    expect(await oracle.read("submitSignedReports", [batch], env.senders[2]).catch((e: Error) => e.message)).toMatch(/NonceUsed/);
    await oracle.expectRevert("submitSignedReports", [[]], "BatchSizeInvalid", { from: env.senders[2] });
  });
});

describe("deployment", () => {
  it("refuses a zero factory or a zero report delay", async () => {
    const { chain } = env;
    await expect(chain.deploy("AgentOracle", [env.admin, "0x0000000000000000000000000000000000000000", 60, []])).rejects.toThrow(/ZeroAddress/);
    await expect(chain.deploy("AgentOracle", [env.admin, env.factory.address, 0, []])).rejects.toThrow(/ReportDelayInvalid/);
    expect(await env.oracle.read("factory")).toBe(env.factory.address);
    expect(await env.oracle.read("maxReportDelay")).toBe(3600);
    expect(await env.oracle.read("MAX_BATCH")).toBe(200n);
    expect(await env.oracle.read("REPORT_TYPEHASH")).toBe(
      keccak256(toHex("MetricReport(uint256 streamId,uint40 windowStart,uint32 latencyMs,uint32 uptimeBps,uint32 errorRateBps,uint32 jitterMs,uint256 nonce,uint256 deadline)")),
    );
    const domain = await env.oracle.read<readonly unknown[]>("eip712Domain");
    expect(domain.slice(1, 5)).toEqual(["SLA AgentOracle", "1", BigInt(chain.chainId), env.oracle.address]);
  });
});
