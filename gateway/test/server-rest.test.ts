// REST on the WebSocket port: bodies match their JSON Schemas, errors are JSON with what is valid.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { restValidators, validateServerFrame } from "../src/protocol/validators.js";
import type { Child } from "./helpers/child.js";
import { startGateway, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "10-30", "--seed", "9"]);
  gw = await startGateway(["--ring", sim.path, "--resume-prefault-mib", "8"]);
  await new Promise((r) => setTimeout(r, 2500)); // several blocks verified
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

async function get(path: string): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await fetch(`${gw.http}${path}`);
  const type = res.headers.get("content-type");
  return { status: res.status, type, body: type?.includes("json") ? await res.json() : await res.text() };
}

function expectValid(v: { (d: unknown): boolean; errors?: unknown }, body: unknown): void {
  const ok = v(body);
  expect(ok, JSON.stringify(v.errors)).toBe(true);
}

describe("REST", () => {
  it("/v1/tps, /v1/status, /v1/contention, /health match their schemas", async () => {
    const tps = await get("/v1/tps");
    expect(tps.status).toBe(200);
    expectValid(restValidators.tps, tps.body);
    expect((tps.body as { tps: number }).tps).toBeGreaterThan(0);
    const status = await get("/v1/status");
    expectValid(restValidators.status, status.body);
    expect(status.body).toMatchObject({ status: "healthy", ring: { path: sim.path, writer_alive: true } });
    const contention = await get("/v1/contention");
    expect(contention.status).toBe(200);
    expect(validateServerFrame({ server_seqno: 1, ContentionData: contention.body }).ok).toBe(true);
    const health = await get("/health");
    expect(health).toMatchObject({ status: 200, body: { success: true, status: "healthy" } });
    expectValid(restValidators.health, health.body);
  });

  it("/v1/blocks/lifecycle lists recent blocks; /v1/blocks/:n/lifecycle one, 404 when unknown, 400 when malformed", async () => {
    const list = await get("/v1/blocks/lifecycle");
    expectValid(restValidators.blocksLifecycle, list.body);
    const blocks = list.body as { block_number: number; current_stage: string; stage_timings_ms: Record<string, number> }[];
    expect(blocks.length).toBeGreaterThan(5);
    const verified = blocks.find((b) => b.current_stage === "Verified")!;
    expect(verified.stage_timings_ms).toMatchObject({ Voted: expect.any(Number), Finalized: expect.any(Number), Verified: expect.any(Number) });
    const one = await get(`/v1/blocks/${verified.block_number}/lifecycle`);
    expect(one.status).toBe(200);
    expectValid(restValidators.blockLifecycle, one.body);
    const missing = await get("/v1/blocks/99999999/lifecycle");
    expect(missing.status).toBe(404);
    expectValid(restValidators.error, missing.body);
    const bad = await get("/v1/blocks/twelve/lifecycle");
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/block_number must be a non-negative integer, got "twelve"/);
  });

  it("unknown paths answer 404 listing valid ones; wrong methods 405", async () => {
    const nope = await get("/v2/everything");
    expect(nope.status).toBe(404);
    expectValid(restValidators.error, nope.body);
    expect((nope.body as { valid: string[] }).valid).toContain("/v1/status");
    const post = await fetch(`${gw.http}/v1/tps`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(((await post.json()) as { error: string }).error).toMatch(/POST is not allowed on \/v1\/tps; use GET/);
  });

  it("/metrics is Prometheus text with the gateway's counters", async () => {
    const c = await TestClient.connect(`${gw.ws}/v1/ws/blocks`);
    await c.waitFor(() => c.frames.length > 15);
    const m = await get("/metrics");
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/text\/plain/);
    const text = m.body as string;
    for (const name of ["monad_gateway_events_in_total", "monad_gateway_frames_out_total", "monad_gateway_frames_dropped_total", "monad_gateway_clients", "monad_gateway_ring_lag_events", "monad_gateway_delivery_latency_seconds_bucket"])
      expect(text).toContain(name);
    expect(Number(/monad_gateway_events_in_total (\d+)/.exec(text)![1])).toBeGreaterThan(100);
    // every frame this client got is counted, live ones through a uWS topic included
    expect(Number(/monad_gateway_frames_out_total (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(c.frames.length);
    // --resume-prefault-mib 8: at least that much frame memory was mapped before serving
    expect(Number(/monad_gateway_frame_memory_bytes\{state="in_use"\} (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(8 << 20);
    expect(text).toMatch(/monad_gateway_frame_memory_fallbacks \d+/);
    // ...and, being the window's memory, left out of V8's external-memory count (no full GC for it)
    expect(Number(/monad_gateway_frame_memory_gc_exempt_bytes (\d+)/.exec(text)![1])).toBeGreaterThanOrEqual(8 << 20);
    await c.close();
  });

  it("/openapi.json describes every REST route with schemas", async () => {
    const doc = (await get("/openapi.json")).body as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    for (const p of ["/v1/tps", "/v1/status", "/v1/contention", "/v1/blocks/lifecycle", "/v1/blocks/{block_number}/lifecycle", "/health", "/metrics"]) expect(doc.paths).toHaveProperty([p]);
    expect(JSON.stringify(doc)).not.toMatch(/"\$ref":"(?!#\/components\/schemas\/)/);
    expect(doc.components.schemas).toHaveProperty("StatusResponse");
  });

  it("every frame a client receives matches the frame schemas", async () => {
    const c = await TestClient.connect(`${gw.ws}/v1/ws`);
    await new Promise((r) => setTimeout(r, 1500));
    await c.close();
    expect(c.frames.length).toBeGreaterThan(20);
    const bad = c.frames.map((f) => validateServerFrame(f)).filter((r) => !r.ok);
    expect(bad).toEqual([]);
  });
});
