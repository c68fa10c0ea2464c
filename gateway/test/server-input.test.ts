// Bad client input gets an Error frame that says what is wrong and what is valid; the connection
// stays open and keeps streaming under the previous subscription.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "./helpers/child.js";
import { startGateway, streamFrames, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "5-10", "--seed", "2"]);
  gw = await startGateway(["--ring", sim.path, "--max-message-bytes", "2048", "--subscribes-per-minute", "5"]);
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

type ErrorBody = { code: string; message: string; valid?: string[]; path?: string };

async function errorFor(c: TestClient, msg: unknown): Promise<ErrorBody> {
  const before = c.of("Error").length;
  c.send(msg);
  await c.waitFor(() => c.of("Error").length > before, 5000, "an Error frame");
  return c.of("Error").at(-1)!.Error as ErrorBody;
}

describe("bad input", () => {
  it("answers each mistake with a precise Error frame and keeps the connection streaming", async () => {
    const c = await TestClient.connect(`${gw.ws}/v1/ws/blocks`);
    const cases: [unknown, Omit<Partial<ErrorBody>, "message"> & { message: RegExp }][] = [
      ["{not json", { code: "invalid_json", message: /invalid JSON/ }],
      [{ subscribe: ["BlockStrat"] }, { code: "unknown_event", message: /BlockStrat.*did you mean "BlockStart"/ }],
      [{ subscribe: { events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "adress", filter: { values: [] } }] }] } }, { code: "invalid_filter", message: /adress/ }],
      [{ subscribe: { events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "address", filter: { values: ["0x1234"] } }] }] } }, { code: "invalid_filter", message: /address|0x1234|pattern/ }],
      [{ subscribe: { events: ["BlockStart"], min_stage: "Done" } }, { message: /min_stage/ }],
      [{ unsubscribe: true }, { code: "invalid_message", message: /unknown message "unsubscribe"/ }],
      ["[1,2]", { code: "invalid_message", message: /JSON object/ }],
      [{ subscribe: ["TxnLog"], hello: {} }, { code: "invalid_message", message: /one message per frame/ }],
    ];
    for (const [msg, want] of cases) {
      const e = await errorFor(c, msg);
      const { message, ...rest } = want;
      expect(e).toMatchObject(rest);
      expect(e.message).toMatch(message);
    }
    const unknown = await errorFor(c, { subscribe: ["Nope"] });
    expect(unknown.valid).toContain("BlockStart");
    expect(unknown.valid).toContain("TPS");
    // Still connected, still receiving block frames on the old subscription.
    const n = c.frames.length;
    await c.waitFor(() => c.frames.slice(n).some((f) => "Events" in f || "Lifecycle" in f), 10_000, "frames after errors");
    expect(c.closeCode).toBeNull();
    await c.close();
  });

  it("never re-sends stream frames to a caught-up client that gets Error frames", async () => {
    // Regression: an Error queued for a live client used to restart its catch-up from a stale cursor.
    const c = await TestClient.connect(`${gw.ws}/v1/ws`);
    await c.waitFor(() => streamFrames(c.frames).length >= 5, 10_000, "live frames");
    for (let i = 0; i < 3; i++) {
      await errorFor(c, "{not json");
      const n = streamFrames(c.frames).length;
      await c.waitFor(() => streamFrames(c.frames).length > n + 2, 10_000, "more live frames");
    }
    const seqnos = streamFrames(c.frames).map((f) => f.server_seqno);
    expect(seqnos.length).toBeGreaterThan(10);
    for (let i = 1; i < seqnos.length; i++) expect(seqnos[i]).toBeGreaterThan(seqnos[i - 1]);
    await c.close();
  });

  it("refuses a message over the size limit without closing the connection", async () => {
    const c = await TestClient.connect(`${gw.ws}/v1/ws/lifecycle`);
    const e = await errorFor(c, { subscribe: Array.from({ length: 400 }, () => "BlockStart") });
    expect(e).toMatchObject({ code: "message_too_large" });
    expect(e.message).toMatch(/exceeds the limit of 2048/);
    const n = c.frames.length;
    await c.waitFor(() => c.frames.length > n, 10_000, "more frames");
    await c.close();
  });

  it("rate-limits subscribe messages", async () => {
    const c = await TestClient.connect(`${gw.ws}/v1/ws/lifecycle`);
    for (let i = 0; i < 5; i++) c.send({ subscribe: i % 2 ? ["Lifecycle"] : ["Lifecycle", "TPS"] });
    const e = await errorFor(c, { subscribe: ["TPS"] });
    expect(e).toMatchObject({ code: "rate_limited" });
    expect(e.message).toMatch(/at most 5 subscribe messages per minute/);
    await c.close();
  });

  it("a valid subscribe replaces the subscription", async () => {
    const c = await TestClient.connect(`${gw.ws}/v1/ws/lifecycle`);
    c.send({ subscribe: ["TPS"] });
    await new Promise((r) => setTimeout(r, 300));
    const n = c.frames.length;
    await c.waitFor(() => c.frames.slice(n).filter((f) => "TPS" in f).length >= 2, 10_000, "TPS frames");
    expect(c.frames.slice(n).filter((f) => "Lifecycle" in f)).toEqual([]);
    await c.close();
  });
});

describe("heartbeat", () => {
  it("pings, and closes a client that never answers while one that answers stays", async () => {
    const g = await startGateway(["--ring", sim.path, "--heartbeat", "4"]);
    try {
      const { default: WebSocket } = await import("ws");
      const open = (autoPong: boolean) =>
        new Promise<{ ws: InstanceType<typeof WebSocket>; pings: number[]; closed: Promise<number> }>((resolve) => {
          const ws = new WebSocket(`${g.ws}/v1/ws/lifecycle`, { autoPong });
          const pings: number[] = [];
          ws.on("ping", () => pings.push(Date.now()));
          const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
          ws.on("open", () => resolve({ ws, pings, closed }));
        });
      const silent = await open(false);
      const polite = await open(true);
      const started = Date.now();
      const code = await silent.closed;
      expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
      expect(silent.pings.length).toBeGreaterThan(0);
      expect([1006, 1001, 1000]).toContain(code);
      expect(polite.ws.readyState).toBe(WebSocket.OPEN);
      expect(polite.pings.length).toBeGreaterThan(0);
      polite.ws.close();
    } finally {
      await g.stop();
    }
  }, 60_000);
});
