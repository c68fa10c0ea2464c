// SLAStreamFactory (and the StreamLedger it shares with ParallelPay): withdraw, cancel, the views,
// and the ways a hostile or broken counterparty could try to interfere.
import { encodeFunctionData, toFunctionSelector, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventsNamed, type Contract } from "./helpers/chain.js";
import { startEnv, type Env } from "./helpers/env.js";
import { defaultSLA, NATIVE, streamIdOf, StreamStatus, ZERO } from "./helpers/system.js";

let env: Env;
let t0: bigint;
beforeAll(async () => {
  env = await startEnv();
}, 60_000);
afterAll(async () => env?.chain.stop());
beforeEach(async () => {
  await env.reset();
  t0 = (await env.chain.now()) + 10n;
});

/** A native stream of `deposit` from sender 0 to recipient 0 over [t0+100, t0+1100] (1000 s). */
async function stream(deposit = 10_000n, from: Address = env.senders[0], to: Address = env.recipients[0]): Promise<bigint> {
  const id = await env.factory.read<bigint>("nextStreamId", [from]);
  await env.factory.write("createStream", [to, NATIVE, deposit, t0 + 100n, t0 + 1100n, defaultSLA()], { from, value: deposit, at: (await env.chain.now()) + 1n });
  return id;
}

describe("withdraw", () => {
  it("pays the recipient exactly what has vested, linearly, to any address it names", async () => {
    const { factory, chain } = env;
    const id = await stream();
    const [recipient, other] = [env.recipients[0], env.recipients[1]];
    await chain.mineAt(t0 + 350n);
    expect(await factory.read("withdrawableOf", [id])).toBe(2500n);
    expect(await factory.read("balanceOf", [id, recipient])).toBe(2500n);
    expect(await factory.read("balanceOf", [id, env.senders[0]])).toBe(7500n);
    expect(await factory.read("balanceOf", [id, other])).toBe(0n);
    const before = await chain.balance(other);
    const r = await factory.write("withdraw", [id, other, 2000n], { from: recipient, at: t0 + 400n }); // 3000 vested
    expect(eventsNamed(r, "Withdrawn")).toEqual([{ streamId: id, recipient, to: other, amount: 2000n }]);
    expect(await chain.balance(other)).toBe(before + 2000n);
    expect(await factory.read("withdrawableOf", [id])).toBe(1000n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Streaming);
  });

  it("withdrawMax takes everything vested; 0 is not an error; after the stop the stream is depleted", async () => {
    const { factory, chain } = env;
    const id = await stream();
    const recipient = env.recipients[0];
    expect(await factory.simulate("withdrawMax", [id, recipient], { from: recipient })).toBe(0n);
    await factory.write("withdrawMax", [id, recipient], { from: recipient, at: t0 + 50n }); // before start
    await chain.mineAt(t0 + 2000n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Settled);
    const r = await factory.write("withdrawMax", [id, recipient], { from: recipient });
    expect(eventsNamed(r, "Withdrawn")[0].amount).toBe(10_000n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Depleted);
    expect(await chain.balance(factory.address)).toBe(0n);
  });

  it("withdrawMaxMany empties many streams (native and ERC-20) in one call", async () => {
    const { factory, chain, token } = env;
    const a = await stream(1000n);
    const b = await stream(3000n, env.senders[1]);
    const c = await factory.read<bigint>("nextStreamId", [env.senders[2]]);
    await factory.write("createStream", [env.recipients[0], token.address, 500n, t0 + 100n, t0 + 1100n, defaultSLA()], { from: env.senders[2] });
    const d = await stream(1000n, env.senders[0], env.recipients[1]);
    await chain.mineAt(t0 + 1100n);
    const to = env.recipients[2];
    const before = await chain.balance(to);
    const r = await factory.write("withdrawMaxMany", [[a, b, c], to], { from: env.recipients[0] });
    expect(eventsNamed(r, "Withdrawn").map((e) => e.amount)).toEqual([1000n, 3000n, 500n]);
    expect(await chain.balance(to)).toBe(before + 4000n);
    expect(await token.read("balanceOf", [to])).toBe(500n);
    await factory.expectRevert("withdrawMaxMany", [[], to], "BatchSizeInvalid", { from: env.recipients[0] });
    await factory.expectRevert("withdrawMaxMany", [[a, d], to], "NotStreamRecipient", { from: env.recipients[0] });
  });

  it("is for the recipient only, within the vested amount, to a non-zero address", async () => {
    const { factory } = env;
    const id = await stream();
    const recipient = env.recipients[0];
    expect(await factory.expectRevert("withdraw", [id, recipient, 1n], "NotStreamRecipient", { from: env.senders[0] })).toEqual([id, env.senders[0]]);
    await factory.expectRevert("withdrawMax", [id, recipient], "NotStreamRecipient", { from: env.recipients[1] });
    await factory.expectRevert("withdraw", [id, recipient, 0n], "ZeroAmount", { from: recipient });
    expect(await factory.expectRevert("withdraw", [id, recipient, 1001n], "AmountExceedsWithdrawable", { from: recipient, at: t0 + 200n })).toEqual([1001n, 1000n]);
    await factory.expectRevert("withdraw", [id, ZERO, 1n], "ZeroAddress", { from: recipient, at: t0 + 200n });
    await factory.expectRevert("withdraw", [123n, recipient, 1n], "UnknownStream", { from: recipient });
  });

  it("stays open while paused, so no role can freeze a recipient's money", async () => {
    const { factory } = env;
    const id = await stream();
    await factory.write("pause", [], { from: env.admin });
    await factory.write("withdraw", [id, env.recipients[0], 100n], { from: env.recipients[0], at: t0 + 200n });
  });

  it("vests a tiny deposit over a long time proportionally, and exactly all of it at the stop", async () => {
    const { factory, chain } = env;
    const id = await factory.read<bigint>("nextStreamId", [env.senders[0]]);
    await factory.write("createStream", [env.recipients[0], NATIVE, 3n, t0 + 100n, t0 + 100n + 1_000_000n, defaultSLA()], { from: env.senders[0], value: 3n, at: t0 });
    await chain.mineAt(t0 + 100n + 333_334n);
    expect(await factory.read("vestedOf", [id])).toBe(1n);
    await chain.mineAt(t0 + 100n + 999_999n);
    expect(await factory.read("vestedOf", [id])).toBe(2n);
    await chain.mineAt(t0 + 100n + 1_000_000n);
    expect(await factory.read("vestedOf", [id])).toBe(3n);
  });
});

describe("cancel", () => {
  it("pays the sender the unvested remainder and leaves the vested share withdrawable", async () => {
    const { factory, chain } = env;
    const id = await stream();
    const [sender, recipient] = [env.senders[0], env.recipients[0]];
    await factory.write("withdraw", [id, recipient, 1000n], { from: recipient, at: t0 + 300n }); // 2000 vested
    const before = await chain.balance(sender);
    const r = await factory.write("cancel", [id], { from: sender, at: t0 + 1000n }); // 9000 vested
    const gasCost = r.gasUsed * r.effectiveGasPrice;
    expect(eventsNamed(r, "StreamCanceled")).toEqual([{ streamId: id, sender, recipient, senderAmount: 1000n, recipientAmount: 8000n }]);
    expect(await chain.balance(sender)).toBe(before + 1000n - gasCost);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Canceled);
    // Nothing more vests, whatever the time.
    await chain.mineAt(t0 + 5000n);
    expect(await factory.read("vestedOf", [id])).toBe(9000n);
    expect(await factory.read("unvestedOf", [id])).toBe(0n);
    expect(await factory.read("balanceOf", [id, sender])).toBe(0n);
    expect(await factory.read("getStream", [id])).toMatchObject({ canceled: true, refunded: 1000n, refundPaid: 1000n, withdrawn: 1000n, vestedSnapshot: 9000n });
    await factory.write("withdrawMax", [id, recipient], { from: recipient });
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Depleted);
    expect(await chain.balance(factory.address)).toBe(0n);
  });

  it("before the start returns everything; twice, or after the stop, there is nothing to cancel", async () => {
    const { factory, chain } = env;
    const id = await stream();
    const r = await factory.write("cancel", [id], { from: env.senders[0], at: t0 + 50n });
    expect(eventsNamed(r, "StreamCanceled")[0]).toMatchObject({ senderAmount: 10_000n, recipientAmount: 0n });
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Depleted);
    expect(await factory.expectRevert("cancel", [id], "NothingToCancel", { from: env.senders[0] })).toEqual([id]);
    const late = await stream();
    await chain.mineAt(t0 + 1100n);
    await factory.expectRevert("cancel", [late], "NothingToCancel", { from: env.senders[0] });
  });

  it("is for the sender only; stays open while paused", async () => {
    const { factory } = env;
    const id = await stream();
    await factory.expectRevert("cancel", [id], "NotStreamSender", { from: env.recipients[0] });
    await factory.expectRevert("cancel", [999n], "UnknownStream", { from: env.senders[0] });
    await factory.write("pause", [], { from: env.admin });
    await factory.write("cancel", [id], { from: env.senders[0] });
  });

  it("cancelMany cancels a batch, all or nothing", async () => {
    const { factory } = env;
    const ids = [await stream(), await stream(2000n), await stream(3000n)];
    const other = await stream(1000n, env.senders[1]);
    await factory.expectRevert("cancelMany", [[ids[0], other]], "NotStreamSender", { from: env.senders[0] });
    const r = await factory.write("cancelMany", [ids], { from: env.senders[0], at: t0 + 600n });
    expect(eventsNamed(r, "StreamCanceled").map((e) => [e.senderAmount, e.recipientAmount])).toEqual([
      [5000n, 5000n],
      [1000n, 1000n],
      [1500n, 1500n],
    ]);
    await factory.expectRevert("cancelMany", [[]], "BatchSizeInvalid", { from: env.senders[0] });
  });
});

describe("hostile counterparties", () => {
  let actor: Contract;
  beforeEach(async () => {
    actor = await env.chain.deploy("Actor");
  });

  it("a recipient contract that refuses the native token cannot block the sender's cancel", async () => {
    const { factory } = env;
    const id = await stream(10_000n, env.senders[0], actor.address);
    await actor.write("setRefuseEther", [true]);
    await factory.write("cancel", [id], { from: env.senders[0], at: t0 + 600n });
    // Its vested share waits for it; it can take it to another address.
    const data = encodeFunctionData({ abi: factory.abi, functionName: "withdrawMax", args: [id, env.recipients[2]] });
    await actor.write("execute", [factory.address, data]);
    expect(await factory.read("withdrawableOf", [id])).toBe(0n);
  });

  it("a recipient that re-enters on receipt is stopped by the reentrancy guard", async () => {
    const { factory, chain } = env;
    const id = await stream(10_000n, env.senders[0], actor.address);
    const withdraw = encodeFunctionData({ abi: factory.abi, functionName: "withdrawMax", args: [id, actor.address] });
    await actor.write("setReenter", [factory.address, withdraw]);
    await chain.setNextTimestamp(t0 + 600n);
    await actor.write("execute", [factory.address, withdraw]);
    expect(await actor.read("reentered")).toBe(false);
    expect(await actor.read("reenterResult")).toBe(toFunctionSelector("ReentrancyGuardReentrantCall()"));
    expect(await chain.balance(actor.address)).toBe(5000n);
    expect(await factory.read("getStream", [id])).toMatchObject({ withdrawn: 5000n });
  });

  it("a sender that re-enters on its cancel payment cannot cancel or withdraw twice", async () => {
    const { factory, chain } = env;
    const create = encodeFunctionData({
      abi: factory.abi,
      functionName: "createStream",
      args: [env.recipients[0], NATIVE, 10_000n, t0 + 100n, t0 + 1100n, defaultSLA()],
    });
    await chain.setNextTimestamp(t0);
    await actor.write("execute", [factory.address, create], { value: 10_000n });
    const id = streamIdOf(actor.address, 0n);
    const cancel = encodeFunctionData({ abi: factory.abi, functionName: "cancel", args: [id] });
    await actor.write("setReenter", [factory.address, cancel]);
    await chain.setNextTimestamp(t0 + 600n);
    await actor.write("execute", [factory.address, cancel]);
    expect(await actor.read("reentered")).toBe(false);
    expect(await chain.balance(actor.address)).toBe(5000n);
    expect(await chain.balance(factory.address)).toBe(5000n);
  });
});

describe("views", () => {
  it("report a stream's life: pending, streaming, settled, depleted", async () => {
    const { factory, chain } = env;
    const id = await stream();
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Pending);
    expect(await factory.read("vestedOf", [id])).toBe(0n);
    expect(await factory.read("unvestedOf", [id])).toBe(10_000n);
    await chain.mineAt(t0 + 100n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Streaming);
    await chain.mineAt(t0 + 1100n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Settled);
    expect(await factory.read("unvestedOf", [id])).toBe(0n);
    for (const fn of ["getStream", "statusOf", "vestedOf", "withdrawableOf", "unvestedOf", "claimableRefundOf", "slaOf"]) {
      await expect(factory.read(fn, [7n])).rejects.toThrow(/UnknownStream/);
    }
    await expect(factory.read("balanceOf", [7n, env.senders[0]])).rejects.toThrow(/UnknownStream/);
    const terms = await factory.read<[boolean, number, number, unknown]>("slaTermsOf", [7n]);
    expect(terms[0]).toBe(false);
  });
});
