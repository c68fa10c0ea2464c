// The SDK across broken connections, against real gateway processes: a dropped connection resumes
// losslessly without duplicates (same frames as a client that stayed connected), duplicates are
// suppressed, reconnects back off with jitter, and every loss the client can know of is a `gap`:
// gateway restart (snapshot), away too long (cursor too old), backpressure drops, ring gaps.
import WebSocket, { WebSocketServer } from "ws";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  GatewayClient,
  STREAM_FRAME_KINDS,
  stringifyJson,
  type ClientFrame,
  type Gap,
  type ResumeInfo,
  type StreamFrame,
  type WebSocketConstructor,
} from "../../sdk-ts/src/index.js";
import type { Child } from "./helpers/child.js";
import { startGateway, streamFrames, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanup: (() => unknown)[] = [];
let sim: { path: string; child: Child };
let gw: GatewayProcess;

beforeAll(async () => {
  // About 8,000 events/s: enough to overflow a paused reader's socket buffers within seconds.
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "20-40", "--seed", "3"]);
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

async function until(pred: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
async function gateway(args: string[]): Promise<GatewayProcess> {
  const g = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100", ...args]);
  cleanup.push(() => g.stop("SIGKILL"));
  return g;
}
async function reference(base: string, path = "/v1/ws"): Promise<TestClient> {
  const r = await TestClient.connect(`${base}${path}`);
  cleanup.push(() => r.close());
  return r;
}

/** An SDK client that records what it delivers. */
function recorder(options: ConstructorParameters<typeof GatewayClient>[0]) {
  const c = new GatewayClient({ backoff: { initialMs: 100, maxMs: 400, factor: 2, jitter: 0.5 }, ...options });
  cleanup.push(() => c.disconnect());
  const rec = {
    client: c,
    frames: [] as { seqno: number; epoch: string | null; text: string; source: string }[],
    gaps: [] as Gap[],
    resumes: [] as ResumeInfo[],
    reconnecting: [] as [number, number][],
    disconnects: [] as string[],
  };
  c.on("frame", (f, info) => rec.frames.push({ seqno: Number(info.serverSeqno), epoch: info.epoch, text: stringifyJson(f), source: info.source }));
  c.on("gap", (g) => rec.gaps.push(g));
  c.on("resume", (r) => rec.resumes.push(r));
  c.on("reconnecting", (a, d) => rec.reconnecting.push([a, d]));
  c.on("disconnected", (d) => rec.disconnects.push(d.reason));
  return rec;
}
type Recorder = ReturnType<typeof recorder>;

/** The reference's stream frames (text by seqno) from `from` to `to`. */
function referenceRange(r: TestClient, from: number, to: number): Map<number, string> {
  const out = new Map<number, string>();
  r.frames.forEach((f, i) => {
    if (streamFrames([f]).length > 0 && f.server_seqno >= from && f.server_seqno <= to) out.set(f.server_seqno, r.texts[i]);
  });
  return out;
}

/** Expects `rec` to hold exactly the reference's stream frames over the range both saw live. */
async function expectSameAsReference(rec: Recorder, ref: TestClient): Promise<number> {
  const refStart = (ref.frames.find((f) => "Resume" in f)!.Resume as { newest_seqno: number }).newest_seqno;
  const from = Math.max(refStart, rec.resumes[0].newest_seqno as number) + 1;
  const to = rec.frames.at(-1)!.seqno;
  await ref.waitFor(() => (streamFrames(ref.frames).at(-1)?.server_seqno ?? 0) >= to, 30_000, "the reference to catch up");
  const want = referenceRange(ref, from, to);
  const got = rec.frames.filter((f) => f.seqno >= from);
  expect(got.map((f) => f.seqno)).toEqual([...want.keys()]);
  for (const f of got) expect(f.text).toBe(want.get(f.seqno));
  return got.length;
}

/**
 * A WebSocket proxy in front of the gateway that can drop every connection, refuse new ones
 * (HTTP 503), and send stream frames twice plus a stale copy of the previous one.
 */
class FlakyProxy {
  refusing = false;
  duplicating = false;
  private readonly pairs = new Set<{ down: WebSocket; up: WebSocket }>();
  private constructor(
    private readonly server: WebSocketServer,
    /** Where new connections go; change it to move clients to another gateway. */
    public target: string,
  ) {
    server.on("connection", (down, req) => this.relay(down, req.url ?? "/"));
  }

  static start(target: string): Promise<FlakyProxy> {
    return new Promise((resolve) => {
      const server: WebSocketServer = new WebSocketServer(
        { port: 0, host: "127.0.0.1", verifyClient: (_info, cb) => (proxy.refusing ? cb(false, 503, "proxy refusing") : cb(true)) },
        () => resolve(proxy),
      );
      const proxy = new FlakyProxy(server, target);
      cleanup.push(() => proxy.close());
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  /** Kills every connection at once, like a network failure (no close handshake). */
  breakAll(): void {
    for (const p of this.pairs) {
      p.down.terminate();
      p.up.terminate();
    }
    this.pairs.clear();
  }

  close(): Promise<void> {
    this.breakAll();
    return new Promise((r) => this.server.close(() => r()));
  }

  private relay(down: WebSocket, path: string): void {
    const up = new WebSocket(`${this.target}${path}`);
    const pair = { down, up };
    this.pairs.add(pair);
    const early: string[] = [];
    let previous: string | null = null;
    up.on("open", () => early.splice(0).forEach((m) => up.send(m)));
    down.on("message", (d) => (up.readyState === WebSocket.OPEN ? up.send(d.toString()) : early.push(d.toString())));
    up.on("message", (d) => {
      const text = d.toString();
      down.send(text);
      const kind = /^\{"server_seqno":\d+,"(\w+)"/.exec(text)?.[1] ?? "";
      if (this.duplicating && (STREAM_FRAME_KINDS as readonly string[]).includes(kind)) {
        down.send(text);
        if (previous) down.send(previous);
        previous = text;
      }
    });
    up.on("close", () => down.terminate());
    down.on("close", () => up.terminate());
    up.on("error", () => {});
    down.on("error", () => {});
  }
}

describe("lossless resume", () => {
  it("a dropped connection, refused for a while, resumes with exactly the frames missed: same as a client that stayed connected", async () => {
    const ref = await reference(gw.ws);
    const proxy = await FlakyProxy.start(gw.ws);
    const rec = recorder({ url: proxy.url });
    await rec.client.connect();
    await until(() => rec.frames.length >= 30, "30 frames");
    proxy.refusing = true;
    proxy.breakAll();
    await until(() => rec.reconnecting.length >= 3, "3 reconnect attempts");
    proxy.refusing = false;
    await until(() => rec.resumes.length === 2, "the resumed connection");
    expect(rec.resumes[1]).toMatchObject({ mode: "resume", resume_from: expect.any(Number) });
    const mark = rec.frames.length;
    await until(() => rec.frames.length >= mark + 30, "30 frames after the resume");
    const compared = await expectSameAsReference(rec, ref);
    expect(compared).toBeGreaterThan(60);
    expect(rec.frames.some((f) => f.source === "replay")).toBe(true);
    expect(rec.gaps).toEqual([]);
    expect(rec.client.stats.duplicates).toBe(0);
    // Jittered exponential backoff: attempt n waits within [d/2, d], d = min(400, 100 * 2^(n-1)).
    for (const [attempt, delay] of rec.reconnecting) {
      const d = Math.min(400, 100 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(d / 2);
      expect(delay).toBeLessThanOrEqual(d);
    }
    expect(rec.reconnecting.map(([a]) => a)).toEqual(rec.reconnecting.map((_, i) => i + 1));
  });

  it("suppresses duplicated and stale repeated frames", async () => {
    const ref = await reference(gw.ws);
    const proxy = await FlakyProxy.start(gw.ws);
    proxy.duplicating = true;
    const rec = recorder({ url: proxy.url });
    await rec.client.connect();
    await until(() => rec.frames.length >= 60, "60 frames");
    await expectSameAsReference(rec, ref);
    expect(rec.client.stats.duplicates).toBeGreaterThanOrEqual(2 * (rec.frames.length - 5));
  });

  it("a frozen gateway is detected by the heartbeat, and the stream resumes when it thaws", async () => {
    const g = await gateway([]);
    const ref = await reference(g.ws, "/v1/ws/blocks");
    const rec = recorder({ url: g.ws, channel: "blocks", heartbeatTimeout: 800, connectTimeout: 5000 });
    await rec.client.connect();
    const live = () => rec.frames.filter((f) => f.source === "live");
    await until(() => live().length >= 10, "10 live frames");
    g.child.proc.kill("SIGSTOP");
    await until(() => rec.disconnects.some((r) => /no traffic for \d+ ms/.test(r)), "the heartbeat to give up", 10_000);
    await sleep(1500);
    g.child.proc.kill("SIGCONT");
    await until(() => rec.resumes.length >= 2 && rec.frames.length >= 40, "the resumed stream");
    expect(rec.resumes.at(-1)).toMatchObject({ mode: "resume" });
    await expectSameAsReference(rec, ref);
    expect(rec.gaps).toEqual([]);
  });
});

describe("gaps", () => {
  it("a gateway restart: reconnects with backoff, gets a snapshot of the new run, and reports the gap", async () => {
    const g1 = await gateway([]);
    // Behind a proxy, so the restarted gateway has the same URL (its port is not reusable at once).
    const proxy = await FlakyProxy.start(g1.ws);
    proxy.refusing = true;
    const c = new GatewayClient({ url: proxy.url, channel: "blocks", backoff: { initialMs: 100, maxMs: 300 } });
    cleanup.push(() => c.disconnect());
    const items: ClientFrame[] = [];
    proxy.refusing = false;
    await c.connect();
    const consumer = (async () => {
      for await (const item of c.frames()) items.push(item);
    })();
    await until(() => items.length >= 10, "10 frames");
    // Far enough that the new run's first frames (seqnos restart at 1) come below this cursor: the
    // point is that they are delivered, not suppressed as duplicates. The new run is under a second
    // old (~110 frames/s) when the client gets back; stopping at ~30 made this a race.
    await until(() => Number(c.serverSeqno) >= 400, "the old run past seqno 400", 20_000);
    const oldEpoch = c.epoch!;
    proxy.refusing = true; // the gateway is down: nothing answers
    await g1.stop("SIGTERM");
    const cursor = c.serverSeqno!;
    let attempts = 0;
    c.on("reconnecting", (a) => (attempts = a));
    await until(() => attempts >= 2, "reconnect attempts while the gateway is down");
    const g2 = await gateway([]);
    proxy.target = g2.ws;
    proxy.refusing = false;
    await until(() => items.some((i) => "Gap" in i), "the gap", 20_000);
    const gapAt = items.findIndex((i) => "Gap" in i);
    const gap = (items[gapAt] as { Gap: Gap }).Gap;
    const resume = await c.waitForResume();
    expect(resume).toMatchObject({ mode: "snapshot", reason: "epoch_mismatch" });
    expect(c.epoch).not.toBe(oldEpoch);
    expect(gap).toMatchObject({
      reason: "gateway_restarted",
      after: { epoch: oldEpoch, serverSeqno: cursor },
      ranges: [
        { epoch: oldEpoch, from: Number(cursor) + 1 },
        { epoch: c.epoch, from: 1, to: resume.newest_seqno },
      ],
    });
    expect(gap.message).toMatch(/the gateway restarted/);
    // The new run's seqnos start again: they are delivered, not taken for duplicates.
    await until(() => items.length >= gapAt + 10, "frames of the new run");
    const after = items.slice(gapAt + 1) as StreamFrame[];
    expect(Number(after[0].server_seqno)).toBeLessThan(Number(cursor));
    expect(c.stats.duplicates).toBe(0);
    c.disconnect();
    await consumer;
    await g2.stop();
  });

  it("away longer than the resume buffer: a snapshot and a gap with the exact missing range", async () => {
    const g = await gateway(["--resume-buffer", "40"]);
    const rec = recorder({ url: g.ws, channel: "blocks" });
    await rec.client.connect();
    await until(() => rec.frames.length >= 5, "5 frames");
    rec.client.disconnect();
    const cursor = rec.client.serverSeqno as number;
    await sleep(1500); // ~30 blocks: far more than 40 frames
    await rec.client.connect();
    await until(() => rec.gaps.length > 0, "the gap");
    const resume = rec.resumes.at(-1)!;
    expect(resume).toMatchObject({ mode: "snapshot", reason: "cursor_too_old", resume_from: cursor });
    expect(rec.gaps[0]).toMatchObject({
      reason: "cursor_too_old",
      ranges: [{ epoch: rec.client.epoch, from: cursor + 1, to: (resume.oldest_seqno as number) - 1 }],
    });
  });

  it("frames the gateway drops for a slow reader are reported with their seqno range", async () => {
    const g = await gateway(["--client-queue", "64", "--warn-every", "20", "--drop-limit", "1000000"]);
    const ref = await reference(g.ws);
    const sockets: WebSocket[] = [];
    const Capturing = class extends WebSocket {
      constructor(url: string) {
        super(url);
        sockets.push(this);
      }
    } as unknown as WebSocketConstructor;
    const rec = recorder({ url: g.ws, WebSocket: Capturing });
    await rec.client.connect();
    const live = () => rec.frames.filter((f) => f.source === "live");
    await until(() => live().length >= 10, "10 live frames");
    const tcp = (sockets[0] as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    await sleep(4000);
    tcp.resume();
    await until(() => rec.gaps.length >= 2, "backpressure gaps");
    // Drops are announced every --warn-every, and the rest once the reader has caught up.
    await sleep(2000);
    const last = rec.frames.at(-1)!.seqno;
    // From the first live frame: the connect snapshot before it is the latest state, not every frame.
    const first = live()[0].seqno;
    await ref.waitFor(() => (streamFrames(ref.frames).at(-1)?.server_seqno ?? 0) >= last, 30_000, "reference");
    const got = new Set(rec.frames.map((f) => f.seqno));
    const missing = [...referenceRange(ref, first, last).keys()].filter((s) => !got.has(s));
    expect(missing.length).toBeGreaterThan(0);
    const announced = (s: number) => rec.gaps.some((gap) => gap.reason === "backpressure" && gap.ranges.some((r) => s >= Number(r.from) && s <= Number(r.to)));
    expect(missing.filter((s) => !announced(s))).toEqual([]);
    expect(rec.gaps.every((gap) => gap.reason === "backpressure" && gap.count! > 0)).toBe(true);
    const seqnos = rec.frames.map((f) => f.seqno);
    for (let i = 1; i < seqnos.length; i++) expect(seqnos[i]).toBeGreaterThan(seqnos[i - 1]);
  });

  it("events lost in the ring (the gateway was lapped) are a ring_gap gap with the count", async () => {
    const small = await startSimRing(["--blocks-per-second", "20", "--txns-per-block", "60-80", "--descriptors-shift", "16", "--payload-shift", "27"]);
    cleanup.push(() => small.child.kill("SIGKILL"));
    const g = await startGateway(["--ring", small.path]);
    cleanup.push(() => g.stop("SIGKILL"));
    const rec = recorder({ url: g.ws, channel: "blocks" });
    await rec.client.connect();
    await until(() => rec.frames.length >= 3, "3 frames");
    g.child.proc.kill("SIGSTOP");
    await sleep(5000); // ~100,000 events: the writer laps the frozen reader
    g.child.proc.kill("SIGCONT");
    await until(() => rec.gaps.length > 0, "the ring gap");
    expect(rec.gaps[0]).toMatchObject({ reason: "ring_gap", ranges: [] });
    expect(rec.gaps[0].count).toBeGreaterThan(0);
  });
});

describe("giving up", () => {
  it("after maxReconnectAttempts: an error, and iterators end with it", async () => {
    const c = new GatewayClient({ url: "ws://127.0.0.1:1", maxReconnectAttempts: 2, backoff: { initialMs: 10, maxMs: 20 } });
    cleanup.push(() => c.disconnect());
    const errors: Error[] = [];
    c.on("error", (e) => errors.push(e));
    const iteration = (async () => {
      for await (const _ of c.events()) void _;
    })();
    await expect(c.connect()).rejects.toThrow(/ECONNREFUSED/);
    await expect(iteration).rejects.toThrow(/gave up after 2 reconnect attempts/);
    expect(errors.at(-1)!.message).toMatch(/gave up after 2 reconnect attempts: .*ECONNREFUSED/);
  });
});
