// The ring under a running gateway: the writer dies, comes back with a new ring file, the ring is
// missing at start, the reader gets lapped; the gateway never exits, tells clients, and recovers.
import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { spawnChild, type Child } from "./helpers/child.js";
import { startGateway, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  removeTempRings();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRITER = fileURLToPath(new URL("./fixtures/writer-child.mjs", import.meta.url));

async function sim(args: string[], path?: string): Promise<{ path: string; child: Child }> {
  const s = await startSimRing(args, path);
  cleanup.push(() => s.child.kill("SIGKILL"));
  return s;
}
async function gateway(args: string[]): Promise<GatewayProcess> {
  const g = await startGateway(args);
  cleanup.push(() => g.stop("SIGKILL"));
  return g;
}
async function health(g: GatewayProcess): Promise<{ status: number; body: { success: boolean; status: string; reason?: string } }> {
  const r = await fetch(`${g.http}/health`);
  return { status: r.status, body: (await r.json()) as never };
}
const warnings = (c: TestClient) => c.of("Warning").map((f) => f.Warning as { type: string; message: string; lost_events?: number });

describe("ring faults", () => {
  it("reports a dead writer, then reattaches when a new writer replaces the ring", async () => {
    const s1 = await sim(["--blocks-per-second", "10", "--txns-per-block", "5-10"]);
    const g = await gateway(["--ring", s1.path]);
    const c = await TestClient.connect(`${g.ws}/v1/ws`);
    cleanup.push(() => c.close());
    await c.waitFor(() => c.of("Events").length > 3);
    expect((await health(g)).status).toBe(200);

    await s1.child.kill("SIGKILL");
    await c.waitFor(() => warnings(c).some((w) => w.type === "writer_gone"), 10_000, "writer_gone");
    const h = await health(g);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ success: false, status: "unhealthy", reason: "the ring writer is gone" });

    const s2 = await sim(["--blocks-per-second", "10", "--txns-per-block", "5-10", "--seed", "42"], s1.path);
    await c.waitFor(() => warnings(c).some((w) => w.type === "writer_back"), 10_000, "writer_back");
    const n = c.of("Events").length;
    await c.waitFor(() => c.of("Events").length > n + 3, 10_000, "events from the new writer");
    expect((await health(g)).status).toBe(200);
    const status = (await (await fetch(`${g.http}/v1/status`)).json()) as { ring: { writer_pid: number } };
    expect(status.ring.writer_pid).toBe(s2.child.proc.pid);
    expect(g.child.proc.exitCode).toBeNull();
  });

  it("starts without a ring, says why, and attaches once it appears", async () => {
    const path = tempRingPath();
    const g = await gateway(["--ring", path]);
    const h = await health(g);
    expect(h.status).toBe(503);
    expect(h.body.reason).toMatch(/no event ring: cannot open ring .*No such file or directory/);
    await sim(["--blocks-per-second", "10", "--txns-per-block", "5-10"], path);
    const deadline = Date.now() + 15_000;
    while ((await health(g)).status !== 200 && Date.now() < deadline) await sleep(200);
    expect((await health(g)).status).toBe(200);
  });

  it("warns clients of a ring gap and resynchronises at the next BLOCK_START", async () => {
    // A small ring (65,536 descriptors) and a gateway frozen long enough to be lapped.
    const s = await sim(["--blocks-per-second", "20", "--txns-per-block", "60-80", "--descriptors-shift", "16", "--payload-shift", "27"]);
    const g = await gateway(["--ring", s.path]);
    const c = await TestClient.connect(`${g.ws}/v1/ws/blocks`);
    cleanup.push(() => c.close());
    await c.waitFor(() => c.of("Events").length > 2);
    g.child.proc.kill("SIGSTOP");
    await sleep(5000); // about 100,000 events: the writer laps the reader
    g.child.proc.kill("SIGCONT");
    await c.waitFor(() => warnings(c).some((w) => w.type === "ring_gap"), 15_000, "ring_gap");
    const w = warnings(c).find((x) => x.type === "ring_gap")!;
    expect(w.lost_events).toBeGreaterThan(0);
    expect(w.message).toMatch(/resuming at the latest BLOCK_START/);
    const n = c.frames.length;
    await c.waitFor(() => c.frames.slice(n).some((f) => "Events" in f), 10_000, "events after the gap");
    const m = await (await fetch(`${g.http}/metrics`)).text();
    expect(Number(/monad_gateway_ring_gaps_total (\d+)/.exec(m)![1])).toBeGreaterThanOrEqual(1);
  });

  it("reports a stale ring (writer alive, no events) as degraded with 503", async () => {
    const path = tempRingPath();
    const holder = spawnChild(process.execPath, [WRITER, path, "hold"]);
    cleanup.push(() => holder.kill("SIGKILL"));
    await holder.waitFor(/^ready$/);
    const g = await gateway(["--ring", path, "--stale-after", "1"]);
    await sleep(1500);
    const h = await health(g);
    expect(h.status).toBe(503);
    expect(h.body).toMatchObject({ success: false, status: "degraded", reason: "no events read yet" });
  });

  it("closes clients with 1001 and exits cleanly on SIGTERM", async () => {
    const s = await sim(["--blocks-per-second", "10", "--txns-per-block", "5-10"]);
    const g = await startGateway(["--ring", s.path]);
    const c = await TestClient.connect(`${g.ws}/v1/ws/lifecycle`);
    const exited = new Promise<number | null>((r) => g.child.proc.once("exit", (code) => r(code)));
    g.child.proc.kill("SIGTERM");
    await c.waitFor(() => c.closeCode !== null, 10_000, "close");
    expect(c.closeCode).toBe(1001);
    expect(c.closeReason).toBe("server shutting down");
    expect(await exited).toBe(0);
  });
});
