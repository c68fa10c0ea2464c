// Ring read + decode throughput on the real 30-block capture (136,891 events), one core.
//   node bench/ring-decode.mjs [--rounds N] [--json results.json]
// Measures: the native batch copy alone; decode to NDJSON bytes (what the gateway sends); decode to
// one string per event; and, as the peer, decode to objects + JSON.stringify (the usual Node way).
import { existsSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { RingReader, PollStatus } = await import(`${root}gateway/dist/ring/ring-reader.js`);
const dec = await import(`${root}gateway/dist/decode/index.js`);

const { values } = parseArgs({ options: { rounds: { type: "string" }, json: { type: "string" }, fixture: { type: "string" }, only: { type: "string" } } });
const fixture = values.fixture ?? `${root}../shared/fixtures/emn-30b-15m.snapshot.zst`;
if (!existsSync(fixture)) {
  console.error(`ring-decode: skipped, fixture not found at ${fixture} (../shared/fixtures)`);
  process.exit(0);
}
const rounds = Number(values.rounds ?? 7);
const reader = RingReader.open(fixture, { bufferBytes: 8 << 20 });

/** Runs `consume(batch)` over the whole capture, polling `batchSize` events at a time; returns events/s. */
function pass(batchSize, consume) {
  reader.seek({ seqno: 1 });
  let events = 0;
  const t0 = process.hrtime.bigint();
  for (;;) {
    const b = reader.poll(batchSize);
    if (b.count) consume(b);
    events += b.count;
    if (b.status !== PollStatus.Ok) break;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  return events / secs;
}

const writer = new dec.JsonWriter(16 << 20);
let sink = 0;
const cases = {
  "native copy (poll only)": (b) => (sink += b.bytes),
  "decode to NDJSON bytes": (b) => {
    writer.reset();
    sink += dec.batchToNdjson(b.buffer, tracker, { end: b.bytes, writer }).data.length;
  },
  "decode to a string per event": (b) => (sink += dec.batchToJson(b.buffer, tracker, { end: b.bytes }).items.length),
  "peer: decode to objects + JSON.stringify": (b) => {
    const objs = dec.decodeBatch(b.buffer, tracker, { end: b.bytes }).items;
    for (const o of objs) sink += JSON.stringify(o, (_k, v) => (typeof v === "bigint" ? v.toString() : v)).length;
  },
};
let tracker = new dec.FlowTracker();
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const results = {};
for (const [name, fn] of Object.entries(cases)) {
  if (values.only && !name.includes(values.only)) continue;
  pass(1024, fn); // warm up: JIT and page faults
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    tracker = new dec.FlowTracker();
    runs.push(pass(1024, fn));
  }
  results[name] = median(runs);
}
const peer = results["peer: decode to objects + JSON.stringify"] ?? NaN;
const rows = Object.entries(results).map(([name, v]) => ({
  name: `ring ${name}`,
  value: Math.round(v),
  unit: "events/s",
  peer: name.startsWith("peer") || name.startsWith("native") ? null : "decode to objects + JSON.stringify",
  ratio: name.startsWith("peer") || name.startsWith("native") ? null : Number((v / peer).toFixed(2)),
  conditions: `30-block capture (136,891 events), batches of 1024, one core, median of ${rounds}, Node ${process.version}`,
}));
console.log("| measure | events/s | vs peer |\n|---|---:|---:|");
for (const r of rows) console.log(`| ${r.name} | ${r.value.toLocaleString("en-US")} | ${r.ratio ? `${r.ratio}x` : ""} |`);
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2) + "\n");
reader.close();
if (sink < 0) console.log(sink);
