// Monad executes a block's transactions optimistically in parallel and re-executes one whose reads
// were written by an earlier transaction. These tests trace which storage slots each operation reads
// and writes (debug_traceTransaction, prestateTracer) and check that the same operation on
// independent streams (different senders, recipients, streams, requesters) never writes a slot the
// other reads: there is no contract-wide counter or total. What they do share is inherent to an
// escrow and outside these contracts' storage: the contract's native balance, or the token's balance
// entry for the contract.
import { keccak256, toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsNamed, type Sent } from "./helpers/chain.js";
import { startEnv, type Env } from "./helpers/env.js";
import { defaultSLA, goodReport, NATIVE } from "./helpers/system.js";

let env: Env;
let S: bigint;
let ours: Set<string>;

interface Access {
  reads: Set<string>;
  writes: Set<string>;
}

type Prestate = Record<string, { storage?: Record<string, string> }>;

async function access(sent: Sent): Promise<Access> {
  const trace = (config: object) =>
    env.chain.public.request({ method: "debug_traceTransaction" as never, params: [sent.transactionHash, { tracer: "prestateTracer", ...config }] as never });
  const pre = (await trace({})) as Prestate;
  const diff = (await trace({ tracerConfig: { diffMode: true } })) as { post: Prestate };
  const slots = (state: Prestate) =>
    new Set(
      Object.entries(state)
        .filter(([address]) => ours.has(address.toLowerCase()))
        .flatMap(([address, a]) => Object.keys(a.storage ?? {}).map((slot) => `${address.toLowerCase()}:${slot}`)),
    );
  return { reads: slots(pre), writes: slots(diff.post) };
}

function conflicts(a: Access, b: Access): string[] {
  return [...a.writes].filter((s) => b.reads.has(s)).concat([...b.writes].filter((s) => a.reads.has(s)));
}

async function createFor(sender: Address, recipient: Address): Promise<Sent> {
  return env.factory.write("createStream", [recipient, NATIVE, 1_000_000n, S, S + 6000n, defaultSLA()], { from: sender, value: 1_000_000n });
}

beforeAll(async () => {
  env = await startEnv();
  ours = new Set([env.factory.address, env.oracle.address, env.refunds.address].map((a) => a.toLowerCase()));
  S = (await env.chain.now()) + 100n;
  await createFor(env.senders[2], env.recipients[2]); // registers the SLA: only the first use writes it
}, 60_000);
afterAll(async () => env?.chain.stop());

describe("independent operations touch disjoint storage", () => {
  let a: bigint;
  let b: bigint;

  it("create (one, and batches) by different senders", async () => {
    const x = await access(await createFor(env.senders[0], env.recipients[0]));
    const y = await access(await createFor(env.senders[1], env.recipients[1]));
    a = (await env.factory.read<bigint>("nextStreamId", [env.senders[0]])) - 1n;
    b = (await env.factory.read<bigint>("nextStreamId", [env.senders[1]])) - 1n;
    expect(x.writes.size).toBeGreaterThan(3);
    expect(conflicts(x, y)).toEqual([]);
    const specs = (r: Address) => [1, 2, 3].map((i) => ({ recipient: r, deposit: 10n * BigInt(i), startTime: S, stopTime: S + 6000n }));
    const bx = await access(await env.factory.write("createStreams", [NATIVE, defaultSLA(), specs(env.recipients[0])], { from: env.senders[0], value: 60n }));
    const by = await access(await env.factory.write("createStreams", [NATIVE, defaultSLA(), specs(env.recipients[1])], { from: env.senders[1], value: 60n }));
    expect(conflicts(bx, by)).toEqual([]);
  });

  it("(control) two creates by the same sender do conflict, on its nonce: the check can see conflicts", async () => {
    const x = await access(await createFor(env.senders[0], env.recipients[0]));
    const y = await access(await createFor(env.senders[0], env.recipients[1]));
    expect(conflicts(x, y).length).toBeGreaterThan(0);
  });

  it("reports and breach processing on different streams", async () => {
    const at = S + 120n;
    await env.chain.mineAt(at);
    const rx = await env.oracle.write("submitReport", [goodReport(a, S, { latencyMs: 900 })], { from: env.agents[0] });
    const ry = await env.oracle.write("submitReport", [goodReport(b, S, { latencyMs: 900 })], { from: env.agents[1] });
    expect(conflicts(await access(rx), await access(ry))).toEqual([]);
    const [bx] = eventsNamed(rx, "SLABreached").map((e) => e.breachId as Hex);
    const [by] = eventsNamed(ry, "SLABreached").map((e) => e.breachId as Hex);
    const px = await access(await env.refunds.write("processBreach", [bx], { from: env.agents[0] }));
    const py = await access(await env.refunds.write("processBreach", [by], { from: env.agents[1] }));
    expect(px.writes.size).toBeGreaterThan(1);
    expect(conflicts(px, py)).toEqual([]);
    const severe = async (id: bigint, from: Address) =>
      env.oracle.write("submitReport", [goodReport(id, S + 60n, { latencyMs: 5000 })], { from });
    const sx = eventsNamed(await severe(a, env.agents[0]), "SLABreached")[0].breachId as Hex;
    const sy = eventsNamed(await severe(b, env.agents[1]), "SLABreached")[0].breachId as Hex;
    const qx = await access(await env.refunds.write("processBreach", [sx]));
    const qy = await access(await env.refunds.write("processBreach", [sy]));
    expect(conflicts(qx, qy)).toEqual([]);
  });

  it("withdraw, claim and cancel on different streams", async () => {
    await env.chain.mineAt(S + 3000n);
    const wx = await access(await env.factory.write("withdrawMax", [a, env.recipients[0]], { from: env.recipients[0] }));
    const wy = await access(await env.factory.write("withdrawMax", [b, env.recipients[1]], { from: env.recipients[1] }));
    expect(conflicts(wx, wy)).toEqual([]);
    const cx = await access(await env.factory.write("claimRefund", [a], { from: env.agents[0] }));
    const cy = await access(await env.factory.write("claimRefund", [b], { from: env.agents[1] }));
    expect(conflicts(cx, cy)).toEqual([]);
    const kx = await access(await env.factory.write("cancel", [a], { from: env.senders[0] }));
    const ky = await access(await env.factory.write("cancel", [b], { from: env.senders[1] }));
    expect(conflicts(kx, ky)).toEqual([]);
  });
});

describe("X402Payment", () => {
  it("requests and payments of different requesters and payers touch disjoint storage", async () => {
    const x402 = await env.chain.deploy("X402Payment", [env.admin]);
    ours.add(x402.address.toLowerCase());
    const now = await env.chain.now();
    const params = (payer: Address) => ({ payer, token: NATIVE, amount: 100n, deadline: now + 1000n, contentHash: keccak256(toHex("x")), refundWindow: 60, penaltyBps: 100 });
    const ix = await x402.read<bigint>("nextRequestId", [env.senders[0]]);
    const iy = await x402.read<bigint>("nextRequestId", [env.senders[1]]);
    const cx = await access(await x402.write("createRequest", [params(env.recipients[0])], { from: env.senders[0] }));
    const cy = await access(await x402.write("createRequest", [params(env.recipients[1])], { from: env.senders[1] }));
    expect(conflicts(cx, cy)).toEqual([]);
    const px = await access(await x402.write("pay", [ix], { from: env.recipients[0], value: 100n }));
    const py = await access(await x402.write("pay", [iy], { from: env.recipients[1], value: 100n }));
    expect(conflicts(px, py)).toEqual([]);
  });
});
