// How bursty the 30-block capture is: the most events recorded within windows of 1 ms to 250 ms, as a
// multiple of its average rate. The fan-out and latency scenarios replay it at a scaled pace, so a
// burst keeps its shape: at an average of R events/s, the densest 10 ms of the capture arrives at
// about 9x R, and N firehose clients must each get all of it. That, not the average rate, sets how
// far a server falls behind at the peak (bench/README.md, round 8).
//   node bench/capture-bursts.mjs [--fixture PATH]
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({ options: { fixture: { type: "string" } } });
const fixture = values.fixture ?? `${root}../shared/fixtures/emn-30b-15m.snapshot.zst`;
if (!existsSync(fixture)) {
  console.error(`capture-bursts: skipped, fixture not found at ${fixture} (../shared/fixtures)`);
  process.exit(0);
}
const { RingReader, PollStatus } = await import(`${root}gateway/dist/ring/ring-reader.js`);
const { REC_EPOCH_NANOS, REC_PAYLOAD_SIZE, recordSize } = await import(`${root}gateway/dist/ring/event-record.js`);

const reader = RingReader.open(fixture, { bufferBytes: 8 << 20 });
reader.seek({ seqno: 1 });
const ms = [];
for (;;) {
  const b = reader.poll(4096);
  let off = 0;
  for (let i = 0; i < b.count; i++) {
    ms.push(Number(b.buffer.readBigUInt64LE(off + REC_EPOCH_NANOS)) / 1e6);
    off += recordSize(b.buffer.readUInt32LE(off + REC_PAYLOAD_SIZE));
  }
  if (b.status !== PollStatus.Ok) break;
}
reader.close();

const spanMs = ms[ms.length - 1] - ms[0];
const avgPerMs = ms.length / spanMs;
console.log(`${ms.length} events over ${spanMs.toFixed(1)} ms: ${Math.round(avgPerMs * 1000).toLocaleString("en-US")} events/s on average`);
console.log("| window | most events in it | times the average rate |\n|---|---:|---:|");
for (const w of [1, 10, 50, 100, 250]) {
  let first = 0;
  let most = 0;
  for (let i = 0; i < ms.length; i++) {
    while (ms[i] - ms[first] > w) first++;
    most = Math.max(most, i - first + 1);
  }
  console.log(`| ${w} ms | ${most.toLocaleString("en-US")} | ${(most / w / avgPerMs).toFixed(1)} |`);
}
let pauses = 0;
for (let i = 1; i < ms.length; i++) if (ms[i] - ms[i - 1] > 5) pauses++;
console.log(`pauses over 5 ms between consecutive events: ${pauses}`);
