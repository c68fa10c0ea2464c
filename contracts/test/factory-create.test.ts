// SLAStreamFactory: creating streams, one or a batch, native or ERC-20, and every way it refuses to.
import { encodeAbiParameters, keccak256, parseAbiParameters, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventsNamed } from "./helpers/chain.js";
import { startEnv, type Env } from "./helpers/env.js";
import { defaultSLA, Metric, NATIVE, singleMetricSLA, streamIdOf, StreamStatus, ZERO, type SLA } from "./helpers/system.js";

let env: Env;
beforeAll(async () => {
  env = await startEnv();
}, 60_000);
afterAll(async () => env?.chain.stop());
beforeEach(async () => env.reset());

const SLA_TUPLE = parseAbiParameters(
  "((bool enabled,uint32 breach,uint32 tier2,uint32 tier3)[4] rules,uint16[3] refundBps,uint32 windowSeconds,uint8 severeLimit,uint32 severePeriod)",
);
const slaId = (sla: SLA) => keccak256(encodeAbiParameters(SLA_TUPLE, [sla as never]));

describe("createStream", () => {
  it("funds a native stream, stores it, and emits StreamSLA, SLARegistered and StreamCreated", async () => {
    const { factory, chain } = env;
    const [sender, recipient] = [env.senders[0], env.recipients[0]];
    const now = await chain.now();
    const before = await chain.balance(factory.address);
    const sla = defaultSLA();
    const r = await factory.write("createStream", [recipient, NATIVE, 10_000n, now + 100n, now + 1100n, sla], { from: sender, value: 10_000n, at: now + 1n });
    const id = streamIdOf(sender, 0n);
    expect(eventsNamed(r, "StreamCreated")).toEqual([
      { streamId: id, sender, recipient, token: NATIVE, deposit: 10_000n, startTime: Number(now + 100n), stopTime: Number(now + 1100n) },
    ]);
    expect(eventsNamed(r, "StreamSLA")).toEqual([{ streamId: id, slaId: slaId(sla) }]);
    expect(eventsNamed(r, "SLARegistered")).toHaveLength(1);
    expect(await chain.balance(factory.address)).toBe(before + 10_000n);
    expect(await factory.read("getStream", [id])).toMatchObject({
      sender,
      recipient,
      token: NATIVE,
      deposit: 10_000n,
      withdrawn: 0n,
      refunded: 0n,
      refundPaid: 0n,
      canceled: false,
      startTime: Number(now + 100n),
      snapshotTime: Number(now + 100n),
    });
    expect(await factory.read("slaIdOf", [id])).toBe(slaId(sla));
    expect(await factory.read("slaOf", [id])).toEqual(sla);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Pending);
    expect(await factory.read("streamNonce", [sender])).toBe(1n);
    expect(await factory.read("nextStreamId", [sender])).toBe(streamIdOf(sender, 1n));
  });

  it("stores an SLA once: a second stream under the same SLA only references it", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    const args = [env.recipients[0], NATIVE, 1000n, now + 10n, now + 100n, defaultSLA()];
    const first = await factory.write("createStream", args, { from: env.senders[0], value: 1000n });
    const second = await factory.write("createStream", args, { from: env.senders[1], value: 1000n });
    expect(eventsNamed(first, "SLARegistered")).toHaveLength(1);
    expect(eventsNamed(second, "SLARegistered")).toHaveLength(0);
    expect(second.gasUsed).toBeLessThan(first.gasUsed - 100_000n);
    expect(await factory.read("getSLA", [slaId(defaultSLA())])).toEqual(defaultSLA());
  });

  it("gives each sender its own id sequence (no contract-wide counter)", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    const create = (from: Address) =>
      factory.write("createStream", [env.recipients[0], NATIVE, 1n, now + 10n, now + 100n, defaultSLA()], { from, value: 1n });
    await create(env.senders[0]);
    await create(env.senders[1]);
    const r = await create(env.senders[0]);
    expect(eventsNamed(r, "StreamCreated")[0].streamId).toBe(streamIdOf(env.senders[0], 1n));
    expect(await factory.read("streamNonce", [env.senders[1]])).toBe(1n);
  });

  it("takes an ERC-20 deposit by allowance", async () => {
    const { factory, chain, token } = env;
    const now = await chain.now();
    const sender = env.senders[0];
    const before = await token.read<bigint>("balanceOf", [sender]);
    await factory.write("createStream", [env.recipients[0], token.address, 5_000_000n, now + 10n, now + 1000n, defaultSLA()], { from: sender });
    expect(await token.read("balanceOf", [factory.address])).toBe(5_000_000n);
    expect(await token.read("balanceOf", [sender])).toBe(before - 5_000_000n);
  });

  it("accepts a start in the past: what has elapsed is vested at once", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    await factory.write("createStream", [env.recipients[0], NATIVE, 1000n, now - 50n, now + 50n, defaultSLA()], { from: env.senders[0], value: 1000n, at: now });
    const id = streamIdOf(env.senders[0], 0n);
    expect(await factory.read("vestedOf", [id])).toBe(500n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Streaming);
  });

  it("refuses bad recipients, amounts, times and values", async () => {
    const { factory, chain, token } = env;
    const now = await chain.now();
    const from = env.senders[0];
    const sla = defaultSLA();
    const r = env.recipients[0];
    expect(await factory.expectRevert("createStream", [ZERO, NATIVE, 1n, now + 10n, now + 100n, sla], "InvalidRecipient", { from, value: 1n })).toEqual([ZERO]);
    await factory.expectRevert("createStream", [from, NATIVE, 1n, now + 10n, now + 100n, sla], "InvalidRecipient", { from, value: 1n });
    await factory.expectRevert("createStream", [factory.address, NATIVE, 1n, now + 10n, now + 100n, sla], "InvalidRecipient", { from, value: 1n });
    await factory.expectRevert("createStream", [r, NATIVE, 0n, now + 10n, now + 100n, sla], "ZeroDeposit", { from });
    await factory.expectRevert("createStream", [r, NATIVE, 1n, now + 100n, now + 100n, sla], "InvalidTimeRange", { from, value: 1n });
    await factory.expectRevert("createStream", [r, NATIVE, 1n, now - 100n, now - 10n, sla], "InvalidTimeRange", { from, value: 1n });
    expect(await factory.expectRevert("createStream", [r, NATIVE, 10n, now + 10n, now + 100n, sla], "NativeValueMismatch", { from, value: 9n })).toEqual([10n, 9n]);
    expect(await factory.expectRevert("createStream", [r, token.address, 10n, now + 10n, now + 100n, sla], "NativeValueMismatch", { from, value: 10n })).toEqual([0n, 10n]);
    // A token address without code cannot be called.
    await expect(factory.write("createStream", [r, env.recipients[1], 10n, now + 10n, now + 100n, sla], { from })).rejects.toThrow(/reverted/);
    // Without an allowance the token itself refuses.
    await factory.expectRevert("createStream", [r, token.address, 10n, now + 10n, now + 100n, sla], "ERC20InsufficientAllowance", { from: env.recipients[1] });
  });

  it("refuses a fee-on-transfer token, whose delivery falls short of the deposit", async () => {
    const { factory, chain } = env;
    const fee = await chain.deploy("FeeOnTransferERC20");
    const from = env.senders[0];
    await fee.write("mint", [from, 10n ** 24n]);
    await fee.write("approve", [factory.address, 10n ** 24n], { from });
    const now = await chain.now();
    const args = await factory.expectRevert("createStream", [env.recipients[0], fee.address, 10_000n, now + 10n, now + 100n, defaultSLA()], "TokenDeliveryShort", { from });
    expect(args).toEqual([fee.address, 10_000n, 9_900n]);
  });

  it("refuses every kind of invalid SLA", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    const attempt = (sla: SLA, error: string) =>
      factory.expectRevert("createStream", [env.recipients[0], NATIVE, 1n, now + 10n, now + 100n, sla], error, { from: env.senders[0], value: 1n });
    // Higher-is-worse bounds must rise, lower-is-worse (uptime) bounds must fall.
    expect(await attempt(singleMetricSLA(Metric.LatencyMs, { breach: 500, tier2: 200, tier3: 1000 }), "MetricRuleInvalid")).toEqual([Metric.LatencyMs]);
    expect(await attempt(singleMetricSLA(Metric.UptimeBps, { breach: 9500, tier2: 9900, tier3: 9000 }), "MetricRuleInvalid")).toEqual([Metric.UptimeBps]);
    expect(await attempt(singleMetricSLA(Metric.JitterMs, { breach: 10, tier2: 20, tier3: 15 }), "MetricRuleInvalid")).toEqual([Metric.JitterMs]);
    // Basis points above 100% are a unit mistake.
    expect(await attempt(singleMetricSLA(Metric.ErrorRateBps, { breach: 100, tier2: 500, tier3: 10_001 }), "MetricRuleInvalid")).toEqual([Metric.ErrorRateBps]);
    expect(await attempt(singleMetricSLA(Metric.UptimeBps, { breach: 10_001, tier2: 9900, tier3: 9000 }), "MetricRuleInvalid")).toEqual([Metric.UptimeBps]);
    const none = defaultSLA();
    await attempt({ ...none, rules: none.rules.map((r) => ({ ...r, enabled: false })) as unknown as SLA["rules"] }, "NoMetricEnabled");
    await attempt(defaultSLA({ refundBps: [2000, 1000, 5000] }), "RefundTiersInvalid");
    await attempt(defaultSLA({ refundBps: [1000, 2000, 10_001] }), "RefundTiersInvalid");
    expect(await attempt(defaultSLA({ windowSeconds: 59 }), "WindowInvalid")).toEqual([59]);
    await attempt(defaultSLA({ windowSeconds: 30 * 86400 + 1 }), "WindowInvalid");
    await attempt(defaultSLA({ severeLimit: 9 }), "SevereRuleInvalid");
    await attempt(defaultSLA({ severeLimit: 2, severePeriod: 0 }), "SevereRuleInvalid");
  });

  it("accepts boundary SLAs: equal bounds, 100% tier-3 refund, no auto-stop, 30-day windows", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    const sla = singleMetricSLA(Metric.UptimeBps, { breach: 9000, tier2: 9000, tier3: 0 }, {
      refundBps: [0, 0, 10_000],
      severeLimit: 0,
      severePeriod: 0,
      windowSeconds: 30 * 86400,
    });
    await factory.write("createStream", [env.recipients[0], NATIVE, 1n, now + 10n, now + 100n, sla], { from: env.senders[0], value: 1n });
  });

  it("is refused while paused; pausing is for pausers, resuming for the admin", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    await factory.expectRevert("pause", [], "AccessControlUnauthorizedAccount", { from: env.senders[0] });
    expect(await factory.read("paused")).toBe(false);
    await factory.write("pause", [], { from: env.admin });
    expect(await factory.read("paused")).toBe(true);
    await factory.expectRevert("createStream", [env.recipients[0], NATIVE, 1n, now + 10n, now + 100n, defaultSLA()], "EnforcedPause", { from: env.senders[0], value: 1n });
    await factory.expectRevert("createStreams", [NATIVE, defaultSLA(), [{ recipient: env.recipients[0], deposit: 1n, startTime: now + 10n, stopTime: now + 100n }]], "EnforcedPause", { from: env.senders[0], value: 1n });
    const pauser = env.agents[0];
    await factory.write("grantRole", [await factory.read("PAUSER_ROLE"), pauser], { from: env.admin });
    await factory.expectRevert("unpause", [], "AccessControlUnauthorizedAccount", { from: pauser });
    await factory.write("unpause", [], { from: env.admin });
    await factory.write("pause", [], { from: pauser });
    await factory.expectRevert("pause", [], "EnforcedPause", { from: pauser });
    await factory.write("unpause", [], { from: env.admin });
    await factory.expectRevert("unpause", [], "ExpectedPause", { from: env.admin });
  });
});

describe("createStreams (batch)", () => {
  const specs = (n: number, now: bigint, deposit = 1000n) =>
    Array.from({ length: n }, (_, i) => ({ recipient: env.recipients[i % 3], deposit: deposit + BigInt(i), startTime: now + 10n, stopTime: now + 1000n + BigInt(i) }));

  it("creates 200 native streams in one transaction with consecutive ids", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    const batch = specs(200, now);
    const total = batch.reduce((a, s) => a + s.deposit, 0n);
    const sender = env.senders[1];
    const first = await factory.simulate<bigint>("createStreams", [NATIVE, defaultSLA(), batch], { from: sender, value: total });
    expect(first).toBe(streamIdOf(sender, 0n));
    const r = await factory.write("createStreams", [NATIVE, defaultSLA(), batch], { from: sender, value: total });
    const created = eventsNamed(r, "StreamCreated");
    expect(created.map((e) => e.streamId)).toEqual(batch.map((_, i) => streamIdOf(sender, BigInt(i))));
    expect(eventsNamed(r, "StreamSLA")).toHaveLength(200);
    expect(eventsNamed(r, "SLARegistered")).toHaveLength(1);
    expect(await chain.balance(factory.address)).toBe(total);
    expect(await factory.read("streamNonce", [sender])).toBe(200n);
    const last = (await factory.read("getStream", [streamIdOf(sender, 199n)])) as { deposit: bigint; recipient: Address };
    expect(last).toMatchObject({ deposit: 1199n, recipient: env.recipients[199 % 3] });
    expect(r.gasUsed).toBeLessThan(30_000_000n);
    expect(await factory.read("MAX_BATCH")).toBe(200n);
  });

  it("creates an ERC-20 batch with a single transfer of the total", async () => {
    const { factory, chain, token } = env;
    const now = await chain.now();
    const batch = specs(50, now);
    const total = batch.reduce((a, s) => a + s.deposit, 0n);
    const r = await factory.write("createStreams", [token.address, defaultSLA(), batch], { from: env.senders[0] });
    expect(eventsNamed(r, "Transfer")).toEqual([{ from: env.senders[0], to: factory.address, value: total }]);
    expect(await token.read("balanceOf", [factory.address])).toBe(total);
  });

  it("is all or nothing: one bad stream, a wrong total or a bad size refuses the batch", async () => {
    const { factory, chain } = env;
    const now = await chain.now();
    const batch = specs(5, now);
    const total = batch.reduce((a, s) => a + s.deposit, 0n);
    const from = env.senders[0];
    const bad = batch.map((s, i) => (i === 3 ? { ...s, recipient: ZERO } : s));
    await factory.expectRevert("createStreams", [NATIVE, defaultSLA(), bad], "InvalidRecipient", { from, value: total });
    await factory.expectRevert("createStreams", [NATIVE, defaultSLA(), batch], "NativeValueMismatch", { from, value: total - 1n });
    expect(await factory.expectRevert("createStreams", [NATIVE, defaultSLA(), []], "BatchSizeInvalid", { from })).toEqual([0n, 200n]);
    await factory.expectRevert("createStreams", [NATIVE, defaultSLA(), specs(201, now, 1n)], "BatchSizeInvalid", { from, value: 201n * 1n + (200n * 201n) / 2n });
    await factory.expectRevert("createStreams", [NATIVE, defaultSLA({ windowSeconds: 1 }), batch], "WindowInvalid", { from, value: total });
    expect(await factory.read("streamNonce", [from])).toBe(0n);
  });
});
