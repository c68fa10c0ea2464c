// SLAStreamFactory's refund entry points, driven directly by an account standing in for the
// RefundManager: refunds come only out of the unvested remainder, the recipient's vested share is
// never touched, and the sender collects by pull.
import { encodeFunctionData, keccak256, toHex, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Chain, eventsNamed, type Contract } from "./helpers/chain.js";
import { defaultSLA, NATIVE, streamIdOf, StreamStatus } from "./helpers/system.js";

let chain: Chain;
let factory: Contract;
let manager: Address;
let admin: Address;
let sender: Address;
let recipient: Address;
let snap: `0x${string}`;
let t0: bigint;
const BREACH = keccak256(toHex("breach-1"));

beforeAll(async () => {
  chain = await Chain.start();
  [admin, , , manager, sender, , , recipient] = chain.accounts;
  factory = await chain.deploy("SLAStreamFactory", [admin, manager]);
  snap = await chain.snapshot();
}, 60_000);
afterAll(async () => chain?.stop());
beforeEach(async () => {
  await chain.revert(snap);
  snap = await chain.snapshot();
  t0 = (await chain.now()) + 10n;
});

/** 10,000 wei from `sender` to `recipient` over [t0+100, t0+1100]. */
async function stream(from: Address = sender): Promise<bigint> {
  const id = await factory.read<bigint>("nextStreamId", [from]);
  await factory.write("createStream", [recipient, NATIVE, 10_000n, t0 + 100n, t0 + 1100n, defaultSLA()], { from, value: 10_000n, at: (await chain.now()) + 1n });
  return id;
}

describe("refundUnvested", () => {
  it("takes bps of the unvested remainder only, after freezing what has vested", async () => {
    const id = await stream();
    const r = await factory.write("refundUnvested", [id, 2500, BREACH], { from: manager, at: t0 + 500n }); // 4000 vested
    expect(eventsNamed(r, "SLARefunded")).toEqual([{ streamId: id, breachId: BREACH, bps: 2500, amount: 1500n }]);
    expect(await factory.read("getStream", [id])).toMatchObject({ refunded: 1500n, vestedSnapshot: 4000n, snapshotTime: Number(t0 + 500n), refundPaid: 0n });
    // The rest (4500) now vests over the remaining 600 s; the recipient's 4000 is untouched.
    await chain.mineAt(t0 + 800n);
    expect(await factory.read("vestedOf", [id])).toBe(4000n + 2250n);
    await chain.mineAt(t0 + 1100n);
    expect(await factory.read("vestedOf", [id])).toBe(8500n);
    expect(await factory.read("claimableRefundOf", [id])).toBe(1500n);
    expect(await factory.read("balanceOf", [id, sender])).toBe(1500n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Settled);
  });

  it("returns 0 without reverting or emitting once nothing is left to vest", async () => {
    const id = await stream();
    const canceled = await stream();
    await factory.write("cancel", [canceled], { from: sender });
    await chain.mineAt(t0 + 1100n);
    expect(await factory.simulate("refundUnvested", [id, 10_000, BREACH], { from: manager })).toBe(0n);
    const r = await factory.write("refundUnvested", [id, 10_000, BREACH], { from: manager });
    expect(eventsNamed(r, "SLARefunded")).toEqual([]);
    expect(await factory.simulate("refundUnvested", [canceled, 5000, BREACH], { from: manager })).toBe(0n);
  });

  it("a 100% refund leaves the vested share and ends the vesting", async () => {
    const id = await stream();
    await factory.write("refundUnvested", [id, 10_000, BREACH], { from: manager, at: t0 + 300n });
    expect(await factory.read("unvestedOf", [id])).toBe(0n);
    await chain.mineAt(t0 + 1000n);
    expect(await factory.read("vestedOf", [id])).toBe(2000n);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Settled);
  });

  it("is for the RefundManager only, with bps <= 10000, on a known stream, while not paused", async () => {
    const id = await stream();
    expect(await factory.expectRevert("refundUnvested", [id, 100, BREACH], "NotRefundManager", { from: sender })).toEqual([sender]);
    await factory.expectRevert("refundUnvested", [id, 100, BREACH], "NotRefundManager", { from: admin });
    expect(await factory.expectRevert("refundUnvested", [id, 10_001, BREACH], "RefundBpsInvalid", { from: manager })).toEqual([10_001]);
    await factory.expectRevert("refundUnvested", [5n, 100, BREACH], "UnknownStream", { from: manager });
    await factory.write("pause", [], { from: admin });
    await factory.expectRevert("refundUnvested", [id, 100, BREACH], "EnforcedPause", { from: manager });
    await factory.expectRevert("stopForSLA", [id, BREACH], "EnforcedPause", { from: manager });
  });
});

describe("stopForSLA", () => {
  it("takes the whole unvested remainder and leaves the vested share withdrawable (90% elapsed)", async () => {
    const id = await stream();
    const r = await factory.write("stopForSLA", [id, BREACH], { from: manager, at: t0 + 1000n });
    expect(eventsNamed(r, "SLAStopped")).toEqual([{ streamId: id, breachId: BREACH, senderAmount: 1000n, recipientAmount: 9000n }]);
    expect(await factory.read("statusOf", [id])).toBe(StreamStatus.Canceled);
    expect(await factory.read("balanceOf", [id, recipient])).toBe(9000n);
    const before = await chain.balance(recipient);
    const w = await factory.write("withdrawMax", [id, recipient], { from: recipient });
    expect(await chain.balance(recipient)).toBe(before + 9000n - w.gasUsed * w.effectiveGasPrice);
  });

  it("returns 0 without reverting on a stream already stopped, canceled or ended", async () => {
    const id = await stream();
    await factory.write("stopForSLA", [id, BREACH], { from: manager, at: t0 + 500n });
    expect(await factory.simulate("stopForSLA", [id, BREACH], { from: manager })).toBe(0n);
    await factory.write("stopForSLA", [id, BREACH], { from: manager });
    await factory.expectRevert("cancel", [id], "NothingToCancel", { from: sender });
    await factory.expectRevert("stopForSLA", [id, BREACH], "NotRefundManager", { from: sender });
  });
});

describe("claiming refunds", () => {
  it("anyone can push the sender's refund to the sender; only once", async () => {
    const id = await stream();
    await factory.write("refundUnvested", [id, 5000, BREACH], { from: manager, at: t0 + 100n });
    const before = await chain.balance(sender);
    const r = await factory.write("claimRefund", [id], { from: recipient });
    expect(eventsNamed(r, "RefundClaimed")).toEqual([{ streamId: id, sender, to: sender, amount: 5000n }]);
    expect(await chain.balance(sender)).toBe(before + 5000n);
    expect(await factory.simulate("claimRefund", [id], { from: recipient })).toBe(0n);
    expect(await factory.read("claimableRefundOf", [id])).toBe(0n);
  });

  it("cancel pays unclaimed refunds together with the unvested remainder", async () => {
    const id = await stream();
    await factory.write("refundUnvested", [id, 5000, BREACH], { from: manager, at: t0 + 100n }); // 5000 credited
    const r = await factory.write("cancel", [id], { from: sender, at: t0 + 600n }); // 2500 vested of the 5000 left
    expect(eventsNamed(r, "StreamCanceled")[0]).toMatchObject({ senderAmount: 7500n, recipientAmount: 2500n });
    expect(await factory.read("getStream", [id])).toMatchObject({ refunded: 7500n, refundPaid: 7500n });
  });

  it("a sender that refuses the native token does not block refunds; it claims them elsewhere", async () => {
    const actor = await chain.deploy("Actor");
    const create = encodeFunctionData({ abi: factory.abi, functionName: "createStream", args: [recipient, NATIVE, 10_000n, t0 + 100n, t0 + 1100n, defaultSLA()] });
    // Every block up to the stop has an explicit time. Untimed, the stop took anvil's own clock: it
    // passed its gas estimate on the pending block, then reverted when mined (seen once in CI, under
    // load). What it does depends on when it runs in the stream, so the test says when.
    await actor.write("execute", [factory.address, create], { value: 10_000n, at: (await chain.now()) + 1n });
    const id = streamIdOf(actor.address, 0n);
    await actor.write("setRefuseEther", [true], { at: (await chain.now()) + 1n });
    await factory.write("refundUnvested", [id, 1000, BREACH], { from: manager, at: t0 + 100n });
    await factory.write("stopForSLA", [id, BREACH], { from: manager, at: t0 + 200n });
    await factory.expectRevert("claimRefund", [id], "NativeTransferFailed", { from: recipient });
    const to = chain.accounts[9];
    const before = await chain.balance(to);
    await factory.expectRevert("claimRefundTo", [id, to], "NotStreamSender", { from: recipient });
    const claim = encodeFunctionData({ abi: factory.abi, functionName: "claimRefundTo", args: [id, to] });
    await actor.write("execute", [factory.address, claim]);
    expect(await chain.balance(to)).toBeGreaterThan(before);
    expect(await factory.read("claimableRefundOf", [id])).toBe(0n);
  });

  it("claimRefunds settles a batch; claims stay open while paused", async () => {
    const ids = [await stream(), await stream(), await stream()];
    for (const id of ids) await factory.write("refundUnvested", [id, 1000, BREACH], { from: manager, at: (await chain.now()) + 1n });
    await factory.write("pause", [], { from: admin });
    const r = await factory.write("claimRefunds", [ids], { from: recipient });
    expect(eventsNamed(r, "RefundClaimed").map((e) => e.amount)).toEqual([1000n, 1000n, 1000n]);
    await factory.expectRevert("claimRefunds", [[]], "BatchSizeInvalid", { from: recipient });
    await factory.expectRevert("claimRefundTo", [ids[0], "0x0000000000000000000000000000000000000000"], "ZeroAddress", { from: sender });
  });
});
