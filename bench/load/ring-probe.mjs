// The latency floor of a trial: a process that only reads the ring (our native reader and its idle
// wait, as the gateway does) and records record time → read for every event (`latencyUs`), and for
// BLOCK_START / BLOCK_END alone (`blockLatencyUs`: few per second, a small sample). It decodes
// nothing and sends nothing, so no server can get those events to a client in another process sooner
// on the same machine under the same load: whatever p99 it sees is not any server's doing.
// Same line protocol as a load generator (fleet.mjs):
//   stdout {"type":"ready","open":1}   once the ring is open
//   stdin  "reset"  start the window     "report" → stdout {"type":"report", latencyUs, blockLatencyUs, gaps}
//   stdin  "exit"   exit (so does stdin closing, or --max-seconds passing)
//
//   node bench/load/ring-probe.mjs --ring PATH [--max-seconds 600]
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { ROOT } from "../lib/proc.mjs";
import { newHistogram } from "./frame-meter.mjs";

const { RingReader, PollStatus } = await import(`${ROOT}gateway/dist/ring/ring-reader.js`);
const { recordSize, REC_EVENT_TYPE, REC_PAYLOAD_SIZE, REC_EPOCH_NANOS } = await import(`${ROOT}gateway/dist/ring/event-record.js`);
const { ExecEventType } = await import(`${ROOT}gateway/dist/decode/event-types.js`);

const { values: o } = parseArgs({ options: { ring: { type: "string" }, "max-seconds": { type: "string", default: "600" } } });
if (!o.ring) {
  process.stderr.write("usage: node bench/load/ring-probe.mjs --ring PATH [--max-seconds N]\n");
  process.exit(2);
}
let reader;
try {
  reader = RingReader.open(o.ring, { startAt: "head" });
} catch (err) {
  process.stderr.write(`ring-probe: cannot open the ring ${o.ring}: ${err.message}\n`);
  process.exit(1);
}
let hist = newHistogram();
let blockHist = newHistogram();
let gaps = 0;
let running = true;
setTimeout(() => process.exit(0), Number(o["max-seconds"]) * 1000).unref();

createInterface({ input: process.stdin })
  .on("line", (cmd) => {
    if (cmd === "reset") {
      hist = newHistogram();
      blockHist = newHistogram();
      gaps = 0;
    } else if (cmd === "report") {
      process.stdout.write(JSON.stringify({ type: "report", latencyUs: summary(hist), blockLatencyUs: summary(blockHist), gaps }) + "\n");
    } else if (cmd === "exit") running = false;
  })
  .on("close", () => (running = false));

function summary(h) {
  return { count: h.totalCount, p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), p999: h.getValueAtPercentile(99.9), max: h.maxValue };
}

process.stdout.write(JSON.stringify({ type: "ready", open: 1 }) + "\n");
while (running) {
  if (!(await reader.waitForEvents(100))) continue;
  const b = reader.poll(4096);
  if (b.status === PollStatus.Gap || b.status === PollStatus.Expired) {
    gaps++; // the writer lapped the probe: skip to the present (counted, reported)
    reader.seek("head");
    continue;
  }
  if (b.count === 0) continue;
  const nowNs = (performance.timeOrigin + performance.now()) * 1e6;
  for (let r = 0; r < b.bytes; r += recordSize(b.buffer.readUInt32LE(r + REC_PAYLOAD_SIZE))) {
    const us = Math.max(1, Math.round((nowNs - Number(b.buffer.readBigUInt64LE(r + REC_EPOCH_NANOS))) / 1000));
    hist.recordValue(us);
    const type = b.buffer[r + REC_EVENT_TYPE];
    if (type === ExecEventType.BLOCK_START || type === ExecEventType.BLOCK_END) blockHist.recordValue(us);
  }
}
reader.close();
process.exit(0);
