// Stateful invariant test: random sequences of every operation (create, batch, withdraw, cancel,
// report, process, full refund, claim, time) against the deployed SLA contracts on anvil, with the
// accounting invariants checked after every step:
//   per stream   vested + unvested + refunded == deposit      (so withdrawn + refunded + remaining == deposit)
//                withdrawn <= vested, refundPaid <= refunded, canceled => unvested == 0
//                vested matches the model, never decreases; refunded never decreases
//                every refund <= the unvested amount at that moment; the vested share survives it
//                what the recipient and sender actually received == withdrawn and refundPaid
//   contract     balance == sum of liabilities (deposit - withdrawn - refundPaid), per token
//   breaches     each id refunds at most once
import fc from "fast-check";
import type { Address, Hex } from "viem";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventsNamed, type Contract } from "./helpers/chain.js";
import { startEnv, type Env } from "./helpers/env.js";
import { liability, unvestedAt, vestedAt, type StoredStream } from "./helpers/model.js";
import { defaultSLA, Metric, NATIVE, Outcome, type SLA } from "./helpers/system.js";

interface Ghost {
  id: bigint;
  erc20: boolean;
  deposit: bigint;
  sla: SLA;
  recipientReceived: bigint;
  senderReceived: bigint;
  lastVested: bigint;
  lastRefunded: bigint;
}

interface Model {
  now: bigint;
  streams: Ghost[];
  breaches: { id: Hex; streamIndex: number; used: boolean }[];
}

interface Real {
  env: Env;
  lens: Contract;
}

const SLAS: SLA[] = [
  defaultSLA(),
  defaultSLA({ severeLimit: 1, severePeriod: 60 }),
  defaultSLA({ refundBps: [5000, 7500, 10_000], severeLimit: 0, severePeriod: 0 }),
];
const MAX_STREAMS = 10;

let env: Env;
let lens: Contract;

beforeAll(async () => {
  env = await startEnv();
  lens = await env.chain.deploy("StreamLens");
}, 60_000);
afterAll(async () => env?.chain.stop());

function next(m: Model, dt: number): bigint {
  m.now += 1n + BigInt(dt);
  return m.now;
}

const stored = (r: Real, id: bigint) => r.env.factory.read<StoredStream>("getStream", [id]);

async function checkInvariants(m: Model, r: Real): Promise<void> {
  const ids = m.streams.map((g) => g.id);
  const [views, nativeBalance, tokenBalance, timestamp] = await r.lens.read<
    [{ stream: StoredStream; vested: bigint; unvested: bigint; withdrawable: bigint }[], bigint, bigint, bigint]
  >("read", [r.env.factory.address, ids, r.env.token.address]);
  let native = 0n;
  let erc20 = 0n;
  views.forEach((v, i) => {
    const g = m.streams[i];
    const s = v.stream;
    expect(s.deposit).toBe(g.deposit);
    expect(v.vested + v.unvested + s.refunded).toBe(s.deposit);
    expect(s.withdrawn).toBeLessThanOrEqual(v.vested);
    expect(v.withdrawable).toBe(v.vested - s.withdrawn);
    expect(s.refundPaid).toBeLessThanOrEqual(s.refunded);
    if (s.canceled) expect(v.unvested).toBe(0n);
    expect(v.vested).toBe(vestedAt(s, timestamp));
    expect(v.vested).toBeGreaterThanOrEqual(g.lastVested);
    expect(s.refunded).toBeGreaterThanOrEqual(g.lastRefunded);
    expect(s.withdrawn).toBe(g.recipientReceived);
    expect(s.refundPaid).toBe(g.senderReceived);
    g.lastVested = v.vested;
    g.lastRefunded = s.refunded;
    if (g.erc20) erc20 += liability(s);
    else native += liability(s);
  });
  expect(nativeBalance).toBe(native);
  expect(tokenBalance).toBe(erc20);
}

/** A value of `metric` graded at `tier` under `rule` (the rules here have distinct bounds). */
function valueFor(sla: SLA, metric: Metric, tier: number): number {
  const r = sla.rules[metric];
  const bounds = [r.breach, r.breach, r.tier2, r.tier3];
  if (metric === Metric.UptimeBps) return tier === 0 ? 10_000 : bounds[tier] - 1;
  return tier === 0 ? r.breach : bounds[tier] + 1;
}

// ----------------------------------------------------------------------------------------- commands

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly who: number,
    readonly erc20: boolean,
    readonly deposits: bigint[],
    readonly startOffset: number,
    readonly duration: number,
    readonly sla: number,
  ) {}
  check = (m: Readonly<Model>) => m.streams.length + this.deposits.length <= MAX_STREAMS;
  async run(m: Model, r: Real) {
    const { factory, token, senders, recipients } = r.env;
    const sender = senders[this.who % 3];
    const at = next(m, 0);
    const start = at + BigInt(this.startOffset);
    const stop = start + BigInt(this.duration);
    const tokenAddr = this.erc20 ? token.address : NATIVE;
    const total = this.deposits.reduce((a, b) => a + b, 0n);
    const first = await factory.read<bigint>("nextStreamId", [sender]);
    const sla = SLAS[this.sla];
    const value = this.erc20 ? 0n : total;
    if (this.deposits.length === 1) {
      await factory.write("createStream", [recipients[this.who % 3], tokenAddr, total, start, stop, sla], { from: sender, value, at });
    } else {
      const specs = this.deposits.map((deposit, i) => ({ recipient: recipients[(this.who + i) % 3], deposit, startTime: start, stopTime: stop + BigInt(i) }));
      await factory.write("createStreams", [tokenAddr, sla, specs], { from: sender, value, at });
    }
    this.deposits.forEach((deposit, i) =>
      m.streams.push({ id: first + BigInt(i), erc20: this.erc20, deposit, sla, recipientReceived: 0n, senderReceived: 0n, lastVested: 0n, lastRefunded: 0n }),
    );
    await checkInvariants(m, r);
  }
  toString = () => `Create(${this.who}, ${this.erc20 ? "erc20" : "native"}, [${this.deposits}], +${this.startOffset}, ${this.duration}s, sla${this.sla})`;
}

class Withdraw implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly permille: number,
    readonly dt: number,
  ) {}
  check = (m: Readonly<Model>) => m.streams.length > 0;
  async run(m: Model, r: Real) {
    const g = m.streams[this.index % m.streams.length];
    const s = await stored(r, g.id);
    const at = next(m, this.dt);
    const available = vestedAt(s, at) - s.withdrawn;
    const amount = (available * BigInt(this.permille)) / 1000n;
    const to = r.env.chain.accounts[9];
    if (amount === 0n) {
      await r.env.factory.write("withdrawMax", [g.id, to], { from: s.recipient, at });
      g.recipientReceived += available;
    } else {
      const tx = await r.env.factory.write("withdraw", [g.id, to, amount], { from: s.recipient, at });
      expect(eventsNamed(tx, "Withdrawn")[0].amount).toBe(amount);
      g.recipientReceived += amount;
    }
    await checkInvariants(m, r);
  }
  toString = () => `Withdraw(${this.index}, ${this.permille}‰, +${this.dt})`;
}

class Cancel implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly dt: number,
  ) {}
  check = (m: Readonly<Model>) => m.streams.length > 0;
  async run(m: Model, r: Real) {
    const g = m.streams[this.index % m.streams.length];
    const s = await stored(r, g.id);
    const at = next(m, this.dt);
    const unvested = unvestedAt(s, at);
    if (unvested === 0n) {
      await r.env.factory.expectRevert("cancel", [g.id], "NothingToCancel", { from: s.sender, at });
      m.now -= 1n + BigInt(this.dt); // nothing was mined
      return;
    }
    const tx = await r.env.factory.write("cancel", [g.id], { from: s.sender, at });
    const paid = unvested + s.refunded - s.refundPaid;
    expect(eventsNamed(tx, "StreamCanceled")[0]).toMatchObject({ senderAmount: paid, recipientAmount: vestedAt(s, at) - s.withdrawn });
    g.senderReceived += paid;
    await checkInvariants(m, r);
  }
  toString = () => `Cancel(${this.index}, +${this.dt})`;
}

class Report implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly tiers: number[],
    readonly back: number,
    readonly agent: number,
  ) {}
  check = (m: Readonly<Model>) => m.streams.length > 0;
  async run(m: Model, r: Real) {
    const streamIndex = this.index % m.streams.length;
    const g = m.streams[streamIndex];
    const s = await stored(r, g.id);
    const at = m.now + 1n;
    const start = BigInt(s.startTime);
    const stop = BigInt(s.stopTime);
    // Closed windows still within the report delay (3600 s), newest first.
    const windows: bigint[] = [];
    for (let w = start; w < stop && windows.length < 200; w += 60n) {
      const closes = w + 60n < stop ? w + 60n : stop;
      if (closes <= at && at <= closes + 3600n) windows.push(w);
    }
    if (windows.length === 0) return;
    const windowStart = windows[windows.length - 1 - (this.back % windows.length)];
    const values = [0, 1, 2, 3].map((metric) => valueFor(g.sla, metric, this.tiers[metric]));
    const report = { streamId: g.id, windowStart, latencyMs: values[0], uptimeBps: values[1], errorRateBps: values[2], jitterMs: values[3] };
    const tx = await r.env.oracle.write("submitReport", [report], { from: r.env.agents[this.agent % 2], at: next(m, 0) });
    for (const b of eventsNamed(tx, "SLABreached")) {
      expect(b.tier).toBe(this.tiers[b.metric as number]);
      m.breaches.push({ id: b.breachId as Hex, streamIndex, used: false });
    }
    await checkInvariants(m, r);
  }
  toString = () => `Report(${this.index}, [${this.tiers}], back ${this.back})`;
}

class Process implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly index: number,
    readonly full: boolean,
    readonly dt: number,
  ) {}
  check = (m: Readonly<Model>) => m.breaches.length > 0;
  async run(m: Model, r: Real) {
    const b = m.breaches[this.index % m.breaches.length];
    const g = m.streams[b.streamIndex];
    const s = await stored(r, g.id);
    const at = next(m, this.dt);
    const vested = vestedAt(s, at);
    const unvested = unvestedAt(s, at);
    const state = await r.env.refunds.read<number>("stateOf", [b.id]);
    const tx = this.full
      ? await r.env.refunds.write("executeFullRefund", [b.id], { from: r.env.executor, at })
      : await r.env.refunds.write("processBreach", [b.id], { from: r.env.chain.accounts[9], at });
    const after = await stored(r, g.id);
    const refunded = after.refunded - s.refunded;
    // Out of the unvested remainder only, and the vested share is intact.
    expect(refunded).toBeLessThanOrEqual(unvested);
    expect(vestedAt(after, at)).toBe(vested);
    if (this.full) {
      if (state === 2) expect(refunded).toBe(0n);
      else expect(unvestedAt(after, at)).toBe(0n);
    } else if (state !== 0) {
      // Already processed: nothing happens, nothing is emitted.
      expect(refunded).toBe(0n);
      expect(tx.events).toEqual([]);
    }
    b.used = true;
    await checkInvariants(m, r);
  }
  toString = () => `${this.full ? "FullRefund" : "Process"}(${this.index}, +${this.dt})`;
}

class Claim implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (m: Readonly<Model>) => m.streams.length > 0;
  async run(m: Model, r: Real) {
    const g = m.streams[this.index % m.streams.length];
    const s = await stored(r, g.id);
    await r.env.factory.write("claimRefund", [g.id], { from: r.env.chain.accounts[9], at: next(m, 0) });
    g.senderReceived += s.refunded - s.refundPaid;
    await checkInvariants(m, r);
  }
  toString = () => `Claim(${this.index})`;
}

class Warp implements fc.AsyncCommand<Model, Real> {
  constructor(readonly dt: number) {}
  check = () => true;
  async run(m: Model, r: Real) {
    await r.env.chain.mineAt(next(m, this.dt));
    await checkInvariants(m, r);
  }
  toString = () => `Warp(+${this.dt})`;
}

const tier = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }));
const report = fc.tuple(fc.nat(20), fc.array(tier, { minLength: 4, maxLength: 4 }), fc.nat(5), fc.nat(1)).map(([i, t, back, a]) => new Report(i, t, back, a));
const process = fc.tuple(fc.nat(50), fc.nat(300)).map(([i, dt]) => new Process(i, false, dt));
// Reports and processing are listed twice: they are where the refund logic is.
const commands = [
  fc
    .tuple(fc.nat(2), fc.boolean(), fc.array(fc.bigInt({ min: 1n, max: 10n ** 21n }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 60, max: 4000 }), fc.nat(2))
    .map(([who, erc20, deposits, off, dur, sla]) => new Create(who, erc20, deposits, off, dur, sla)),
  fc.tuple(fc.nat(20), fc.integer({ min: 0, max: 1000 }), fc.nat(300)).map(([i, f, dt]) => new Withdraw(i, f, dt)),
  fc.tuple(fc.nat(20), fc.nat(600)).map(([i, dt]) => new Cancel(i, dt)),
  report,
  report,
  process,
  process,
  fc.tuple(fc.nat(50), fc.nat(300)).map(([i, dt]) => new Process(i, true, dt)),
  fc.nat(20).map((i) => new Claim(i)),
  fc.integer({ min: 1, max: 1500 }).map((dt) => new Warp(dt)),
];

it("keeps every accounting invariant over random operation sequences", async () => {
  let current = await env.chain.snapshot();
  const stats = { commands: 0, streams: 0, breaches: 0, used: 0 };
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: "max" }), async (cmds) => {
      await env.chain.revert(current);
      current = await env.chain.snapshot();
      const model: Model = { now: await env.chain.now(), streams: [], breaches: [] };
      await fc.asyncModelRun(() => ({ model, real: { env, lens } }), cmds);
      stats.commands += [...cmds].length;
      stats.streams += model.streams.length;
      stats.breaches += model.breaches.length;
      stats.used += model.breaches.filter((b) => b.used).length;
    }),
    { numRuns: 40 },
  );
  // The runs must have exercised the interesting paths, not just created streams.
  expect(stats.commands).toBeGreaterThan(300);
  expect(stats.breaches).toBeGreaterThan(20);
  expect(stats.used).toBeGreaterThan(10);
}, 120_000);
