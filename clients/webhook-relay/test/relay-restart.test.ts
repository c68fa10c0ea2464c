// Restarts: the relay killed with SIGKILL mid-stream, stopped with SIGTERM, the gateway restarting
// (new epoch), and a target away longer than the gateway's resume buffer. Nothing may be skipped
// silently: every frame is delivered, or its loss is in /stats and the dead-letter log.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "../../../gateway/test/helpers/gateway-process.js";
import { startSimRing } from "../../../gateway/test/helpers/sim-ring.js";
import { removeTempRings } from "../../../gateway/test/helpers/temp-ring.js";
import type { Child } from "../../../gateway/test/helpers/child.js";
import { acceptedFrames, Receiver } from "./helpers/receiver.js";
import { checkDuplicatesShareKeys, referenceSeqnos } from "./helpers/reference.js";
import { TcpForwarder } from "./helpers/tcp-forwarder.js";
import { newStateDir, startRelay, waitUntil, writeConfig, type RelayProcess } from "./helpers/relay-process.js";

const BLOCKS = ["BlockStart", "BlockEnd", "BlockQC", "BlockFinalized", "BlockVerified", "BlockReject", "TPS", "Lifecycle"];

let sim: { path: string; child: Child };
const cleanup: (() => unknown)[] = [];

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "8", "--txns-per-block", "10-20", "--seed", "62"]);
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  await sim?.child.kill();
  removeTempRings();
});

async function gateway(args: string[] = []): Promise<GatewayProcess> {
  const g = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100", ...args]);
  cleanup.push(() => g.stop());
  return g;
}
async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  cleanup.push(() => r.stop());
  return r;
}
async function relay(file: string): Promise<RelayProcess> {
  const p = await startRelay(file);
  cleanup.push(() => p.child.kill("SIGKILL"));
  return p;
}

describe("webhook relay restarts", () => {
  it("SIGKILL mid-stream, then a restart: every frame delivered, duplicates only under the same key", async () => {
    const gw = await gateway();
    const r = await receiver();
    const dir = newStateDir();
    const file = writeConfig(dir, { gateway: { url: gw.ws, channel: "blocks" }, targets: [{ name: "t", url: r.url, batch: { max_events: 7, linger_ms: 30 } }] });
    for (let round = 0; round < 3; round++) {
      const p = await relay(file);
      const before = r.accepted.length;
      await waitUntil(() => r.accepted.length >= before + 8, `batches in round ${round}`);
      await p.child.kill("SIGKILL");
      await new Promise((res) => setTimeout(res, 400)); // frames keep coming while the relay is dead
    }
    const p = await relay(file);
    const before = r.accepted.length;
    await waitUntil(() => r.accepted.length >= before + 5, "batches after the last restart");
    const frames = acceptedFrames(r);
    const { unique } = checkDuplicatesShareKeys(frames);
    const reference = await referenceSeqnos(gw.ws, "/v1/ws/blocks", BLOCKS, frames[0].epoch, unique[0] - 1, unique[unique.length - 1]);
    expect(unique).toEqual(reference);
    expect((await p.stats()).targets[0].gaps).toBe(0);
  });

  it("SIGTERM delivers the lingering batch and saves the cursor at it", async () => {
    const gw = await gateway();
    const r = await receiver();
    const dir = newStateDir();
    // A long linger: without the shutdown flush the batch would still be waiting.
    const file = writeConfig(dir, { gateway: { url: gw.ws, channel: "blocks" }, targets: [{ name: "t", url: r.url, batch: { max_events: 100000, linger_ms: 600000 } }] });
    const p = await relay(file);
    await waitUntil(async () => (await p.stats()).targets[0].held_frames >= 10, "frames held in the lingering batch");
    expect(r.requests.length).toBe(0);
    await p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(r.accepted.length).toBeGreaterThanOrEqual(1);
    const last = r.accepted[r.accepted.length - 1].body;
    const saved = JSON.parse(readFileSync(join(dir, "t.cursor.json"), "utf8"));
    expect(saved.cursor).toEqual({ epoch: last.epoch, server_seqno: last.last_seqno });
    expect(saved.pending).toBeNull();
  });

  it("a gateway restart (new epoch) is recorded as a gap, and the new run is delivered from its first frame", async () => {
    let gw = await gateway();
    const lb = await new TcpForwarder(gw.port).start();
    cleanup.push(() => lb.stop());
    const r = await receiver();
    const dir = newStateDir();
    const file = writeConfig(dir, {
      gateway: { url: `ws://127.0.0.1:${lb.port}`, channel: "blocks" },
      targets: [{ name: "t", url: r.url, batch: { max_events: 10, linger_ms: 30 } }],
    });
    const p = await relay(file);
    await waitUntil(() => r.accepted.length >= 3, "batches from the first run");
    const oldEpoch = r.accepted[0].body.epoch;
    await gw.stop();
    gw = await gateway();
    lb.switchTo(gw.port);
    const newBatches = () => r.accepted.filter((b) => b.body.epoch !== oldEpoch);
    await waitUntil(() => newBatches().length >= 3, "batches from the new run");
    const s = (await p.stats()).targets[0];
    expect(s.gaps).toBe(1);
    expect(s.last_gap).toMatchObject({ reason: "gateway_restarted", epoch: oldEpoch, to: null });
    const dlq = await p.get<{ entries: { reason: string; gap_reason: string; epoch: string; first_seqno: number }[] }>("/dlq?target=t");
    expect(dlq.body.entries).toEqual([expect.objectContaining({ reason: "gap", gap_reason: "gateway_restarted", epoch: oldEpoch })]);
    expect(dlq.body.entries[0].first_seqno).toBe(acceptedFrames(r, oldEpoch).at(-1)!.seqno + 1);
    // The new run from its very first frame: nothing the new gateway still holds was skipped.
    const newEpoch = newBatches()[0].body.epoch;
    const { unique } = checkDuplicatesShareKeys(acceptedFrames(r, newEpoch));
    expect(unique).toEqual(await referenceSeqnos(gw.ws, "/v1/ws/blocks", BLOCKS, newEpoch, 0, unique[unique.length - 1]));
  });

  it("a target away longer than the resume buffer gets an exact cursor_too_old gap, then continues from the oldest frame held", async () => {
    const gw = await gateway(["--resume-buffer", "150"]);
    const r = await receiver();
    const dir = newStateDir();
    const file = writeConfig(dir, {
      gateway: { url: gw.ws, channel: "blocks" },
      retry: { initial_ms: 100, max_ms: 300 },
      targets: [{ name: "t", url: r.url, queue_frames: 8, batch: { max_events: 5, linger_ms: 30 } }],
    });
    const p = await relay(file);
    await waitUntil(() => r.accepted.length >= 2, "first batches");
    const port = r.port;
    await r.stop();
    // Down until the gateway has moved 300 frames past the target's cursor (twice its buffer).
    const stuckAt = (await p.stats()).targets[0].acked!.server_seqno;
    await waitUntil(async () => ((await p.stats()).gateway.newest_seqno ?? 0) > stuckAt + 300, "the gateway's buffer to move past the target", 60_000);
    const held = (await p.stats()).targets[0];
    expect(held.held_frames).toBeLessThanOrEqual(held.max_held_frames);
    await r.start(port);
    await waitUntil(async () => (await p.stats()).targets[0].gaps >= 1, "the gap to be recorded");
    // While the relay catches up the buffer keeps moving, so a first gap may be followed by small
    // ones; together they are exact and contiguous, and none of their frames was delivered.
    const before = r.accepted.length;
    await waitUntil(() => r.accepted.length >= before + 3, "batches after the gap");
    const dlq = await p.get<{ entries: { reason: string; gap_reason: string; first_seqno: number; last_seqno: number }[] }>("/dlq?target=t");
    const gaps = dlq.body.entries.filter((e) => e.reason === "gap");
    const final = (await p.stats()).targets[0];
    expect(gaps.length).toBe(final.gaps);
    expect(gaps.every((g) => g.gap_reason === "cursor_too_old" && g.last_seqno >= g.first_seqno)).toBe(true);
    expect(gaps[0].first_seqno).toBeGreaterThan(stuckAt);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i].first_seqno).toBeGreaterThan(gaps[i - 1].last_seqno);
    expect(final.gap_frames_lost).toBe(gaps.reduce((n, g) => n + g.last_seqno - g.first_seqno + 1, 0));
    expect(final.last_gap).toMatchObject({ reason: "cursor_too_old", from: gaps.at(-1)!.first_seqno, to: gaps.at(-1)!.last_seqno });
    const seqnos = checkDuplicatesShareKeys(acceptedFrames(r)).unique;
    expect(seqnos.some((x) => gaps.some((g) => x >= g.first_seqno && x <= g.last_seqno))).toBe(false);
    expect(seqnos.find((x) => x > gaps.at(-1)!.last_seqno)).toBeDefined();

  });
});
