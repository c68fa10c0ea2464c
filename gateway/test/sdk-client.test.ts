// The SDK's GatewayClient against a real gateway process on a simulator ring: typed frames with exact
// integers, listeners, subscriptions, rejected messages, the async iterator's backpressure, REST.
import { createServer } from "node:net";
import WebSocket from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  GatewayClient,
  GatewayConnectionError,
  GatewayHttpError,
  GatewayProtocolError,
  stringifyJson,
  type ExecEvent,
  type FrameInfo,
  type StreamFrame,
  type WebSocketConstructor,
} from "../../sdk-ts/src/index.js";
import type { Child } from "./helpers/child.js";
import { startGateway, streamFrames, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;
const clients: GatewayClient[] = [];
const raws: TestClient[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "20-40", "--seed", "21"]);
  gw = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100"]);
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await Promise.all(raws.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

function client(options: Partial<ConstructorParameters<typeof GatewayClient>[0]> = {}): GatewayClient {
  const c = new GatewayClient({ url: gw.ws, ...options });
  clients.push(c);
  return c;
}
async function raw(path: string): Promise<TestClient> {
  const r = await TestClient.connect(`${gw.ws}${path}`);
  raws.push(r);
  return r;
}
/** Resolves when pred holds, polling. */
async function until(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
/** A port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
/** A `ws` constructor that keeps every socket it makes, so a test can break connections. */
function capturingWebSocket(sockets: WebSocket[]): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  } as unknown as WebSocketConstructor;
}

describe("frames and events", () => {
  it("delivers every frame typed, with 64-bit integers exact: re-serialized frames equal the wire bytes", async () => {
    const reference = await raw("/v1/ws");
    const c = client();
    const frames: { frame: StreamFrame; info: FrameInfo }[] = [];
    c.on("frame", (frame, info) => frames.push({ frame, info }));
    await c.connect();
    await until(() => frames.filter((f) => "Events" in f.frame).length >= 10, "10 Events frames");
    const wire = new Map<number, string>();
    reference.frames.forEach((f, i) => streamFrames([f]).length > 0 && wire.set(f.server_seqno, reference.texts[i]));
    const shared = frames.filter((f) => wire.has(Number(f.frame.server_seqno)) && "Events" in f.frame);
    expect(shared.length).toBeGreaterThan(3);
    for (const { frame } of shared) {
      expect(stringifyJson(frame)).toBe(wire.get(Number(frame.server_seqno)));
      for (const e of (frame as { Events: ExecEvent[] }).Events) {
        expect(typeof e.timestamp_ns).toBe("bigint"); // ~1.8e18: above 2^53
        expect(typeof e.seqno).toBe("number");
        const digits = new RegExp(`"seqno":${e.seqno},"timestamp_ns":(\\d+)`).exec(wire.get(Number(frame.server_seqno))!)![1];
        expect(e.timestamp_ns).toBe(BigInt(digits));
      }
    }
    expect(frames[0].info.source).toBe("snapshot"); // state (TPS, lifecycles) first, then live
    expect(frames.at(-1)!.info).toMatchObject({ source: "live", epoch: c.epoch });
    expect(c.stats.duplicates).toBe(0);
  });

  it("emits kind-specific events, onEvent with narrowed payloads, once and off", async () => {
    const c = client({ channel: "all" });
    const counts = { event: 0, events: 0, tps: 0, lifecycle: 0, contention: 0, topAccesses: 0, once: 0 };
    const starts: number[] = [];
    const transfers: string[] = [];
    let hello = false;
    c.on("hello", (h) => (hello = h.features.includes("subscribe_in_url")));
    c.on("event", () => counts.event++);
    c.on("events", () => counts.events++);
    c.on("tps", (tps) => {
      expect(typeof tps).toBe("number");
      counts.tps++;
    });
    c.on("lifecycle", () => counts.lifecycle++);
    c.on("contention", (d) => {
      expect(d.schedule.batches.length).toBeGreaterThan(0);
      counts.contention++;
    });
    c.on("topAccesses", () => counts.topAccesses++);
    c.once("tps", () => counts.once++);
    c.onEvent("BlockStart", (e) => starts.push(Number(e.payload.block_number))); // payload typed as BlockStartPayload
    c.onEvent("NativeTransfer", (e) => transfers.push(e.payload.value));
    const offed = () => {
      throw new Error("removed listener called");
    };
    c.on("event", offed).off("event", offed);
    await c.connect();
    await until(() => counts.tps >= 3 && counts.contention >= 2 && counts.topAccesses >= 1 && transfers.length > 0, "every kind of frame");
    expect(hello).toBe(true);
    expect(counts.once).toBe(1);
    expect(counts.event).toBeGreaterThan(counts.events);
    expect(starts.length).toBeGreaterThan(1);
    for (let i = 1; i < starts.length; i++) expect(starts[i]).toBeGreaterThan(starts[i - 1]);
    expect(transfers.every((v) => v !== "0x0")).toBe(true);
  });

  it("a listener that throws is reported as an error and does not stop delivery", async () => {
    const c = client({ channel: "lifecycle" });
    const errors: Error[] = [];
    let after = 0;
    c.on("lifecycle", () => {
      throw new Error("listener bug");
    });
    c.on("lifecycle", () => after++);
    c.on("error", (e) => errors.push(e));
    await c.connect();
    await until(() => after >= 3, "3 lifecycle updates");
    expect(errors[0].message).toBe("listener bug");
  });
});

describe("subscriptions", () => {
  it("subscribe() applies now and, through ?subscribe=, to the replay after a reconnect", async () => {
    const sockets: WebSocket[] = [];
    const c = client({ WebSocket: capturingWebSocket(sockets), backoff: { initialMs: 50, maxMs: 200 } });
    const got: { kind: string; info: FrameInfo }[] = [];
    c.on("frame", (f, info) => got.push({ kind: Object.keys(f).find((k) => k !== "server_seqno")!, info }));
    await c.connect();
    await c.waitForResume();
    c.subscribe(["BlockStart", "TPS"]);
    const subscribedAt = Number(c.serverSeqno);
    await until(() => got.filter((g) => g.info.serverSeqno > subscribedAt && g.kind === "TPS").length >= 2, "TPS after subscribing");
    sockets[0].terminate(); // connection lost
    await until(() => c.stats.reconnects === 1 && c.connected, "reconnect");
    const resume = await c.waitForResume();
    expect(resume.mode).toBe("resume");
    expect(c.hello!.subscription).toEqual({ events: ["BlockStart", "TPS"] });
    const mark = got.length;
    await until(() => got.length >= mark + 4, "frames after the reconnect");
    const settled = got.filter((g) => g.info.serverSeqno > subscribedAt + 50);
    expect(new Set(settled.map((g) => g.kind))).toEqual(new Set(["Events", "TPS"]));
  });

  it("a subscription the gateway rejects arrives as a GatewayProtocolError; the stream goes on", async () => {
    const c = client({ channel: "blocks" });
    const errors: GatewayProtocolError[] = [];
    c.on("error", (e) => errors.push(e as GatewayProtocolError));
    await c.connect();
    c.subscribe({ events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "adress", filter: { values: [] } }] }] } as never);
    await until(() => errors.length > 0, "the Error frame");
    expect(errors[0]).toBeInstanceOf(GatewayProtocolError);
    expect(errors[0]).toMatchObject({ code: "invalid_filter" });
    expect(errors[0].message).toMatch(/did you mean "address"/);
    let n = 0;
    c.on("lifecycle", () => n++);
    await until(() => n >= 2, "blocks frames still flowing");
  });

  it("a subscription in the options is in effect from the first frame", async () => {
    const c = client({
      subscription: { events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "log_index", filter: { max: 0 } }] }] },
    });
    const events: ExecEvent[] = [];
    c.on("event", (e) => events.push(e));
    await c.connect();
    await until(() => events.length >= 20, "20 logs");
    expect(events.every((e) => e.payload.type === "TxnLog" && e.payload.log_index === 0)).toBe(true);
  });

  it("a subscription too long for a URL is sent as a message instead", async () => {
    const sockets: WebSocket[] = [];
    const nobody = Array.from({ length: 120 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
    const c = client({
      WebSocket: capturingWebSocket(sockets),
      subscription: { events: ["TxnLog", "TPS"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "address", filter: { values: nobody } }] }] },
    });
    const kinds: string[] = [];
    c.on("frame", (f) => kinds.push(Object.keys(f).find((k) => k !== "server_seqno")!));
    await c.connect();
    await until(() => kinds.filter((k) => k === "TPS").length >= 8, "8 TPS frames");
    expect(sockets[0].url).not.toContain("subscribe=");
    expect(kinds.slice(-5)).toEqual(["TPS", "TPS", "TPS", "TPS", "TPS"]);
  });

  it("a connection the gateway refuses (HTTP 400) rejects connect() with the gateway's message, without retrying", async () => {
    const c = client({ subscription: ["Bogus" as never] });
    let retries = 0;
    c.on("reconnecting", () => retries++);
    const err = await c.connect().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GatewayHttpError);
    expect(err).toMatchObject({ status: 400, code: "unknown_event" });
    expect((err as Error).message).toMatch(/unknown event "Bogus"/);
    await sleep(300);
    expect(retries).toBe(0);
  });
});

describe("async iteration", () => {
  it("a slow consumer pauses the connection and resumes it: nothing lost, nothing twice, in order", async () => {
    const reference = await raw("/v1/ws");
    const c = client();
    await c.connect();
    const seqnos: number[] = [];
    const t0 = Date.now();
    for await (const item of c.frames({ bufferSize: 16 })) {
      expect("Gap" in item).toBe(false);
      seqnos.push(Number((item as StreamFrame).server_seqno));
      await sleep(40); // about 25 frames/s: slower than the stream
      if (Date.now() - t0 > 5000) break;
    }
    expect(c.stats.pauses).toBeGreaterThan(1);
    for (let i = 1; i < seqnos.length; i++) expect(seqnos[i]).toBeGreaterThan(seqnos[i - 1]);
    // Every frame the reference saw in that range, exactly once.
    const first = seqnos.find((s) => s > streamFrames(reference.frames)[0].server_seqno)!;
    const last = seqnos.at(-1)!;
    await until(() => (streamFrames(reference.frames).at(-1)?.server_seqno ?? 0) >= last, "reference catches up");
    const want = streamFrames(reference.frames)
      .map((f) => f.server_seqno)
      .filter((s) => s >= first && s <= last);
    expect(seqnos.filter((s) => s >= first)).toEqual(want);
  });

  it("events() yields ExecEvents and ends when the client disconnects", async () => {
    const c = client({ channel: "blocks" });
    await c.connect();
    const names = new Set<string>();
    let n = 0;
    setTimeout(() => c.disconnect(), 1500);
    for await (const e of c.events()) {
      names.add(e.event_name);
      n++;
    }
    expect(n).toBeGreaterThan(5);
    expect(names.has("BlockStart")).toBe(true);
    expect(c.connected).toBe(false);
  });
});

describe("REST helpers", () => {
  it("return typed bodies, accept the WebSocket URL, and throw the gateway's error message", async () => {
    const { tps, tps_exact } = await GatewayClient.fetchTPS(gw.http);
    expect(tps).toBe(Math.round(tps_exact));
    const status = await GatewayClient.fetchStatus(`${gw.ws}/v1/ws/blocks`);
    expect(status.status).toBe("healthy");
    expect(typeof status.epoch).toBe("string");
    const contention = await GatewayClient.fetchContention(gw.http);
    expect(contention.total_txn_count).toBeGreaterThanOrEqual(20);
    const blocks = await GatewayClient.fetchLifecycle(gw.http);
    expect(blocks.length).toBeGreaterThan(0);
    const one = await GatewayClient.fetchBlockLifecycle(gw.http, blocks[0].block_number);
    expect(one.block_hash).toBe(blocks[0].block_hash);
    expect((await GatewayClient.fetchHealth(gw.http)).success).toBe(true);

    const missing = await GatewayClient.fetchBlockLifecycle(gw.http, 999_999_999).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(GatewayHttpError);
    expect(missing).toMatchObject({ status: 404, code: "not_found", message: "block not found" });
    const bad = await GatewayClient.fetchBlockLifecycle(gw.http, "x").catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, message: 'block_number must be a non-negative integer, got "x"' });
  });

  it("an unreachable gateway is a GatewayConnectionError naming the URL", async () => {
    const port = await closedPort();
    const err = await GatewayClient.fetchStatus(`http://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayConnectionError);
    expect((err as Error).message).toBe(`cannot reach the gateway at http://127.0.0.1:${port}/v1/status: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
