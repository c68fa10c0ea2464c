#!/usr/bin/env node
// Speed of the SDK's exact-integer JSON parser (and serializer) against JSON.parse (and
// JSON.stringify), on real frames captured from a running gateway.
//
//   node sdk-ts/scripts/bench-json.mjs [ws://localhost:8443] [seconds=5]
//
// Captures the "all" and "blocks" channels for the given time, then times each function over the
// captured frames (after a warm-up). Uses the built package (sdk-ts/dist).
import WebSocket from "ws";
import { parseJson, stringifyJson } from "../dist/index.js";

const url = (process.argv[2] ?? "ws://localhost:8443").replace(/\/+$/, "");
const seconds = Number(process.argv[3] ?? 5);

function capture(path) {
  return new Promise((resolve, reject) => {
    const texts = [];
    const ws = new WebSocket(`${url}${path}`);
    ws.on("message", (d) => texts.push(d.toString()));
    ws.on("error", reject);
    setTimeout(() => {
      ws.close();
      resolve(texts);
    }, seconds * 1000);
  });
}

function time(texts, fn, rounds) {
  for (const t of texts) fn(t); // warm-up
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const t of texts) fn(t);
  return Number(process.hrtime.bigint() - t0) / 1e6 / rounds; // ms per pass
}

const rows = [];
for (const path of ["/v1/ws", "/v1/ws/blocks"]) {
  const texts = await capture(path);
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const rounds = Math.max(3, Math.ceil(2e8 / Math.max(bytes, 1)));
  for (const t of texts) if (stringifyJson(parseJson(t)) !== t) throw new Error(`round trip changed a frame: ${t.slice(0, 120)}`);
  const mbps = (ms) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
  // Parse first, with nothing parsed kept alive (a big live heap slows the collector for both).
  const jp = time(texts, (t) => JSON.parse(t), rounds);
  const pj = time(texts, (t) => parseJson(t), rounds);
  const objects = texts.map(parseJson);
  const plain = texts.map((t) => JSON.parse(t));
  let i = 0;
  const js = time(plain, () => JSON.stringify(plain[i++ % plain.length]), rounds);
  i = 0;
  const sj = time(objects, () => stringifyJson(objects[i++ % objects.length]), rounds);
  rows.push({
    channel: path,
    frames: texts.length,
    MB: (bytes / 1e6).toFixed(1),
    "JSON.parse MB/s": mbps(jp),
    "parseJson MB/s": mbps(pj),
    "parse ratio": (pj / jp).toFixed(2),
    "JSON.stringify MB/s": mbps(js),
    "stringifyJson MB/s": mbps(sj),
    "stringify ratio": (sj / js).toFixed(2),
  });
}
console.table(rows);
