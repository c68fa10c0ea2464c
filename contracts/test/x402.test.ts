// X402Payment: escrowed payment requests whose refund policy is fixed before payment, refunded from
// the request's own money, with the penalty left to the requester.
import { encodeFunctionData, keccak256, toFunctionSelector, toHex, type Address } from "viem";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Chain, eventsNamed, type Contract } from "./helpers/chain.js";
import { NATIVE, streamIdOf, ZERO } from "./helpers/system.js";

let chain: Chain;
let x: Contract;
let token: Contract;
let admin: Address;
let requester: Address;
let payer: Address;
let other: Address;
let snap: `0x${string}`;
let t0: bigint;
const CONTENT = keccak256(toHex("GET /v1/report.pdf"));

enum Status {
  Null,
  Open,
  Paid,
  Refunded,
  Released,
  Canceled,
}

beforeAll(async () => {
  chain = await Chain.start();
  [admin, requester, payer, other] = chain.accounts;
  x = await chain.deploy("X402Payment", [admin]);
  token = await chain.deploy("MockERC20", ["USD Coin", 6]);
  await token.write("mint", [payer, 10n ** 24n]);
  await token.write("approve", [x.address, 10n ** 24n], { from: payer });
  snap = await chain.snapshot();
}, 60_000);
afterAll(async () => chain?.stop());
beforeEach(async () => {
  await chain.revert(snap);
  snap = await chain.snapshot();
  t0 = (await chain.now()) + 10n;
});

const params = (over: Record<string, unknown> = {}) => ({
  payer,
  token: NATIVE,
  amount: 10_000n,
  deadline: t0 + 1000n,
  contentHash: CONTENT,
  refundWindow: 3600,
  penaltyBps: 1500,
  ...over,
});

async function request(over: Record<string, unknown> = {}): Promise<bigint> {
  const id = await x.read<bigint>("nextRequestId", [requester]);
  await x.write("createRequest", [params(over)], { from: requester, at: (await chain.now()) + 1n });
  return id;
}

describe("requests", () => {
  it("are created with their policy, and can be withdrawn while unpaid", async () => {
    const id = await request();
    expect(id).toBe(streamIdOf(requester, 0n));
    expect(await x.read("requestNonce", [requester])).toBe(1n);
    expect(await x.read("MAX_REFUND_WINDOW")).toBe(365 * 86400);
    expect(await x.read("getRequest", [id])).toMatchObject({ requester, payer, amount: 10_000n, status: Status.Open, refundWindow: 3600, penaltyBps: 1500, held: 0n, contentHash: CONTENT });
    const r = await x.write("createRequests", [[params(), params({ payer: ZERO, amount: 5n })]], { from: requester });
    expect(eventsNamed(r, "PaymentRequestCreated").map((e) => [e.requestId, e.payer, e.amount])).toEqual([
      [streamIdOf(requester, 1n), payer, 10_000n],
      [streamIdOf(requester, 2n), ZERO, 5n],
    ]);
    await x.expectRevert("cancelRequest", [id], "NotRequester", { from: payer });
    expect(eventsNamed(await x.write("cancelRequest", [id], { from: requester }), "RequestCanceled")).toEqual([{ requestId: id }]);
    expect(await x.expectRevert("pay", [id], "WrongStatus", { from: payer, value: 10_000n })).toEqual([id, Status.Canceled]);
    await x.expectRevert("cancelRequest", [id], "WrongStatus", { from: requester });
  });

  it("refuses invalid requests and batches", async () => {
    const from = requester;
    for (const over of [{ amount: 0n }, { deadline: t0 - 20n }, { penaltyBps: 10_001 }, { refundWindow: 365 * 86400 + 1 }, { payer: requester }]) {
      await x.expectRevert("createRequest", [params(over)], "InvalidRequest", { from });
    }
    await x.expectRevert("createRequests", [[]], "BatchSizeInvalid", { from });
    await x.expectRevert("createRequests", [Array(201).fill(params())], "BatchSizeInvalid", { from });
    await expect(x.read("getRequest", [1n])).rejects.toThrow(/UnknownRequest/);
    await expect(x.read("refundableOf", [1n])).rejects.toThrow(/UnknownRequest/);
  });

  it("have no policy setter: nothing can change a policy after creation", () => {
    const fns = x.abi.filter((i) => i.type === "function" && i.stateMutability !== "view" && i.stateMutability !== "pure").map((i) => (i as { name: string }).name);
    expect(fns.filter((n) => /policy|window|penalty/i.test(n))).toEqual([]);
  });
});

describe("paying and refunding", () => {
  it("holds the payment in escrow; a refund in the window returns it less the penalty", async () => {
    const id = await request();
    const r = await x.write("pay", [id], { from: payer, value: 10_000n, at: t0 + 10n });
    expect(eventsNamed(r, "PaymentCompleted")).toEqual([{ requestId: id, payer, amount: 10_000n }]);
    expect(await x.read("getRequest", [id])).toMatchObject({ status: Status.Paid, held: 10_000n, paidAt: Number(t0 + 10n) });
    expect(await chain.balance(x.address)).toBe(10_000n);
    await chain.mineAt(t0 + 100n);
    expect(await x.read("refundableOf", [id])).toEqual([true, 8500n]);
    const before = await chain.balance(payer);
    const f = await x.write("refund", [id], { from: payer, at: t0 + 10n + 3599n });
    expect(eventsNamed(f, "RefundIssued")).toEqual([{ requestId: id, payer, refund: 8500n, penalty: 1500n }]);
    expect(await chain.balance(payer)).toBe(before + 8500n - f.gasUsed * f.effectiveGasPrice);
    expect(await x.read("getRequest", [id])).toMatchObject({ status: Status.Refunded, held: 1500n });
    // The requester collects the penalty.
    const rel = await x.write("release", [id], { from: other });
    expect(eventsNamed(rel, "PaymentReleased")).toEqual([{ requestId: id, requester, amount: 1500n }]);
    expect(await chain.balance(x.address)).toBe(0n);
    await x.expectRevert("release", [id], "NothingToRelease");
    await x.expectRevert("refund", [id], "WrongStatus", { from: payer });
  });

  it("pays a refund from that request's own escrow, leaving other requests' money alone (bug 4)", async () => {
    const a = await request();
    const b = await request({ amount: 7000n, penaltyBps: 0 });
    await x.write("pay", [a], { from: payer, value: 10_000n });
    await x.write("pay", [b], { from: payer, value: 7000n });
    await x.write("refund", [b], { from: payer });
    expect(await chain.balance(x.address)).toBe(10_000n);
    expect(await x.read("getRequest", [a])).toMatchObject({ held: 10_000n, status: Status.Paid });
    await x.expectRevert("release", [b], "NothingToRelease");
    // No unsolicited native transfers: there is no pool of other people's money to pay from.
    expect((await chain.transfer(other, x.address, 1n)).status).toBe("reverted");
  });

  it("closes the refund window at paidAt + refundWindow; then the requester is paid in full", async () => {
    const id = await request();
    await x.write("pay", [id], { from: payer, value: 10_000n, at: t0 + 10n });
    expect(await x.expectRevert("release", [id], "RefundWindowOpen", { at: t0 + 3609n })).toEqual([id, t0 + 3610n]);
    expect(await x.expectRevert("refund", [id], "RefundWindowClosed", { from: payer, at: t0 + 3610n })).toEqual([id, t0 + 3610n]);
    await chain.mineAt(t0 + 3610n);
    expect(await x.read("refundableOf", [id])).toEqual([false, 0n]);
    const before = await chain.balance(requester);
    await x.write("release", [id], { from: other });
    expect(await chain.balance(requester)).toBe(before + 10_000n);
    expect(await x.read("getRequest", [id])).toMatchObject({ status: Status.Released, held: 0n });
    await x.expectRevert("release", [id], "WrongStatus");
    await x.expectRevert("refundByRequester", [id], "WrongStatus", { from: requester });
  });

  it("a zero refund window means the payment is final", async () => {
    const id = await request({ refundWindow: 0 });
    await x.write("pay", [id], { from: payer, value: 10_000n });
    await x.expectRevert("refund", [id], "RefundWindowClosed", { from: payer });
    await x.write("release", [id]);
  });

  it("the requester can refund in full while the payment is in escrow", async () => {
    const id = await request();
    await x.write("pay", [id], { from: payer, value: 10_000n });
    await x.expectRevert("refundByRequester", [id], "NotRequester", { from: payer });
    const r = await x.write("refundByRequester", [id], { from: requester });
    expect(eventsNamed(r, "RefundIssued")).toEqual([{ requestId: id, payer, refund: 10_000n, penalty: 0n }]);
    expect(await chain.balance(x.address)).toBe(0n);
  });

  it("works with an ERC-20, and refuses a fee-on-transfer token", async () => {
    const id = await request({ token: token.address, amount: 1_000_000n });
    await x.write("pay", [id], { from: payer });
    expect(await token.read("balanceOf", [x.address])).toBe(1_000_000n);
    await x.write("refund", [id], { from: payer });
    expect(await token.read("balanceOf", [x.address])).toBe(150_000n);
    await x.expectRevert("pay", [id], "WrongStatus", { from: payer });
    const fee = await chain.deploy("FeeOnTransferERC20");
    await fee.write("mint", [payer, 10n ** 20n]);
    await fee.write("approve", [x.address, 10n ** 20n], { from: payer });
    const f = await request({ token: fee.address, amount: 1000n });
    await x.expectRevert("pay", [f], "TokenDeliveryShort", { from: payer });
    const n = await request({ token: token.address });
    await x.expectRevert("pay", [n], "NativeValueMismatch", { from: payer, value: 1n });
  });

  it("checks the payer, the deadline and the amount", async () => {
    const id = await request();
    expect(await x.expectRevert("pay", [id], "NotPayer", { from: other, value: 10_000n })).toEqual([id, other]);
    await x.expectRevert("pay", [id], "NativeValueMismatch", { from: payer, value: 9_999n });
    expect(await x.expectRevert("pay", [id], "RequestExpired", { from: payer, value: 10_000n, at: t0 + 1001n })).toEqual([id, Number(t0 + 1000n)]);
    const open = await request({ payer: ZERO, deadline: t0 + 5000n });
    await x.write("pay", [open], { from: other, value: 10_000n });
    expect(await x.read("getRequest", [open])).toMatchObject({ payer: other });
    await x.expectRevert("refund", [open], "NotPayer", { from: payer });
    await x.expectRevert("pay", [123n], "UnknownRequest", { from: payer, value: 1n });
  });

  it("pause stops creating and paying, never refunds or releases", async () => {
    const id = await request();
    const paid = await request();
    await x.write("pay", [paid], { from: payer, value: 10_000n });
    await x.write("pause", [], { from: admin });
    await x.expectRevert("createRequest", [params()], "EnforcedPause", { from: requester });
    await x.expectRevert("createRequests", [[params()]], "EnforcedPause", { from: requester });
    await x.expectRevert("pay", [id], "EnforcedPause", { from: payer, value: 10_000n });
    await x.write("refund", [paid], { from: payer });
    await x.write("release", [paid]);
  });

  it("a payer contract that re-enters refund on receipt gets one refund", async () => {
    const actor = await chain.deploy("Actor");
    const id = await request({ payer: actor.address });
    await actor.write("execute", [x.address, encodeFunctionData({ abi: x.abi, functionName: "pay", args: [id] })], { value: 10_000n });
    const refund = encodeFunctionData({ abi: x.abi, functionName: "refund", args: [id] });
    await actor.write("setReenter", [x.address, refund]);
    await actor.write("execute", [x.address, refund]);
    expect(await actor.read("reentered")).toBe(false);
    expect(await actor.read("reenterResult")).toBe(toFunctionSelector("ReentrancyGuardReentrantCall()"));
    expect(await chain.balance(actor.address)).toBe(8500n);
    expect(await chain.balance(x.address)).toBe(1500n);
  });
});
