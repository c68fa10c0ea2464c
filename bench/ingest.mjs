// Ring ingest with 0 clients: read + decode + enrich + serialize into frames + resume buffer, i.e.
// everything the gateway does per event before fan-out, read flat out, one core. Inputs: the real
// 30-block capture, and a ring the simulator wrote beforehand (60 blocks of 100 transactions).
// Reference in the same run: read + decode to NDJSON only (bench/ring-decode).
//   node bench/ingest.mjs [--rounds N] [--json out.json]
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { RingReader, PollStatus } = await import(`${root}gateway/dist/ring/ring-reader.js`);
const { Pipeline } = await import(`${root}gateway/dist/server/pipeline.js`);
const { Hub } = await import(`${root}gateway/dist/broadcast/hub.js`);
const { ResumeBuffer } = await import(`${root}gateway/dist/broadcast/resume-buffer.js`);
const { GatewayMetrics } = await import(`${root}gateway/dist/transport/metrics.js`);
const { RingWriter } = await import(`${root}gateway/dist/ring/ring-writer.js`);
const { Simulator } = await import(`${root}gateway/dist/producers/sim/index.js`);
const dec = await import(`${root}gateway/dist/decode/index.js`);

const { values } = parseArgs({ options: { rounds: { type: "string" }, json: { type: "string" }, fixture: { type: "string" } } });
const fixture = values.fixture ?? `${root}../shared/fixtures/emn-30b-15m.snapshot.zst`;
if (!existsSync(fixture)) {
  console.error(`ingest: skipped, fixture not found at ${fixture} (../shared/fixtures)`);
  process.exit(0);
}
const rounds = Number(values.rounds ?? 7);
const metrics = new GatewayMetrics();
let reader;

/** Events/s of reading the whole input through `consume`; `finish` (timed too) runs at its end. */
function pass(consume, finish = () => {}, batchSize = 4096) {
  reader.seek({ seqno: 1 });
  let events = 0;
  const t0 = process.hrtime.bigint();
  for (;;) {
    const b = reader.poll(batchSize);
    if (b.count) consume(b);
    events += b.count;
    if (b.status !== PollStatus.Ok) break;
  }
  finish();
  return events / (Number(process.hrtime.bigint() - t0) / 1e9);
}

function gatewayPass() {
  const buffer = new ResumeBuffer({ maxFrames: 100_000, maxBytes: 1 << 30 });
  const hub = new Hub(buffer, { maxPendingFrames: 4096, warnEvery: 1000, dropLimit: 10_000 });
  const pipeline = new Pipeline(hub, metrics, { ringLoss() {}, decodeError() {} }, { maxEventsPerFrame: 256, maxEventsPerPoll: 4096 });
  // idle(): as the gateway does when the ring has nothing new; the last block's summaries and the
  // JSON not yet written (deferred when no client wants it at once) are work too, and timed.
  const rate = pass((b) => pipeline.ingest(b), () => {
    while (pipeline.idle());
  });
  return { rate, frames: buffer.newest, bytes: buffer.byteSize };
}

const writer = new dec.JsonWriter(16 << 20);
let tracker;
const decodeOnly = (b) => {
  writer.reset();
  dec.batchToNdjson(b.buffer, tracker, { end: b.bytes, writer });
};
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

/** Rows for one input: our ingest against read + decode alone, alternating, medians. */
function measure(label, conditionsOf) {
  gatewayPass();
  tracker = new dec.FlowTracker();
  pass(decodeOnly);
  const ours = [];
  const ref = [];
  let last;
  for (let i = 0; i < rounds; i++) {
    last = gatewayPass();
    ours.push(last.rate);
    tracker = new dec.FlowTracker();
    ref.push(pass(decodeOnly));
  }
  const o = median(ours);
  const r = median(ref);
  const conditions = conditionsOf(last);
  return [
    { name: `ingest${label}: read + decode + enrich + frames + resume buffer`, value: Math.round(o), unit: "events/s", peer: "read + decode to NDJSON only", ratio: Number((o / r).toFixed(2)), conditions },
    { name: `ingest${label} reference: read + decode to NDJSON only`, value: Math.round(r), unit: "events/s", peer: null, ratio: null, conditions },
    { name: `frames per pass${label}`, value: last.frames, unit: "frames", peer: null, ratio: null, conditions },
    { name: `resume buffer bytes per pass${label}`, value: last.bytes, unit: "bytes", peer: null, ratio: null, conditions },
  ];
}

/** A ring the simulator wrote flat out before the measurement (so only reading is timed). */
async function simulatorRing() {
  const path = `/dev/shm/gw-ingest-sim-${process.pid}`;
  const w = RingWriter.create(path, { descriptorsShift: 20, payloadBufShift: 29 });
  const sim = new Simulator({ record: (b, n) => w.record(b, n) }, { seed: 7, flatOut: true, maxBlocks: 60, txnsPerBlock: 100, startSeqno: 0, startBlockNumber: 1 });
  await sim.start();
  return { path, events: w.info().lastSeqno, close: () => w.close({ unlink: true }) };
}

const rows = [];
reader = RingReader.open(fixture, { bufferBytes: 8 << 20 });
rows.push(...measure(" (30-block capture)", () => `30-block capture (136,891 events) read flat out, 0 clients, one core, median of ${rounds}, Node ${process.version}`));
reader.close();
const simRing = await simulatorRing();
try {
  reader = RingReader.open(simRing.path, { bufferBytes: 8 << 20, startAt: { seqno: 1 } });
  rows.push(...measure(" (simulator)", () => `simulator ring, 60 blocks x 100 transactions (${simRing.events.toLocaleString("en-US")} events) written beforehand, read flat out, 0 clients, one core, median of ${rounds}, Node ${process.version}`));
  reader.close();
} finally {
  simRing.close();
}
console.log("| measure | value | vs peer |\n|---|---:|---:|");
for (const x of rows) console.log(`| ${x.name} | ${x.value.toLocaleString("en-US")} ${x.unit} | ${x.ratio ? `${x.ratio}x` : ""} |`);
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2) + "\n");
