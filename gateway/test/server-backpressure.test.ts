// A client that stops reading loses frames (announced by Warnings), then is closed with 4008, while a
// client that keeps up on the same gateway misses nothing. Connections are limited per IP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { spawnChild, type Child } from "./helpers/child.js";
import { startGateway, streamFrames, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

const READER = fileURLToPath(new URL("./fixtures/ws-reader.mjs", import.meta.url));
let sim: { path: string; child: Child };
let gw: GatewayProcess;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clients: TestClient[] = [];
async function connect(path: string): Promise<TestClient> {
  const c = await TestClient.connect(`${gw.ws}${path}`);
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sleep(100);
});

beforeAll(async () => {
  // About 20,000 events/s: enough to fill a paused socket within a second or two.
  sim = await startSimRing(["--blocks-per-second", "20", "--txns-per-block", "50-70", "--seed", "5"]);
  gw = await startGateway(["--ring", sim.path, "--client-queue", "128", "--warn-every", "50", "--drop-limit", "250", "--max-connections-per-ip", "3"]);
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

async function status(): Promise<{ drops: { clients_disconnected: number } }> {
  return (await fetch(`${gw.http}/v1/status`)).json() as never;
}

describe("slow clients", () => {
  it("drops, warns, then disconnects a client that stops reading; a fast client misses nothing", async () => {
    // The fast client runs in its own process, as a real consumer would.
    const fast = spawnChild(process.execPath, [READER, `${gw.ws}/v1/ws`]);
    await fast.waitFor(/^open$/);
    const slow = await connect("/v1/ws");
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const deadline = Date.now() + 60_000;
    while ((await status()).drops.clients_disconnected < 1 && Date.now() < deadline) await sleep(200);
    expect((await status()).drops.clients_disconnected).toBe(1);
    await sleep(500);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.waitFor(() => slow.closeCode !== null, 20_000, "the slow client's close");
    expect(slow.closeCode).toBe(4008);
    expect(slow.closeReason).toMatch(/slow client: 250 frames dropped \(limit 250\)/);
    const warnings = slow.of("Warning").map((f) => f.Warning as { type: string; dropped: number; total_dropped: number; first_dropped_seqno: number; last_dropped_seqno: number; drop_limit: number });
    expect(warnings.length).toBeGreaterThanOrEqual(5);
    expect(warnings.every((w) => w.type === "backpressure" && w.drop_limit === 250)).toBe(true);
    expect(warnings.reduce((n, w) => n + w.dropped, 0)).toBe(250);
    expect(warnings.at(-1)!.total_dropped).toBe(250);
    // What it did receive is in order, and the dropped ranges are exactly what is missing from it.
    const got = streamFrames(slow.frames).map((f) => f.server_seqno);
    for (let i = 1; i < got.length; i++) expect(got[i]).toBeGreaterThan(got[i - 1]);
    for (const w of warnings) expect(w.last_dropped_seqno).toBeGreaterThanOrEqual(w.first_dropped_seqno);

    // The fast client got every ring event exactly once, in order, and no warning.
    fast.proc.stdin.write("report\n");
    const report = JSON.parse((await fast.waitFor(/^report /)).slice(7));
    await fast.kill();
    expect(report).toMatchObject({ warnings: 0, errors: 0, ringGaps: 0, seqnoDisorder: 0, close: null });
    expect(report.events).toBeGreaterThan(5000);
  });
});

describe("a client that falls behind and recovers", () => {
  it("catches up with the live stream after a pause (losses announced, never a stall)", async () => {
    const tolerant = await startGateway(["--ring", sim.path, "--client-queue", "256", "--drop-limit", "1000000"]);
    try {
      const c = await TestClient.connect(`${tolerant.ws}/v1/ws`);
      clients.push(c);
      await c.waitFor(() => c.of("Events").length > 5);
      const socket = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      socket.pause();
      await sleep(3000);
      socket.resume();
      // Frames must keep coming until the client is back at the head of the stream.
      const deadline = Date.now() + 30_000;
      let behind = Infinity;
      while (Date.now() < deadline) {
        await sleep(500);
        const newest = ((await (await fetch(`${tolerant.http}/v1/status`)).json()) as { newest_seqno: number }).newest_seqno;
        const last = streamFrames(c.frames).at(-1)!.server_seqno;
        behind = newest - last;
        if (behind < 50) break;
      }
      expect(behind).toBeLessThan(50);
      const seqnos = streamFrames(c.frames).map((f) => f.server_seqno);
      for (let i = 1; i < seqnos.length; i++) expect(seqnos[i]).toBeGreaterThan(seqnos[i - 1]);
      // Whatever was skipped was announced. The announcement comes when the server's catch-up reaches
      // the head, which can be a moment after the client's last frame is within 50 of it (seen once
      // in CI: 627 drops, the Warning not yet read), so wait for it rather than sample once.
      const announcedDrops = () => c.of("Warning").reduce((n, f) => n + (f.Warning as { dropped: number }).dropped, 0);
      const serverDrops = async () => ((await (await fetch(`${tolerant.http}/v1/status`)).json()) as { drops: { frames: number } }).drops.frames;
      for (let i = 0; i < 50 && announcedDrops() !== (await serverDrops()); i++) await sleep(200);
      expect(announcedDrops()).toBe(await serverDrops());
    } finally {
      await tolerant.stop();
    }
  });
});

describe("per-IP limit", () => {
  it("answers HTTP 429 past the limit and admits again after a close", async () => {
    const open = await Promise.all([1, 2, 3].map(() => connect("/v1/ws/lifecycle")));
    await expect(TestClient.connect(`${gw.ws}/v1/ws/lifecycle`)).rejects.toMatchObject({ status: 429, body: expect.stringMatching(/too many connections from 127\.0\.0\.1: at most 3 per IP/) });
    await open[0].close();
    await sleep(100);
    await connect("/v1/ws/lifecycle");
  });

  it("counts X-Forwarded-For clients separately only behind a trusted proxy", async () => {
    const proxied = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "1", "--trusted-proxies", "127.0.0.1"]);
    try {
      const { default: WebSocket } = await import("ws");
      const connect = (xff: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`${proxied.ws}/v1/ws/lifecycle`, { headers: { "x-forwarded-for": xff } });
          ws.on("error", () => {}); // the refused one errors when terminated
          ws.once("open", () => resolve(101));
          ws.once("unexpected-response", (_q, res) => resolve(res.statusCode ?? 0));
          held.push(ws);
        });
      const held: InstanceType<typeof WebSocket>[] = [];
      expect(await connect("203.0.113.7")).toBe(101);
      expect(await connect("203.0.113.8")).toBe(101);
      expect(await connect("203.0.113.7")).toBe(429);
      held.forEach((w) => w.terminate());
    } finally {
      await proxied.stop();
    }
  });
});
