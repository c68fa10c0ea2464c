// How bursty the 30-block capture is: the most events recorded within windows of 1 ms to 250 ms, as a
// multiple of its average rate. The fan-out and latency scenarios replay it at a scaled pace, so a
// burst keeps its shape: at an average of R events/s, the densest 10 ms of the capture arrives at
// about 9x R, and N firehose clients must each get all of it. That, not the average rate, sets how
// far a server falls behind at the peak (bench/README.md, round 8).
//
// It then models the best any server could do: one that sends every event to each of --clients in
// turn at a fixed --capacity (deliveries/s) and never stalls, fed the replay at each of --rates
// (average events/s, as the fan-out steps). Its p50 / p99 latency is what the bursts alone cost.
//   node bench/capture-bursts.mjs [--fixture PATH] [--clients 100] [--capacity 6500000] [--rates 10000,20000,40000,60000]
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CAPTURE, replaySpeedFor } from "./scenarios/ring-source.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const { values } = parseArgs({
  options: { fixture: { type: "string" }, clients: { type: "string", default: "100" }, capacity: { type: "string", default: "6500000" }, rates: { type: "string", default: "10000,20000,40000,60000" } },
});
const clients = Number(values.clients);
const capacity = Number(values.capacity);
const rates = values.rates.split(",").map(Number);
if (!(Number.isInteger(clients) && clients > 0 && capacity > 0 && rates.every((r) => r > 0))) {
  console.error(`capture-bursts: --clients takes a positive integer, --capacity a positive number of deliveries/s, --rates positive events/s; got ${values.clients}, ${values.capacity}, ${values.rates}`);
  process.exit(2);
}
const fixture = values.fixture ?? CAPTURE;
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

// The model: deliveries in ring order, event by event, each to every client in turn, with no other
// work and no stall. Three passes, so the queue a pass leaves carries into the next, as in a trial.
console.log(`\nA server sending ${clients} clients ${capacity.toLocaleString("en-US")} deliveries/s, never stalling:`);
console.log("| average ring rate | p50 | p99 |\n|---|---:|---:|");
const msPerDelivery = 1000 / capacity;
const sampled = Math.min(clients, 10); // latencies of 10 clients spread over the turn (all would be slow)
for (const rate of rates) {
  const stretch = 1 / replaySpeedFor(rate); // wall ms per capture ms: the fan-out step's own replay speed
  const latencies = new Float64Array(ms.length * 3 * sampled);
  let n = 0;
  let free = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const t of ms) {
      const arrival = (t - ms[0] + pass * spanMs) * stretch;
      const start = Math.max(free, arrival);
      for (let j = 1; j <= sampled; j++) latencies[n++] = start + msPerDelivery * Math.round((j * clients) / sampled) - arrival;
      free = start + msPerDelivery * clients;
    }
  }
  latencies.sort();
  const at = (q) => latencies[Math.min(n - 1, Math.floor(n * q))].toFixed(1);
  console.log(`| ${rate.toLocaleString("en-US")} events/s | ${at(0.5)} ms | ${at(0.99)} ms |`);
}
