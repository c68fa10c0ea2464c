// Where a block event's delivery latency goes, stage by stage, in our gateway:
//   ring → poll     record time (timestamp_ns) → the poll that copied it out of the ring
//   pass            one ingest pass (decode, enrich, frames, publish) + the flush to sockets
//   flush           a hub flush that wrote to sockets: its duration, and client writes per second
//   ring → send     record time → the gateway hands the frame to the socket (per client, per frame),
//                   also split by the frame's newest event (what the client's latency is measured on)
//   ring → client   record time → a client in another process has the frame (load/client.mjs)
//   idle work       one idle() turn that did work (a block's summaries, or deferred event JSON)
//   loop delay, GC  what else keeps the gateway's thread from polling: event-loop delay, GC pauses
// The gateway runs in this process (instrumented); the ring writer (replay of the 30-block capture)
// and the clients are separate processes, as in the scenarios.
//
//   node bench/latency-breakdown.mjs [--rate 20000] [--clients 1] [--processes 1] [--channel blocks] [--seconds 8]
//                                    [--idle timer|wait] [--summaries deferred|inline] [--client c|node]
// --idle timer: poll an idle ring on 1 ms timers, as the gateway did before the native wait (the
// "before" of bench/README.md); default: the gateway's own idle wait (RingReader.waitForEvents).
// --summaries inline: compute a block's contention/top-accesses summaries before its BLOCK_END is
// sent, as the gateway did before deferring them (the "before"); default: the gateway's own order.
// --client: the load generator (c: bench/load/wsload/, the default; node: bench/load/client.mjs).
// --gateway="ARGS": more serve options for the gateway (e.g. --gateway="--resume-buffer-mib 64").
import { existsSync, rmSync, statSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import hdr from "hdr-histogram-js";
import { pino } from "pino";
import { startFleet } from "./load/fleet.mjs";
import { CLI, ROOT, run } from "./lib/proc.mjs";
import { replaySpeedFor } from "./scenarios/ring-source.mjs";

const { parseConfig } = await import(`${ROOT}gateway/dist/server/config.js`);
const { Gateway } = await import(`${ROOT}gateway/dist/server/gateway.js`);
const { recordSize, REC_EVENT_TYPE, REC_PAYLOAD_SIZE, REC_EPOCH_NANOS } = await import(`${ROOT}gateway/dist/ring/event-record.js`);
const { ExecEventType } = await import(`${ROOT}gateway/dist/decode/event-types.js`);

const { values: o } = parseArgs({
  options: {
    rate: { type: "string", default: "20000" },
    clients: { type: "string", default: "1" },
    processes: { type: "string", default: "1" },
    channel: { type: "string", default: "blocks" },
    seconds: { type: "string", default: "8" },
    idle: { type: "string", default: "wait" },
    summaries: { type: "string", default: "deferred" },
    client: { type: "string", default: "c" },
    gateway: { type: "string", default: "" },
  },
});
if (!["wait", "timer"].includes(o.idle)) throw new Error(`--idle must be wait or timer, got ${o.idle}`);
if (!["deferred", "inline"].includes(o.summaries)) throw new Error(`--summaries must be deferred or inline, got ${o.summaries}`);
if (!["c", "node"].includes(o.client)) throw new Error(`--client must be c or node, got ${o.client}`);
const CAPTURE = `${ROOT}../shared/fixtures/emn-30b-15m.snapshot.zst`;
if (!existsSync(CAPTURE)) {
  console.log(`skipped: the capture ${CAPTURE} is absent`);
  process.exit(0);
}

const ring = `/dev/shm/gw-breakdown-${process.pid}`;
rmSync(ring, { force: true });
const seconds = Number(o.seconds);
const writer = run([CLI, "replay", CAPTURE, "--ring", ring, "--speed", String(replaySpeedFor(Number(o.rate))), "--passes", "1000", "--quiet", "--keep"]);
for (let t0 = Date.now(); !(existsSync(ring) && statSync(ring).size > 0); ) {
  if (Date.now() - t0 > 20_000) throw new Error("replay writer did not create the ring");
  await new Promise((r) => setTimeout(r, 50));
}
await new Promise((r) => setTimeout(r, 300));

const gateway = await Gateway.start(parseConfig(["--ring", ring, "--port", "0", "--host", "127.0.0.1", "--log-level", "warn", "--max-connections-per-ip", "20000", ...o.gateway.split(" ").filter(Boolean)]), pino({ level: "warn" }));
const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
const ringToPoll = histogram();
const passUs = histogram();
let measuring = false;
const wallNs = () => (performance.timeOrigin + performance.now()) * 1e6;

// Instrument the live reader (the gateway opens it at start and keeps it while the writer lives).
const reader = gateway.reader;
const poll = reader.poll.bind(reader);
reader.poll = (max) => {
  const b = poll(max);
  if (measuring && b.count > 0) {
    const now = wallNs();
    for (let r = 0; r < b.bytes; r += recordSize(b.buffer.readUInt32LE(r + REC_PAYLOAD_SIZE))) {
      const type = b.buffer[r + REC_EVENT_TYPE];
      if (type === ExecEventType.BLOCK_START || type === ExecEventType.BLOCK_END) ringToPoll.recordValue(Math.max(1, Math.round((now - Number(b.buffer.readBigUInt64LE(r + REC_EPOCH_NANOS))) / 1000)));
    }
  }
  return b;
};
const ingest = gateway.pipeline.ingest.bind(gateway.pipeline);
gateway.pipeline.ingest = (b) => {
  const t = performance.now();
  ingest(b);
  gateway.hub.flush();
  if (measuring) passUs.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
};
const idleUs = histogram();
const idle = gateway.pipeline.idle.bind(gateway.pipeline);
gateway.pipeline.idle = () => {
  const t = performance.now();
  const worked = idle();
  if (measuring && worked) idleUs.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
  return worked;
};
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
const gcUs = histogram();
const GC_KINDS = { 1: "scavenge", 2: "mark-compact", 4: "incremental", 8: "weak callbacks" };
const gcKinds = new Map();
new PerformanceObserver((list) => {
  if (!measuring) return;
  for (const e of list.getEntries()) {
    const us = Math.max(1, Math.round(e.duration * 1000));
    gcUs.recordValue(us);
    const kind = GC_KINDS[e.detail?.kind] ?? `kind ${e.detail?.kind}`;
    const k = gcKinds.get(kind) ?? { n: 0, maxUs: 0 };
    k.n++;
    k.maxUs = Math.max(k.maxUs, us);
    gcKinds.set(kind, k);
  }
}).observe({ entryTypes: ["gc"] });
// The enricher field is private to TypeScript only; flipping it restores the old order.
if (o.summaries === "inline") gateway.pipeline.enricher.deferBlockSummaries = false;
if (o.idle === "timer") reader.waitForEvents = () => new Promise((r) => setTimeout(() => r(true), 1));

// Every socket send of an Events frame: ring time of its newest event (the key the clients read).
// This hook costs a few µs per send: at hundreds of clients it inflates the flush and send rows.
const ringToSend = histogram();
const sendByEvent = new Map();
const TS_KEY = Buffer.from('"timestamp_ns":');
const NAME_KEY = Buffer.from('"event_name":"');
const addClient = gateway.hub.add.bind(gateway.hub);
gateway.hub.add = (conn, ...rest) => {
  const send = conn.send.bind(conn);
  conn.send = (bytes) => {
    const t = measuring ? bytes.lastIndexOf(TS_KEY) : -1;
    if (t >= 0) {
      const ns = Number(bytes.toString("latin1", t + TS_KEY.length, t + TS_KEY.length + 19));
      const us = Math.max(1, Math.round((wallNs() - ns) / 1000));
      ringToSend.recordValue(us);
      const e = bytes.lastIndexOf(NAME_KEY) + NAME_KEY.length;
      const name = bytes.toString("latin1", e, bytes.indexOf(0x22, e));
      if (!sendByEvent.has(name)) sendByEvent.set(name, histogram());
      sendByEvent.get(name).recordValue(us);
    }
    return send(bytes);
  };
  return addClient(conn, ...rest);
};

// Every flush that wrote to sockets: how long it took and how many clients it wrote to.
const flushUs = histogram();
let clientWrites = 0;
const hubFlush = gateway.hub.flush;
gateway.hub.flush = () => {
  const n = gateway.hub.dirty.length; // private to TypeScript only
  if (!measuring || n === 0) return hubFlush();
  const t = performance.now();
  hubFlush();
  flushUs.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
  clientWrites += n;
};

const fleet = await startFleet({ name: "clients", channel: o.channel, connections: Number(o.clients), processes: Number(o.processes), protocol: "ws", client: o.client, url: `ws://127.0.0.1:${gateway.port}/v1/ws/${o.channel === "all" ? "" : o.channel}`.replace(/\/$/, ""), deadlineS: seconds + 60 });
await new Promise((r) => setTimeout(r, 1500));
fleet.reset();
measuring = true;
loopDelay.enable();
await new Promise((r) => setTimeout(r, seconds * 1000));
loopDelay.disable();
measuring = false;
const client = await fleet.report();
const q = (h) => `p50 ${h.getValueAtPercentile(50)} / p90 ${h.getValueAtPercentile(90)} / p99 ${h.getValueAtPercentile(99)} µs (n ${h.totalCount})`;
console.log(`idle: ${o.idle}; summaries: ${o.summaries}; client: ${o.client}; ring ~${o.rate} events/s; ${o.clients} client(s) on ${o.channel}; ${seconds} s`);
console.log(`  ring → poll (block start/end events)  ${q(ringToPoll)}`);
console.log(`  ingest pass + flush                    ${q(passUs)}`);
console.log(`  flushes that wrote (per flush)          ${q(flushUs)}; ${(clientWrites / seconds).toFixed(0)} client writes/s`);
console.log(`  ring → send (frames, in the gateway)    ${q(ringToSend)}`);
for (const [name, h] of sendByEvent) console.log(`    newest event ${name.padEnd(22)} ${q(h)}`);
console.log(`  idle work per turn that did some       ${q(idleUs)}`);
const ms = (ns) => (ns / 1e6).toFixed(2);
console.log(`  event-loop delay (1 ms resolution)     p50 ${ms(loopDelay.percentile(50))} / p99 ${ms(loopDelay.percentile(99))} / max ${ms(loopDelay.max)} ms`);
console.log(`  GC pauses                              ${q(gcUs)}; ${[...gcKinds].map(([k, v]) => `${k} ${v.n} (max ${v.maxUs} µs)`).join(", ")}`);
console.log(`  ring → client (frames, other process)  p50 ${client.latencyUs.p50} / p99 ${client.latencyUs.p99} / p99.9 ${client.latencyUs.p999} µs (n ${client.latencyUs.count})`);
await fleet.stop();
await gateway.stop();
writer.child.kill("SIGTERM");
rmSync(ring, { force: true });
process.exit(0);
