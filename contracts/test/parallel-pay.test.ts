// ParallelPay: the plain-stream baseline, with batch create, withdraw and cancel.
import type { Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Chain, eventsNamed, type Contract } from "./helpers/chain.js";
import { NATIVE, streamIdOf, StreamStatus, ZERO } from "./helpers/system.js";

let chain: Chain;
let pay: Contract;
let token: Contract;
let admin: Address;
let senders: Address[];
let recipients: Address[];
let snap: `0x${string}`;
let t0: bigint;

beforeAll(async () => {
  chain = await Chain.start();
  admin = chain.accounts[0];
  senders = chain.accounts.slice(4, 7);
  recipients = chain.accounts.slice(7, 10);
  pay = await chain.deploy("ParallelPay", [admin]);
  token = await chain.deploy("MockERC20", ["Tether", 6]);
  for (const s of senders) {
    await token.write("mint", [s, 10n ** 24n]);
    await token.write("approve", [pay.address, 10n ** 24n], { from: s });
  }
  snap = await chain.snapshot();
}, 60_000);
afterAll(async () => chain?.stop());
beforeEach(async () => {
  await chain.revert(snap);
  snap = await chain.snapshot();
  t0 = (await chain.now()) + 10n;
});

const specs = (n: number, deposit: bigint) =>
  Array.from({ length: n }, (_, i) => ({ recipient: recipients[i % 3], deposit, startTime: t0 + 100n, stopTime: t0 + 1100n }));

describe("ParallelPay", () => {
  it("creates a native and an ERC-20 stream; the recipient withdraws, the sender cancels", async () => {
    const [sender, recipient] = [senders[0], recipients[0]];
    const r = await pay.write("createStream", [recipient, NATIVE, 1000n, t0 + 100n, t0 + 1100n], { from: sender, value: 1000n, at: t0 });
    const id = streamIdOf(sender, 0n);
    expect(eventsNamed(r, "StreamCreated")[0]).toMatchObject({ streamId: id, sender, recipient, deposit: 1000n });
    await pay.write("createStream", [recipient, token.address, 2000n, t0 + 100n, t0 + 1100n], { from: sender });
    const tokenId = streamIdOf(sender, 1n);
    expect(await token.read("balanceOf", [pay.address])).toBe(2000n);
    await pay.write("withdraw", [id, recipient, 100n], { from: recipient, at: t0 + 300n });
    expect(await pay.read("withdrawableOf", [id])).toBe(100n);
    const c = await pay.write("cancel", [tokenId], { from: sender, at: t0 + 600n });
    expect(eventsNamed(c, "StreamCanceled")[0]).toMatchObject({ senderAmount: 1000n, recipientAmount: 1000n });
    expect(await token.read("balanceOf", [pay.address])).toBe(1000n);
    await pay.write("withdrawMax", [tokenId, recipient], { from: recipient });
    expect(await token.read("balanceOf", [recipient])).toBe(1000n);
    expect(await pay.read("statusOf", [tokenId])).toBe(StreamStatus.Depleted);
    await chain.mineAt(t0 + 700n);
    expect(await pay.read("balanceOf", [id, sender])).toBe(400n);
    expect(await pay.read("balanceOf", [id, recipient])).toBe(500n);
  });

  it("batch-creates 200 streams, then withdraws and cancels them in batches", async () => {
    const sender = senders[1];
    const batch = specs(200, 100n);
    const r = await pay.write("createStreams", [NATIVE, batch], { from: sender, value: 20_000n, at: t0 });
    expect(eventsNamed(r, "StreamCreated")).toHaveLength(200);
    const ids = batch.map((_, i) => streamIdOf(sender, BigInt(i)));
    const mine = ids.filter((_, i) => i % 3 === 0);
    const w = await pay.write("withdrawMaxMany", [mine, recipients[0]], { from: recipients[0], at: t0 + 600n });
    expect(eventsNamed(w, "Withdrawn").every((e) => e.amount === 50n)).toBe(true);
    const c = await pay.write("cancelMany", [ids], { from: sender, at: t0 + 850n });
    expect(eventsNamed(c, "StreamCanceled")).toHaveLength(200);
    expect(eventsNamed(c, "StreamCanceled").every((e) => e.senderAmount === 25n)).toBe(true);
    const left = (await chain.balance(pay.address)) as bigint;
    expect(left).toBe(200n * 75n - BigInt(mine.length) * 50n);
  });

  it("refuses what the SLA factory refuses", async () => {
    const from = senders[0];
    await pay.expectRevert("createStream", [ZERO, NATIVE, 1n, t0 + 100n, t0 + 200n], "InvalidRecipient", { from, value: 1n });
    await pay.expectRevert("createStream", [recipients[0], NATIVE, 0n, t0 + 100n, t0 + 200n], "ZeroDeposit", { from });
    await pay.expectRevert("createStream", [recipients[0], NATIVE, 1n, t0 + 200n, t0 + 100n], "InvalidTimeRange", { from, value: 1n });
    await pay.expectRevert("createStream", [recipients[0], NATIVE, 2n, t0 + 100n, t0 + 200n], "NativeValueMismatch", { from, value: 1n });
    await pay.expectRevert("createStreams", [NATIVE, specs(201, 1n)], "BatchSizeInvalid", { from, value: 201n });
    await pay.expectRevert("createStreams", [token.address, specs(2, 1n)], "NativeValueMismatch", { from, value: 2n });
    const id = streamIdOf(from, 0n);
    await pay.write("createStream", [recipients[0], NATIVE, 1000n, t0 + 100n, t0 + 1100n], { from, value: 1000n });
    await pay.expectRevert("withdraw", [id, recipients[0], 1n], "NotStreamRecipient", { from });
    await pay.expectRevert("withdraw", [id, recipients[0], 1n], "AmountExceedsWithdrawable", { from: recipients[0] });
    await pay.expectRevert("cancel", [id], "NotStreamSender", { from: recipients[0] });
    await pay.expectRevert("cancelMany", [[id, id]], "NothingToCancel", { from });
    await pay.write("pause", [], { from: admin });
    await pay.expectRevert("createStream", [recipients[0], NATIVE, 1n, t0 + 100n, t0 + 200n], "EnforcedPause", { from, value: 1n });
    await pay.expectRevert("createStreams", [NATIVE, specs(1, 1n)], "EnforcedPause", { from, value: 1n });
    await pay.write("cancel", [id], { from });
  });
});
