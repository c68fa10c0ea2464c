// Opens N idle WebSocket connections to a URL, prints "open N", closes them on a stdin line "close".
import { createInterface } from "node:readline";
import WebSocket from "ws";

const [url, nArg] = process.argv.slice(2);
const n = Number(nArg);
const sockets = [];
let open = 0;
let failed = 0;
for (let i = 0; i < n; i++) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on("open", () => {
    open++;
    if (open + failed === n) process.stdout.write(`open ${open} failed ${failed}\n`);
  });
  ws.on("error", () => {
    failed++;
    if (open + failed === n) process.stdout.write(`open ${open} failed ${failed}\n`);
  });
  ws.on("message", () => {});
  sockets.push(ws);
  if (i % 200 === 199) await new Promise((r) => setTimeout(r, 20)); // do not flood the accept queue
}
createInterface({ input: process.stdin }).on("line", () => {
  for (const s of sockets) s.terminate();
  process.exit(0);
});
