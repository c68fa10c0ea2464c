// The native load generator of the benchmarks (bench/load/wsload/*.c, built on demand by
// native-client.mjs) against a real gateway on its simulator, and against a scripted ws server
// for the framing cases, side by side with the Node client (client.mjs) whose accounting it copies.
// Both are driven through bench/load/fleet.mjs, the way the benchmark scenarios use them.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import net from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { startGateway, type GatewayProcess } from "./helpers/gateway-process.js";

const LOAD = fileURLToPath(new URL("../../bench/load/", import.meta.url));

// The bench modules are plain .mjs without types.
const { startFleet } = (await import(pathToFileURL(`${LOAD}fleet.mjs`).href)) as { startFleet: (spec: any) => Promise<any> };
// No skip without a C compiler: the test command installs one (the ring addon needs it too), and
// where it is missing nativeClientPath() fails saying what to install.
const { nativeClientPath } = (await import(pathToFileURL(`${LOAD}native-client.mjs`).href)) as { nativeClientPath: () => string };

const COUNTERS = ["connections", "failed", "frames", "eventsFrames", "events", "bytes", "warnings", "droppedFrames", "otherWarnings", "missedEvents", "negativeLatencies", "closes"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fleet of `connections` on `url`, measured over `ms` after a reset; stopped afterwards. */
async function measure(spec: Record<string, unknown>, ms: number): Promise<any> {
  const fleet = await startFleet({ protocol: "ws", channel: "all", processes: 1, deadlineS: 60, ...spec });
  try {
    fleet.reset();
    await sleep(ms);
    return await fleet.report();
  } finally {
    await fleet.stop();
  }
}

describe("native load generator (wsload) against the gateway", () => {
  let gw: GatewayProcess;
  beforeAll(async () => {
    nativeClientPath(); // build once, outside the timed parts
    gw = await startGateway(["--sim", "--max-connections-per-ip", "100"]);
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("meters the firehose of a real gateway: frames, events, no missed events, latency, no closes", async () => {
    const r = await measure({ url: `${gw.ws}/v1/ws`, connections: 3, processes: 2, client: "c" }, 3000);
    expect(r.client).toBe("c");
    expect(r.opened).toBe(3);
    expect(r.failed).toBe(0);
    expect(r.frames).toBeGreaterThan(0);
    expect(r.events).toBeGreaterThan(0);
    expect(r.missedEvents).toBe(0);
    expect(r.latencyUs.count).toBeGreaterThan(0);
    expect(r.latencyUs.count).toBe(r.eventsFrames);
    expect(r.latencyUs.p50).toBeLessThan(10_000_000); // sanity: µs, not ns or ms
    expect(r.closes).toEqual({});
  });

  it("counts the same blocks-channel events as client.mjs over the same window", async () => {
    const spec = { url: `${gw.ws}/v1/ws/blocks`, channel: "blocks", connections: 2 };
    const node = await startFleet({ protocol: "ws", processes: 1, deadlineS: 60, ...spec, client: "node" });
    const c = await startFleet({ protocol: "ws", processes: 1, deadlineS: 60, ...spec, client: "c" });
    try {
      node.reset();
      c.reset();
      await sleep(3000);
      const [a, b] = await Promise.all([node.report(), c.report()]);
      expect(a.client).toBe("node");
      expect(b.client).toBe("c");
      expect(b.events).toBeGreaterThan(10);
      // Same frames; only the instants of reset and report differ (milliseconds apart).
      const tolerance = Math.max(4, 0.05 * a.events);
      expect(Math.abs(a.events - b.events)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(a.eventsFrames - b.eventsFrames)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(a.latencyUs.count - b.latencyUs.count)).toBeLessThanOrEqual(tolerance);
      expect(b.closes).toEqual({});
    } finally {
      await Promise.all([node.stop(), c.stop()]);
    }
  });

  it("--slow connections open but read (and count) nothing", async () => {
    const r = await measure({ url: `${gw.ws}/v1/ws`, connections: 2, slow: true, client: "c" }, 2000);
    expect(r.opened).toBe(2);
    expect(r.frames).toBe(0);
    expect(r.bytes).toBe(0);
    expect(r.latencyUs.count).toBe(0);
  });

  it("connections that cannot open are counted with their reason; the process exits 0", async () => {
    const refused = 1; // tcpmux: reserved, nothing listens there
    const cases: [string, RegExp][] = [
      [`ws://127.0.0.1:${refused}/v1/ws`, /^connect 127\.0\.0\.1 port \d+: Connection refused$/],
      [`${gw.ws}/v1/no-such-channel`, /^Unexpected server response: 404$/],
      ["http://127.0.0.1/v1/ws", /^invalid URL .*ws:\/\/ only$/],
      ["ws://no-such-host.invalid/v1/ws", /^getaddrinfo no-such-host\.invalid: /],
    ];
    for (const [url, reason] of cases) {
      const p = runWsload(["--url", url, "--connections", "3"]);
      const ready = await p.next("ready");
      expect(ready.open, url).toBe(0);
      expect(ready.failed, url).toBe(3);
      expect(Object.keys(ready.failReasons), url).toHaveLength(1);
      expect(Object.keys(ready.failReasons)[0], url).toMatch(reason);
      p.command("report");
      expect((await p.next("report")).failed).toBe(3);
      p.command("exit");
      expect(await p.exited).toBe(0);
    }
    // A fleet none of whose connections opened is an error that says why.
    await expect(startFleet({ url: `ws://127.0.0.1:${refused}/`, protocol: "ws", channel: "all", connections: 1, processes: 1, deadlineS: 30 }))
      .rejects.toThrow(/no connection opened; failures: .*Connection refused/);
  });
});

describe("native load generator framing", () => {
  it("agrees with client.mjs on a scripted stream: fragments, 16/64-bit lengths, Warnings, gaps, ping, close code", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
    await new Promise((r) => wss.once("listening", r));
    const url = `ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}/`;
    const pongs: string[] = [];
    const closed: number[] = [];
    wss.on("connection", (ws) => {
      ws.on("pong", (d) => pongs.push(d.toString()));
      ws.on("close", (code) => closed.push(code));
    });
    try {
      const spec = { url, protocol: "ws", channel: "all", connections: 2, processes: 1, deadlineS: 60 };
      const node = await startFleet({ ...spec, client: "node" });
      const c = await startFleet({ ...spec, client: "c" });
      try {
        for (const ws of wss.clients) await script(ws);
        await waitUntil(() => closed.length === 4, "every connection closed");
        const [a, b] = await Promise.all([node.report(), c.report()]);
        for (const k of COUNTERS) expect(b[k], k).toEqual(a[k]);
        expect(b.latencyUs.count).toBe(a.latencyUs.count);
        expect(b.latencyUs.count).toBe(10);
        // Per connection: 9 frames, 5 of them Events with ring seqnos 1..2051 less 4, 3 Warnings.
        const perConnection = { frames: 9, eventsFrames: 5, events: 4 + 2000 + 40 + 2 + 1, warnings: 3, droppedFrames: 17, otherWarnings: 2, missedEvents: 4, negativeLatencies: 1 };
        expect(b).toMatchObject({ ...Object.fromEntries(Object.entries(perConnection).map(([k, v]) => [k, 2 * v])), closes: { 4321: 2 } });
        expect(pongs).toEqual(["abc", "abc", "abc", "abc"]);
      } finally {
        await Promise.all([node.stop(), c.stop()]);
      }
    } finally {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
});

describe("native load generator protocol errors", () => {
  it("a server breaking the protocol or dropping the socket ends the connection with 1006, as for client.mjs", async () => {
    // A hand-written WebSocket server: the handshake, then per connection (in accept order, mod 3)
    // a frame with RSV1 set (no extension agreed), a masked frame (servers must not mask), or a
    // plain TCP reset.
    const sockets: net.Socket[] = [];
    const server = net.createServer((sock) => {
      sock.once("data", (req) => {
        const key = /Sec-WebSocket-Key: (\S+)/i.exec(req.toString())![1];
        const accept = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
        sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        sockets.push(sock);
      });
      sock.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    try {
      const spec = { url, protocol: "ws", channel: "all", connections: 3, processes: 1, deadlineS: 60 };
      const node = await startFleet({ ...spec, client: "node" });
      const c = await startFleet({ ...spec, client: "c" });
      try {
        sockets.forEach((sock, i) => {
          if (i % 3 === 0) sock.write(Buffer.from([0xc1, 0x02, 0x7b, 0x7d])); // FIN+RSV1, text "{}"
          else if (i % 3 === 1) sock.write(Buffer.from([0x81, 0x82, 1, 2, 3, 4, 0x7a, 0x7f])); // masked
          else sock.resetAndDestroy();
        });
        let a: any, b: any;
        await waitUntil(async () => {
          [a, b] = await Promise.all([node.report(), c.report()]);
          return a.disconnects === 3 && b.disconnects === 3;
        }, "every connection ended");
        // (ws sends 1002 but discards the rest of the stream, the answering close too: it reports 1006)
        expect(b.closes).toEqual({ 1006: 3 });
        expect(b.closes).toEqual(a.closes);
        expect(b.frames).toBe(0);
      } finally {
        await Promise.all([node.stop(), c.stop()]);
      }
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

/** The same frames to one connection, then a ping, then close 4321 (after the pong). */
async function script(ws: WebSocket): Promise<void> {
  const ns = (offsetMs = 0) => (BigInt(Date.now() + offsetMs) * 1_000_000n).toString();
  const events = (seq: number, from: number, to: number, tsOffsetMs = 0): string =>
    `{"server_seqno":${seq},"Events":[` +
    Array.from({ length: to - from + 1 }, (_, i) => `{"seqno":${from + i},"event_name":"TxnLog","payload":"${"ab".repeat(600)}","timestamp_ns":${ns(tsOffsetMs)}}`).join(",") + "]}";
  const send = (data: string | Buffer, opts: { binary?: boolean; fin?: boolean } = {}) =>
    new Promise<void>((resolve, reject) => ws.send(data, opts, (err) => (err ? reject(err) : resolve())));
  await send('{"server_seqno":1,"Hello":{"wire_version":1}}');
  await send(events(2, 1, 4)); // 16-bit length
  const big = events(3, 5, 2004); // ~2.5 MB: 64-bit length
  await send(big.slice(0, 1000), { fin: false }); // fragmented, as text…
  await send(big.slice(1000, 2_000_000), { fin: false });
  await send(big.slice(2_000_000), { fin: true });
  await send(Buffer.from(events(4, 2005, 2044)), { binary: true }); // …and binary
  await send('{"server_seqno":4,"Warning":{"type":"backpressure","dropped":17}}');
  await send('{"server_seqno":4,"Warning":{"type":"ring_gap","missed":3}}');
  await send('{"server_seqno":4,"Warning":'); // not JSON: another warning, as JSON.parse fails
  await send(events(5, 2049, 2050)); // ring seqnos 2045..2048 never came: 4 missed
  await send(events(6, 2051, 2051, 60_000)); // stamped in the future: a negative latency
  ws.ping("abc");
  await sleep(300); // time for the pong
  ws.close(4321, "scripted");
}

async function waitUntil(pred: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** wsload run directly: its stdout lines by type, stdin commands, exit code. */
function runWsload(args: string[]) {
  const proc = spawn(nativeClientPath(), args, { stdio: ["pipe", "pipe", "pipe"] });
  const lines: any[] = [];
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  createInterface({ input: proc.stdout }).on("line", (l) => lines.push(JSON.parse(l)));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return {
    exited,
    command: (c: string) => proc.stdin.write(c + "\n"),
    async next(type: string) {
      await waitUntil(() => lines.some((l) => l.type === type) || proc.exitCode !== null, `"${type}" from wsload`, 40_000);
      const i = lines.findIndex((l) => l.type === type);
      if (i < 0) throw new Error(`wsload exited (${proc.exitCode}) without "${type}": ${stderr}`);
      return lines.splice(i, 1)[0];
    },
  };
}
