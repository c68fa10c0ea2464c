// Resume: a client that reconnects with resume_from + epoch gets exactly the frames it missed (as its
// subscription filters them), then live, with no gap and no duplicate; otherwise a snapshot says why.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "./helpers/child.js";
import { frameKind, startGateway, streamFrames, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;
let small: GatewayProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "20-40", "--seed", "11"]);
  gw = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100"]);
  small = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100", "--resume-buffer", "40"]);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await gw?.stop();
  await small?.stop();
  await sim?.child.kill();
  removeTempRings();
});

async function connect(base: string, path: string): Promise<TestClient> {
  const c = await TestClient.connect(`${base}${path}`);
  clients.push(c);
  return c;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const epochOf = (c: TestClient) => (c.frames[0].Hello as { epoch: string }).epoch;
const resumeOf = (c: TestClient) => c.frames.find((f) => "Resume" in f)!.Resume as { mode: string; reason?: string; oldest_seqno: number; newest_seqno: number };

describe("resume", () => {
  for (const [name, sub] of [
    ["the firehose", null],
    ["a filtered subscription", { events: ["TxnLog", "BlockStart", "BlockFinalized", "TPS"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "log_index", filter: { max: 0 } }] }] }],
  ] as const) {
    it(`replays exactly what ${name} missed, then continues live without gap or duplicate`, async () => {
      const q = sub ? `?subscribe=${encodeURIComponent(JSON.stringify(sub))}` : "";
      const reference = await connect(gw.ws, `/v1/ws${q}`);
      const a = await connect(gw.ws, `/v1/ws${q}`);
      await a.waitFor(() => streamFrames(a.frames).length >= 20, 20_000, "20 frames");
      await a.close();
      // Both started with a snapshot (state frames with older seqnos): compare the stream after both.
      const firstRef = Math.max(resumeOf(reference).newest_seqno, resumeOf(a).newest_seqno) + 1;
      const firstSession = streamFrames(a.frames).filter((f) => f.server_seqno >= firstRef);
      const last = streamFrames(a.frames).at(-1)!.server_seqno;
      await sleep(1500); // about 15 blocks happen while it is away
      const b = await connect(gw.ws, `/v1/ws?resume_from=${last}&epoch=${epochOf(a)}${sub ? `&subscribe=${encodeURIComponent(JSON.stringify(sub))}` : ""}`);
      await b.waitFor(() => b.frames.length >= 2);
      expect(frameKind(b.frames[0])).toBe("Hello");
      expect(b.frames[0].server_seqno).toBe(last); // control frames carry the client's position
      expect(resumeOf(b)).toMatchObject({ mode: "resume" });
      await sleep(1000);
      const target = streamFrames(reference.frames).at(-1)!.server_seqno;
      await b.waitFor(() => (streamFrames(b.frames).at(-1)?.server_seqno ?? 0) >= target, 45_000, "catch up with the reference");
      const got = [...streamFrames(a.frames), ...streamFrames(b.frames)].filter((f) => f.server_seqno >= firstRef && f.server_seqno <= target);
      const want = streamFrames(reference.frames).filter((f) => f.server_seqno >= firstRef && f.server_seqno <= target);
      expect(got.map((f) => f.server_seqno)).toEqual(want.map((f) => f.server_seqno));
      // Byte for byte the same frames.
      const text = (c: TestClient, s: number) => c.texts[c.frames.findIndex((f) => f.server_seqno === s && !("Hello" in f) && !("Resume" in f))];
      for (const f of want) expect(text(reference, f.server_seqno)).toBe(text(f.server_seqno <= last ? a : b, f.server_seqno));
      expect(firstSession.length).toBeGreaterThan(0);
    });
  }

  it("takes a cursor without epoch as the current epoch's", async () => {
    const a = await connect(gw.ws, "/v1/ws/lifecycle");
    await a.waitFor(() => a.of("Lifecycle").length >= 3);
    const last = a.of("Lifecycle").at(-1)!.server_seqno;
    const b = await connect(gw.ws, `/v1/ws/lifecycle?resume_from=${last}`);
    await b.waitFor(() => b.frames.length >= 2);
    expect(resumeOf(b).mode).toBe("resume");
  });

  it("resume_from = newest replays nothing and goes live", async () => {
    const a = await connect(gw.ws, "/v1/ws/blocks");
    await a.waitFor(() => a.frames.length >= 2);
    const newest = resumeOf(a).newest_seqno;
    const b = await connect(gw.ws, `/v1/ws/blocks?resume_from=${newest}&epoch=${epochOf(a)}`);
    await b.waitFor(() => streamFrames(b.frames).length >= 3);
    expect(resumeOf(b).mode).toBe("resume");
    expect(streamFrames(b.frames)[0].server_seqno).toBeGreaterThan(newest);
  });
});

describe("snapshot instead of resume", () => {
  it("for a wrong epoch (a cursor from before a restart)", async () => {
    const c = await connect(gw.ws, "/v1/ws/blocks?resume_from=5&epoch=0123456789abcdef");
    await c.waitFor(() => c.frames.length >= 2);
    expect(resumeOf(c)).toMatchObject({ mode: "snapshot", reason: "epoch_mismatch" });
  });

  it("for a cursor in the future", async () => {
    const c = await connect(gw.ws, "/v1/ws/blocks?resume_from=999999999");
    await c.waitFor(() => c.frames.length >= 2);
    expect(resumeOf(c)).toMatchObject({ mode: "snapshot", reason: "cursor_in_future" });
  });

  it("for a cursor older than the buffer, with the current state (TPS, lifecycles)", async () => {
    await sleep(1500); // 15 blocks: far more than the 40 frames this gateway keeps
    const c = await connect(small.ws, "/v1/ws/blocks?resume_from=1");
    await c.waitFor(() => c.frames.length >= 4);
    const r = resumeOf(c);
    expect(r).toMatchObject({ mode: "snapshot", reason: "cursor_too_old" });
    expect(r.newest_seqno - r.oldest_seqno + 1).toBeLessThanOrEqual(40);
    const state = c.frames.slice(2).filter((f) => f.server_seqno <= r.newest_seqno);
    expect(state.some((f) => "TPS" in f)).toBe(true);
    expect(state.some((f) => "Lifecycle" in f)).toBe(true);
    const seqnos = state.map((f) => f.server_seqno);
    expect(seqnos).toEqual([...seqnos].sort((x, y) => x - y));
  });

  it("rejects a malformed cursor with HTTP 400", async () => {
    await expect(TestClient.connect(`${gw.ws}/v1/ws?resume_from=-4`)).rejects.toMatchObject({ status: 400 });
    await expect(TestClient.connect(`${gw.ws}/v1/ws?subscribe=${encodeURIComponent('["Bogus"]')}`)).rejects.toMatchObject({ status: 400 });
  });
});
