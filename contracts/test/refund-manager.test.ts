// RefundManager: tiered refunds, the automatic SLA stop and the executor's full refund, each breach
// id applied once, out of the unvested remainder only, and an escalation path that never reverts.
import { keccak256, toHex, type Hex } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventsNamed } from "./helpers/chain.js";
import { startEnv, type Env } from "./helpers/env.js";
import { defaultSLA, goodReport, Metric, NATIVE, Outcome, StreamStatus, type Report, type SLA } from "./helpers/system.js";

let env: Env;
let S: bigint;
let id: bigint;
let clock: bigint;
const DEPOSIT = 1_000_000n;
const DURATION = 10_000n;

beforeAll(async () => {
  env = await startEnv();
}, 60_000);
afterAll(async () => env?.chain.stop());

async function setup(sla: SLA = defaultSLA()) {
  await env.reset();
  const now = await env.chain.now();
  S = now + 100n;
  clock = now + 1n;
  id = await env.factory.read<bigint>("nextStreamId", [env.senders[0]]);
  await env.factory.write("createStream", [env.recipients[0], NATIVE, DEPOSIT, S, S + DURATION, sla], { from: env.senders[0], value: DEPOSIT, at: clock });
}

/** The next block time: `t`, or just after the last one if that is later. */
function at(t: bigint): bigint {
  clock = t > clock ? t : clock + 1n;
  return clock;
}

/** Reports window `w` (60 s windows) with `over` and returns the ids of the breaches it recorded. */
async function breach(w: number, over: Partial<Report>): Promise<Hex[]> {
  const start = S + 60n * BigInt(w);
  const r = await env.oracle.write("submitReport", [goodReport(id, start, over)], { from: env.agents[0], at: at(start + 60n) });
  return eventsNamed(r, "SLABreached").map((b) => b.breachId as Hex);
}

const severe = { latencyMs: 5000 };

function process(breachId: Hex, t?: bigint) {
  return env.refunds.write("processBreach", [breachId], { from: env.senders[2], at: t === undefined ? undefined : at(t) });
}

describe("tiered refunds", () => {
  beforeEach(() => setup());

  it("refund the tier's share of the unvested remainder, once per breach id", async () => {
    const [b1] = await breach(0, { latencyMs: 300 }); // tier 1: 10%
    const t = S + 1000n; // 10% elapsed: 900,000 unvested
    expect(await env.refunds.read("stateOf", [b1])).toBe(0);
    const r = await process(b1, t);
    expect(eventsNamed(r, "SLARefunded")).toEqual([{ streamId: id, breachId: b1, bps: 1000, amount: 90_000n }]);
    expect(eventsNamed(r, "BreachProcessed")).toEqual([{ breachId: b1, streamId: id, tier: 1, refunded: 90_000n, stopped: false }]);
    expect(await env.refunds.read("stateOf", [b1])).toBe(1);
    expect(await env.factory.read("claimableRefundOf", [id])).toBe(90_000n);
    // Idempotent: the same id again changes nothing and does not revert.
    expect(await env.refunds.simulate("processBreach", [b1])).toEqual([Outcome.AlreadyProcessed, 0n]);
    const again = await process(b1);
    expect(again.events).toEqual([]);
    expect(await env.factory.read("claimableRefundOf", [id])).toBe(90_000n);
  });

  it("tier 2 and tier 3 take 25% and 50% of what is left at the time, never of the deposit", async () => {
    const [b2] = await breach(0, { jitterMs: 150 });
    const [b3] = await breach(1, { uptimeBps: 9000 });
    await process(b2, S + 2000n); // 800,000 unvested -> 200,000
    // 600,000 left to vest over the last 8000 s; at S+6000 half of it is unvested: 300,000 -> 150,000.
    const r = await process(b3, S + 6000n);
    expect(eventsNamed(r, "SLARefunded")[0]).toMatchObject({ bps: 5000, amount: 150_000n });
    expect(await env.factory.read("getStream", [id])).toMatchObject({ refunded: 350_000n, vestedSnapshot: 500_000n });
  });

  it("never lowers what the recipient has already earned", async () => {
    const ids = [...(await breach(0, { latencyMs: 600, jitterMs: 500, errorRateBps: 2000 })), ...(await breach(1, { latencyMs: 300 }))];
    let t = S + 500n;
    for (const b of ids) {
      await env.chain.mineAt(at(t));
      const vested = await env.factory.read<bigint>("vestedOf", [id]);
      await process(b, at(t + 1n));
      expect(await env.factory.read<bigint>("vestedOf", [id])).toBeGreaterThanOrEqual(vested);
      t += 1500n;
    }
    await env.chain.mineAt(at(S + DURATION));
    const s = await env.factory.read<{ refunded: bigint }>("getStream", [id]);
    expect(await env.factory.read("vestedOf", [id])).toBe(DEPOSIT - s.refunded);
  });

  it("a zero-bps tier is processed as NothingToRefund", async () => {
    await setup(defaultSLA({ refundBps: [0, 0, 5000] }));
    const [b] = await breach(0, { latencyMs: 300 });
    expect(await env.refunds.simulate("processBreach", [b])).toEqual([Outcome.NothingToRefund, 0n]);
    await process(b);
    expect(await env.refunds.read("stateOf", [b])).toBe(1);
  });

  it("an unknown breach id reverts a single call", async () => {
    const unknown = keccak256(toHex("no such breach"));
    expect(await env.refunds.expectRevert("processBreach", [unknown], "UnknownBreach")).toEqual([unknown]);
  });

  it("only the RefundManager can move money: an agent calling the factory directly is refused", async () => {
    await env.factory.expectRevert("refundUnvested", [id, 10_000, keccak256(toHex("x"))], "NotRefundManager", { from: env.agents[0] });
    await env.factory.expectRevert("stopForSLA", [id, keccak256(toHex("x"))], "NotRefundManager", { from: env.admin });
  });
});

describe("automatic SLA stop", () => {
  it("stops on the 3rd severe breach within the period; the recipient keeps what vested (bugs 1-3)", async () => {
    await setup();
    const [a] = await breach(0, severe);
    const [b] = await breach(1, severe);
    const [c] = await breach(2, severe);
    expect(await process(a, S + 3000n).then((r) => eventsNamed(r, "BreachProcessed")[0].stopped)).toBe(false);
    await process(b, S + 4000n);
    await env.chain.mineAt(at(S + 9000n)); // 90% elapsed
    const vestedBefore = await env.factory.read<bigint>("vestedOf", [id]);
    const out = await env.refunds.simulate<[number, bigint]>("processBreach", [c], { from: env.senders[2] });
    expect(out[0]).toBe(Outcome.Stopped);
    const r = await process(c, S + 9001n);
    const vested = await env.factory.read<bigint>("vestedOf", [id]);
    expect(vested).toBeGreaterThan(vestedBefore); // one more second vested, then frozen
    expect(eventsNamed(r, "BreachProcessed")[0]).toMatchObject({ tier: 3, stopped: true });
    expect(eventsNamed(r, "SLAStopped")[0]).toMatchObject({ streamId: id, breachId: c, recipientAmount: vested });
    expect(await env.factory.read("statusOf", [id])).toBe(StreamStatus.Canceled);
    expect(await env.factory.read("withdrawableOf", [id])).toBe(vested);
    expect(vested).toBeGreaterThan(0n);
    // The rest of the escalation path after the stop: later breaches, repeats and a full refund all
    // complete without reverting, and move nothing.
    const [d] = await breach(149, severe); // a later window, still reportable
    expect(await env.refunds.simulate("processBreach", [d])).toEqual([Outcome.NothingToRefund, 0n]);
    await process(d);
    await process(c);
    expect(await env.refunds.simulate("executeFullRefund", [d], { from: env.executor })).toEqual([Outcome.NothingToRefund, 0n]);
    await env.refunds.write("executeFullRefund", [d], { from: env.executor });
    const before = await env.chain.balance(env.recipients[0]);
    const w = await env.factory.write("withdrawMax", [id, env.recipients[0]], { from: env.recipients[0] });
    expect(await env.chain.balance(env.recipients[0])).toBe(before + vested - w.gasUsed * w.effectiveGasPrice);
  });

  it("counts severe breaches of different metrics in one window", async () => {
    await setup();
    const ids = await breach(0, { latencyMs: 5000, uptimeBps: 1000, jitterMs: 5000 });
    expect(ids).toHaveLength(3);
    const r = await env.refunds.write("processBreaches", [ids], { from: env.senders[2], at: at(S + 100n) });
    expect(eventsNamed(r, "BreachProcessed").map((e) => e.stopped)).toEqual([false, false, true]);
  });

  it("times breaches by their windows: spread-out breaches processed together do not stop the stream", async () => {
    await setup(defaultSLA({ severePeriod: 600 }));
    const ids = [...(await breach(0, severe)), ...(await breach(20, severe)), ...(await breach(40, severe))];
    const r = await env.refunds.write("processBreaches", [ids], { from: env.senders[2], at: at(S + 3000n) });
    expect(eventsNamed(r, "BreachProcessed").map((e) => e.stopped)).toEqual([false, false, false]);
    expect(await env.factory.read("statusOf", [id])).toBe(StreamStatus.Streaming);
  });

  it("finds a burst whatever the processing order", async () => {
    await setup(defaultSLA({ severeLimit: 2, severePeriod: 120 }));
    const [a] = await breach(0, severe);
    const [b] = await breach(20, severe);
    const [c] = await breach(1, severe); // 60 s after a
    await process(a);
    await process(b);
    const r = await process(c);
    expect(eventsNamed(r, "BreachProcessed")[0].stopped).toBe(true);
  });

  it("windows exactly `severePeriod` apart are not within it; severeLimit 0 never stops", async () => {
    await setup(defaultSLA({ severeLimit: 2, severePeriod: 120 }));
    const [a] = await breach(0, severe);
    const [b] = await breach(2, severe);
    await process(a);
    expect(eventsNamed(await process(b), "BreachProcessed")[0].stopped).toBe(false);
    await setup(defaultSLA({ severeLimit: 0, severePeriod: 0 }));
    const ids = [...(await breach(0, { latencyMs: 5000, jitterMs: 5000 })), ...(await breach(1, { latencyMs: 5000, jitterMs: 5000 }))];
    await env.refunds.write("processBreaches", [ids], { from: env.senders[2] });
    expect(await env.factory.read("statusOf", [id])).toBe(StreamStatus.Streaming);
    expect(await env.refunds.read("severeLogOf", [id])).toBe(0n);
  });
});

describe("full refund (executor escalation)", () => {
  beforeEach(() => setup());

  it("after two partial refunds, escalates to a full refund without reverting (bug 1)", async () => {
    const [a] = await breach(0, { latencyMs: 300 });
    const [b] = await breach(1, { latencyMs: 600 });
    const [c] = await breach(2, { latencyMs: 300 });
    await process(a, S + 1000n);
    await process(b, S + 2000n);
    const r = await env.refunds.write("executeFullRefund", [c], { from: env.executor, at: at(S + 5000n) });
    const stopped = eventsNamed(r, "SLAStopped")[0];
    expect(eventsNamed(r, "FullRefundExecuted")).toEqual([{ breachId: c, streamId: id, executor: env.executor, refunded: stopped.senderAmount }]);
    expect(await env.refunds.read("stateOf", [c])).toBe(2);
    expect(await env.factory.read("unvestedOf", [id])).toBe(0n);
    // Neither the tiered path nor a second escalation can use `c` again.
    expect(await env.refunds.simulate("processBreach", [c])).toEqual([Outcome.AlreadyProcessed, 0n]);
    expect(await env.refunds.simulate("executeFullRefund", [c], { from: env.executor })).toEqual([Outcome.AlreadyProcessed, 0n]);
    // An already-refunded breach can still be escalated (it is how an executor ends a stream).
    expect(await env.refunds.simulate("executeFullRefund", [a], { from: env.executor })).toEqual([Outcome.NothingToRefund, 0n]);
    // The sender collects everything credited.
    const s = await env.factory.read<{ refunded: bigint; withdrawn: bigint }>("getStream", [id]);
    await env.factory.write("claimRefund", [id], { from: env.agents[1] });
    expect(await env.factory.read("getStream", [id])).toMatchObject({ refundPaid: s.refunded });
  });

  it("is for executors only; needs a recorded breach", async () => {
    const [a] = await breach(0, { latencyMs: 300 });
    await env.refunds.expectRevert("executeFullRefund", [a], "AccessControlUnauthorizedAccount", { from: env.senders[0] });
    await env.refunds.expectRevert("executeFullRefund", [keccak256(toHex("?"))], "UnknownBreach", { from: env.executor });
  });
});

describe("batches and pauses", () => {
  beforeEach(() => setup());

  it("processBreaches reports unknown and repeated ids instead of reverting", async () => {
    const [a] = await breach(0, { latencyMs: 300 });
    const unknown = keccak256(toHex("unknown"));
    const [outcomes, total] = await env.refunds.simulate<[number[], bigint]>("processBreaches", [[a, unknown, a]], { from: env.senders[2] });
    expect(outcomes).toEqual([Outcome.Refunded, Outcome.UnknownBreach, Outcome.AlreadyProcessed]);
    expect(total).toBeGreaterThan(0n);
    await env.refunds.expectRevert("processBreaches", [[]], "BatchSizeInvalid");
    await env.refunds.expectRevert("processBreaches", [Array(201).fill(a)], "BatchSizeInvalid");
  });

  it("a pause (of the manager or the factory) reverts, leaving the breach to be processed later", async () => {
    const [a] = await breach(0, { latencyMs: 300 });
    await env.refunds.write("pause", [], { from: env.admin });
    await env.refunds.expectRevert("processBreach", [a], "EnforcedPause");
    await env.refunds.expectRevert("processBreaches", [[a]], "EnforcedPause");
    await env.refunds.expectRevert("executeFullRefund", [a], "EnforcedPause", { from: env.executor });
    await env.refunds.write("unpause", [], { from: env.admin });
    await env.factory.write("pause", [], { from: env.admin });
    await env.refunds.expectRevert("processBreach", [a], "EnforcedPause");
    expect(await env.refunds.read("stateOf", [a])).toBe(0);
    await env.factory.write("unpause", [], { from: env.admin });
    expect(eventsNamed(await process(a), "BreachProcessed")).toHaveLength(1);
  });

  it("refuses zero addresses at deployment and exposes its wiring", async () => {
    const zero = "0x0000000000000000000000000000000000000000";
    await expect(env.chain.deploy("RefundManager", [env.admin, zero, env.oracle.address, []])).rejects.toThrow(/ZeroAddress/);
    await expect(env.chain.deploy("RefundManager", [env.admin, env.factory.address, zero, []])).rejects.toThrow(/ZeroAddress/);
    await expect(env.chain.deploy("SLAStreamFactory", [env.admin, zero])).rejects.toThrow(/ZeroAddress/);
    await expect(env.chain.deploy("ParallelPay", [zero])).rejects.toThrow(/AccessControlInvalidDefaultAdmin/);
    expect(await env.refunds.read("ADMIN_TRANSFER_DELAY")).toBe(2 * 86400);
    expect(await env.refunds.read("MAX_BATCH")).toBe(200n);
    expect(await env.refunds.read("factory")).toBe(env.factory.address);
    expect(await env.refunds.read("oracle")).toBe(env.oracle.address);
    expect(await env.factory.read("refundManager")).toBe(env.refunds.address);
    expect(await env.refunds.read("hasRole", [await env.refunds.read("EXECUTOR_ROLE"), env.executor])).toBe(true);
  });
});

describe("admin role", () => {
  beforeEach(() => setup());

  it("moves only by a two-step transfer after a 2-day delay", async () => {
    const { factory, chain } = env;
    const next = env.agents[1];
    await factory.expectRevert("beginDefaultAdminTransfer", [next], "AccessControlUnauthorizedAccount", { from: next });
    const admin = await factory.read<Hex>("DEFAULT_ADMIN_ROLE");
    await factory.expectRevert("grantRole", [admin, next], "AccessControlEnforcedDefaultAdminRules", { from: env.admin });
    await factory.write("beginDefaultAdminTransfer", [next], { from: env.admin, at: at(clock + 1n) });
    await factory.expectRevert("acceptDefaultAdminTransfer", [], "AccessControlEnforcedDefaultAdminDelay", { from: next });
    await factory.write("acceptDefaultAdminTransfer", [], { from: next, at: at(clock + 2n * 86400n + 1n) });
    expect(await factory.read("defaultAdmin")).toBe(next);
    await factory.expectRevert("unpause", [], "AccessControlUnauthorizedAccount", { from: env.admin });
    void chain;
  });
});
