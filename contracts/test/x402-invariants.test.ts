// Stateful invariant test of the X402 escrow: random requests, payments, refunds, releases and
// cancels, checking after every step that each request's money is accounted for and that the
// contract holds exactly the escrow of the requests still holding money.
import fc from "fast-check";
import type { Address } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Chain, eventsNamed, type Contract } from "./helpers/chain.js";
import { NATIVE, ZERO } from "./helpers/system.js";

enum Status {
  Null,
  Open,
  Paid,
  Refunded,
  Released,
  Canceled,
}

interface Ghost {
  id: bigint;
  amount: bigint;
  window: bigint;
  penaltyBps: bigint;
  deadline: bigint;
  status: Status;
  paidAt: bigint;
  toPayer: bigint;
  toRequester: bigint;
}

interface Model {
  now: bigint;
  requests: Ghost[];
}

let chain: Chain;
let x: Contract;
let requester: Address;
let payer: Address;

beforeAll(async () => {
  chain = await Chain.start();
  [, requester, payer] = chain.accounts;
  x = await chain.deploy("X402Payment", [chain.accounts[0]]);
}, 60_000);
afterAll(async () => chain?.stop());

function next(m: Model, dt: number): bigint {
  m.now += 1n + BigInt(dt);
  return m.now;
}

async function check(m: Model): Promise<void> {
  let held = 0n;
  for (const g of m.requests) {
    const r = await x.read<{ status: number; held: bigint; amount: bigint }>("getRequest", [g.id]);
    expect(r.status).toBe(g.status);
    const paidIn = g.status === Status.Open || g.status === Status.Canceled ? 0n : g.amount;
    expect(g.toPayer + g.toRequester + r.held).toBe(paidIn);
    held += r.held;
  }
  expect(await chain.balance(x.address)).toBe(held);
}

type Cmd = fc.AsyncCommand<Model, Contract>;
const pick = (m: Readonly<Model>, i: number) => m.requests[i % m.requests.length];

const commands: fc.Arbitrary<Cmd>[] = [
  fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.nat(200), fc.nat(10_000), fc.integer({ min: 10, max: 500 }), fc.boolean()).map(
    ([amount, window, penalty, life, open]): Cmd => ({
      check: (m) => m.requests.length < 8,
      async run(m) {
        const id = await x.read<bigint>("nextRequestId", [requester]);
        const at = next(m, 0);
        const p = { payer: open ? ZERO : payer, token: NATIVE, amount, deadline: at + BigInt(life), contentHash: `0x${"11".repeat(32)}`, refundWindow: window, penaltyBps: penalty };
        await x.write("createRequest", [p], { from: requester, at });
        m.requests.push({ id, amount, window: BigInt(window), penaltyBps: BigInt(penalty), deadline: at + BigInt(life), status: Status.Open, paidAt: 0n, toPayer: 0n, toRequester: 0n });
        await check(m);
      },
      toString: () => `Create(${amount}, window ${window}, ${penalty} bps)`,
    }),
  ),
  fc.tuple(fc.nat(20), fc.nat(100)).map(([i, dt]): Cmd => ({
    check: (m) => m.requests.length > 0,
    async run(m) {
      const g = pick(m, i);
      const at = next(m, dt);
      if (g.status !== Status.Open || at > g.deadline) {
        await x.expectRevert("pay", [g.id], g.status !== Status.Open ? "WrongStatus" : "RequestExpired", { from: payer, value: g.amount, at });
        m.now = at - 1n - BigInt(dt);
        return;
      }
      await x.write("pay", [g.id], { from: payer, value: g.amount, at });
      g.status = Status.Paid;
      g.paidAt = at;
      await check(m);
    },
    toString: () => `Pay(${i}, +${dt})`,
  })),
  fc.tuple(fc.nat(20), fc.nat(150), fc.boolean()).map(([i, dt, byRequester]): Cmd => ({
    check: (m) => m.requests.length > 0,
    async run(m) {
      const g = pick(m, i);
      const at = next(m, dt);
      const inWindow = at < g.paidAt + g.window;
      if (g.status !== Status.Paid || (!byRequester && !inWindow)) {
        const error = g.status !== Status.Paid ? "WrongStatus" : "RefundWindowClosed";
        await x.expectRevert(byRequester ? "refundByRequester" : "refund", [g.id], error, { from: byRequester ? requester : payer, at });
        m.now = at - 1n - BigInt(dt);
        return;
      }
      const tx = await x.write(byRequester ? "refundByRequester" : "refund", [g.id], { from: byRequester ? requester : payer, at });
      const penalty = byRequester ? 0n : (g.amount * g.penaltyBps) / 10_000n;
      expect(eventsNamed(tx, "RefundIssued")[0]).toMatchObject({ refund: g.amount - penalty, penalty });
      g.toPayer += g.amount - penalty;
      g.status = Status.Refunded;
      await check(m);
    },
    toString: () => `${byRequester ? "RefundByRequester" : "Refund"}(${i}, +${dt})`,
  })),
  fc.tuple(fc.nat(20), fc.nat(150)).map(([i, dt]): Cmd => ({
    check: (m) => m.requests.length > 0,
    async run(m) {
      const g = pick(m, i);
      const at = next(m, dt);
      const r = await x.read<{ held: bigint }>("getRequest", [g.id]);
      const releasable = (g.status === Status.Paid && at >= g.paidAt + g.window) || g.status === Status.Refunded;
      if (!releasable || r.held === 0n) {
        await expect(x.write("release", [g.id], { at })).rejects.toThrow(/WrongStatus|RefundWindowOpen|NothingToRelease/);
        m.now = at - 1n - BigInt(dt);
        return;
      }
      await x.write("release", [g.id], { from: payer, at });
      g.toRequester += r.held;
      if (g.status === Status.Paid) g.status = Status.Released;
      await check(m);
    },
    toString: () => `Release(${i}, +${dt})`,
  })),
  fc.nat(20).map((i): Cmd => ({
    check: (m) => m.requests.length > 0,
    async run(m) {
      const g = pick(m, i);
      const at = next(m, 0);
      if (g.status !== Status.Open) {
        await x.expectRevert("cancelRequest", [g.id], "WrongStatus", { from: requester, at });
        m.now = at - 1n;
        return;
      }
      await x.write("cancelRequest", [g.id], { from: requester, at });
      g.status = Status.Canceled;
      await check(m);
    },
    toString: () => `Cancel(${i})`,
  })),
];

it("keeps each request's money accounted for and the balance equal to the escrow", async () => {
  let snap = await chain.snapshot();
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: "max" }), async (cmds) => {
      await chain.revert(snap);
      snap = await chain.snapshot();
      const model: Model = { now: await chain.now(), requests: [] };
      await fc.asyncModelRun(() => ({ model, real: x }), cmds);
    }),
    { numRuns: 25 },
  );
}, 120_000);
