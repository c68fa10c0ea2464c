// The relay as users run it (`monad-gateway relay --config FILE`) against a real gateway on a
// simulated chain, POSTing to real local HTTP receivers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "../../../gateway/test/helpers/gateway-process.js";
import { startSimRing } from "../../../gateway/test/helpers/sim-ring.js";
import { removeTempRings } from "../../../gateway/test/helpers/temp-ring.js";
import type { Child } from "../../../gateway/test/helpers/child.js";
import { acceptedFrames, Receiver } from "./helpers/receiver.js";
import { checkDuplicatesShareKeys, referenceSeqnos } from "./helpers/reference.js";
import { newStateDir, startRelay, waitUntil, writeConfig, type RelayProcess } from "./helpers/relay-process.js";

const SECRET = "test-secret-0123456789";
const BLOCKS = ["BlockStart", "BlockEnd", "BlockQC", "BlockFinalized", "BlockVerified", "BlockReject", "TPS", "Lifecycle"];

let sim: { path: string; child: Child };
let gw: GatewayProcess;
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "8", "--txns-per-block", "10-20", "--seed", "61"]);
  gw = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100"]);
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

async function receiver(secret: string | null = SECRET): Promise<Receiver> {
  const r = await new Receiver(secret).start();
  cleanup.push(() => r.stop());
  return r;
}

async function relay(config: Record<string, unknown>): Promise<RelayProcess> {
  const dir = newStateDir();
  const p = await startRelay(writeConfig(dir, { gateway: { url: gw.ws, channel: "blocks" }, ...config }));
  cleanup.push(() => p.child.kill("SIGKILL"));
  return p;
}

/** Every frame the gateway selected between the first and last accepted ones was accepted, duplicates under one key. */
async function expectNoLoss(r: Receiver, path = "/v1/ws/blocks", subscription: unknown = BLOCKS): Promise<number> {
  const frames = acceptedFrames(r);
  const epoch = frames[0].epoch;
  const { unique } = checkDuplicatesShareKeys(frames);
  const reference = await referenceSeqnos(gw.ws, path, subscription, epoch, unique[0] - 1, unique[unique.length - 1]);
  expect(unique).toEqual(reference);
  return unique.length;
}

describe("webhook relay delivery", () => {
  it("delivers signed batches whose idempotency key names their frames, each target only its events, nothing skipped", async () => {
    const all = await receiver();
    const finalized = await receiver();
    const p = await relay({
      targets: [
        { name: "all", url: all.url, secret: SECRET, batch: { max_events: 20, linger_ms: 100 } },
        { name: "finalized", url: finalized.url, secret: SECRET, events: ["BlockFinalized"] },
      ],
    });
    await waitUntil(() => all.accepted.length >= 12 && finalized.accepted.length >= 3, "batches for both targets");
    await p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);

    for (const b of [...all.requests, ...finalized.requests]) {
      expect(b.signatureOk, b.signatureProblem).toBe(true);
      const seqnos = b.body.frames.map((f) => f.server_seqno);
      expect(b.key).toBe(`${b.body.epoch}:${seqnos[0]}:${seqnos[seqnos.length - 1]}`);
      expect(b.body.idempotency_key).toBe(b.key);
      expect([b.body.first_seqno, b.body.last_seqno]).toEqual([seqnos[0], seqnos[seqnos.length - 1]]);
      expect(seqnos).toEqual([...seqnos].sort((x, y) => x - y));
      const events = b.body.frames.reduce((n, f) => n + (Array.isArray(f.Events) ? f.Events.length : 1), 0);
      expect(b.body.event_count).toBe(events);
    }
    expect(all.requests.every((b) => b.body.event_count <= 20 || b.body.frames.length === 1)).toBe(true);
    expect(all.requests.every((b) => b.body.target === "all")).toBe(true);
    const finalizedEvents = finalized.requests.flatMap((b) => b.body.frames.flatMap((f) => (f.Events as { event_name: string }[]) ?? [{ event_name: "not an Events frame" }]));
    expect(new Set(finalizedEvents.map((e) => e.event_name))).toEqual(new Set(["BlockFinalized"]));
    await expectNoLoss(all);
    await expectNoLoss(finalized, "/v1/ws/blocks", ["BlockFinalized"]);
  });

  it("waits for a receiver that is down and loses nothing when it is back", async () => {
    const r = await receiver();
    const p = await relay({ retry: { initial_ms: 100, max_ms: 500 }, targets: [{ name: "flaky", url: r.url, secret: SECRET, batch: { max_events: 10, linger_ms: 50 } }] });
    await waitUntil(() => r.accepted.length >= 3, "first batches");
    const port = r.port;
    await r.stop();
    await waitUntil(async () => (await p.stats()).targets[0].retried >= 3, "retries while the receiver is down");
    const down = (await p.stats()).targets[0];
    expect(down.state).toBe("retrying");
    expect((await p.get<{ status: string }>("/health")).body.status).toBe("degraded");
    await r.start(port);
    const before = r.accepted.length;
    await waitUntil(() => r.accepted.length >= before + 5, "batches after the receiver came back");
    const s = (await p.stats()).targets[0];
    expect(s.dead_lettered_batches).toBe(0);
    expect(s.gaps).toBe(0);
    await expectNoLoss(r);
  });

  it("honours Retry-After on 429 and re-sends the same batch under the same key", async () => {
    const r = await receiver();
    r.answer = (_req, n) => (n === 0 ? { status: 429, headers: { "retry-after": "2" } } : { status: 200 });
    const p = await relay({ retry: { initial_ms: 50, max_ms: 100 }, targets: [{ name: "limited", url: r.url, secret: SECRET }] });
    await waitUntil(() => r.requests.length >= 2, "the retry after 429");
    const [first, second] = r.requests;
    expect(first.status).toBe(429);
    expect(second.key).toBe(first.key);
    // Backoff alone would have retried after at most 100 ms.
    expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
    expect((await p.stats()).targets[0].retried).toBe(1);
  });

  it("dead-letters batches a receiver rejects, keeps going, and redelivers them on request", async () => {
    const r = await receiver();
    r.answer = () => ({ status: 422 });
    const p = await relay({ targets: [{ name: "picky", url: r.url, secret: SECRET, batch: { max_events: 30, linger_ms: 50 } }] });
    type Entry = { id: number; reason: string; status: number; idempotency_key: string; first_seqno: number; last_seqno: number; redelivered_at?: string };
    const list = await waitUntil(async () => {
      const l = await p.get<{ entries: Entry[] }>("/dlq?target=picky");
      return l.body.entries.length >= 3 ? l.body.entries : null;
    }, "three dead letters");
    expect(list.every((e) => e.reason === "rejected" && e.status === 422)).toBe(true);
    expect(new Set(list.map((e) => e.idempotency_key)).size).toBe(list.length); // the relay moved on: one entry per batch
    const s = (await p.stats()).targets[0];
    expect(s.dead_lettered_batches).toBeGreaterThanOrEqual(3);
    expect(s.retried).toBe(0);

    const shown = await p.get<Entry & { body: { frames: unknown[]; idempotency_key: string } }>(`/dlq/picky/${list[0].id}`);
    expect(shown.body.body.idempotency_key).toBe(list[0].idempotency_key);
    expect(shown.body.body.frames.length).toBeGreaterThan(0);

    r.answer = () => ({ status: 200 });
    const again = await p.post<{ redelivered: boolean }>(`/dlq/picky/${list[0].id}/redeliver`);
    expect(again.status).toBe(200);
    expect(again.body.redelivered).toBe(true);
    expect(r.accepted.some((b) => b.key === list[0].idempotency_key && b.signatureOk)).toBe(true);
    const after = await p.get<Entry>(`/dlq/picky/${list[0].id}`);
    expect(after.body.redelivered_at).toBeDefined();
    expect((await p.get("/dlq/picky/999999")).status).toBe(404);
    expect((await p.get("/dlq?target=nope")).status).toBe(404);
    expect((await p.get("/dlq?limit=zero")).status).toBe(400);
  });

  it("keeps delivering to one target while another never answers, with bounded memory for the stuck one", async () => {
    const stuck = await receiver();
    stuck.answer = () => "hang";
    const live = await receiver();
    const p = await relay({
      retry: { timeout_ms: 120_000 },
      targets: [
        { name: "stuck", url: stuck.url, queue_frames: 16, batch: { max_events: 10, linger_ms: 50 } },
        { name: "live", url: live.url, secret: SECRET, batch: { max_events: 10, linger_ms: 50 } },
      ],
    });
    await waitUntil(() => stuck.requests.length >= 1, "the stuck target's first request");
    const liveBefore = live.accepted.length;
    await waitUntil(() => live.accepted.length >= liveBefore + 20, "20 more batches to the live target");
    const stats = await p.stats();
    const s = stats.targets.find((t) => t.name === "stuck")!;
    const l = stats.targets.find((t) => t.name === "live")!;
    expect(stuck.requests.length).toBe(1); // still waiting for its first answer
    expect(s.delivered_batches).toBe(0);
    expect(s.held_frames).toBeLessThanOrEqual(s.max_held_frames);
    expect(l.delivered_batches).toBeGreaterThanOrEqual(20);
    expect(l.lag_seqnos === null || l.lag_seqnos < (stats.gateway.newest_seqno ?? 0) - (s.acked?.server_seqno ?? 0)).toBe(true);
    await expectNoLoss(live);
  });
});
