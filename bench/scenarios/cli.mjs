// Runs one scenario (or all) by hand and prints a markdown table; --json writes the rows too.
//   node bench/scenarios/cli.mjs latency|fanout|isolation|all [--quick] [--source replay|sim]
//        [--servers ours,ws,socketio,uws] [--json out.json] [--cpu-prof DIR] [--rounds N]
// --fanout-clients N --fanout-steps 40000,60000: the fan-out ramp with N clients over just these ring
// rates (events/s), instead of the default plans; to re-check a step.
// --no-probe: latency trials without bench/load/ring-probe.mjs (by default a process that only reads the
// ring runs in every trial, and its p50 / p99 are reported as the latency floor of each server's trial).
// --rounds N: latency and isolation run every server N times (rotating the order) and report medians.
// --client c|node: the load generator for WebSocket servers: the native one (bench/load/wsload/, built
// on demand; the default) or client.mjs (Node `ws`), to repeat a run with it for comparison. The
// Socket.IO peer is always measured with client.mjs (the C client does not speak socket.io).
// --ours-args="...": extra `serve` flags for our gateway, e.g. --ours-args="--resume-buffer-mib 64" to measure it
// with a full resume buffer (steady state) rather than while its 1 GiB window fills.
// --cpu-prof DIR: every server process writes a V8 CPU profile into DIR (summarize one with
// `node bench/profile-summary.mjs <file>`); profiling slows servers, so do not mix with real numbers.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runFanout, runIsolation, runLatency } from "./index.mjs";
import { markdownTable } from "./rows.mjs";

const SCENARIOS = { latency: runLatency, fanout: runFanout, isolation: runIsolation };
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: "boolean", default: false }, source: { type: "string", default: "replay" }, servers: { type: "string" }, json: { type: "string" }, "cpu-prof": { type: "string" }, "ours-args": { type: "string" }, rounds: { type: "string", default: "1" }, "no-probe": { type: "boolean", default: false }, "fanout-clients": { type: "string" }, "fanout-steps": { type: "string" }, client: { type: "string", default: "c" } },
});
const which = positionals[0] ?? "";
const names = which === "all" ? Object.keys(SCENARIOS) : [which];
if (!names.every((n) => SCENARIOS[n]) || !["replay", "sim"].includes(values.source) || !["c", "node"].includes(values.client)) {
  process.stderr.write("usage: node bench/scenarios/cli.mjs latency|fanout|isolation|all [--quick] [--source replay|sim] [--servers ours,ws,...] [--json out.json] [--client c|node]\n");
  process.exit(2);
}
const plan = values["fanout-steps"] ? { clients: Number(values["fanout-clients"] ?? 10), steps: values["fanout-steps"].split(",").map(Number) } : null;
if (plan && !(Number.isInteger(plan.clients) && plan.clients > 0 && plan.steps.every((r) => Number.isInteger(r) && r >= 1000))) {
  process.stderr.write(`--fanout-clients takes a positive integer and --fanout-steps comma-separated ring rates (integers >= 1000 events/s); got ${values["fanout-clients"] ?? 10} and ${values["fanout-steps"]}\n`);
  process.exit(2);
}
const opts = {
  quick: values.quick,
  source: values.source,
  rounds: Number(values.rounds),
  client: values.client,
  probe: !values["no-probe"],
  ...(plan ? { plan } : {}),
  ...(values.servers ? { servers: values.servers.split(",") } : {}),
  ...(values["cpu-prof"] ? { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", values["cpu-prof"]] } : {}),
  ...(values["ours-args"] ? { serverArgs: { ours: values["ours-args"].split(/\s+/).filter(Boolean) } } : {}),
};
const rows = [];
const t0 = Date.now();
for (const n of names) {
  const r = await SCENARIOS[n](opts);
  rows.push(...r);
  console.log(`\n### ${n}${values.quick ? " (quick)" : ""}\n\n${markdownTable(r)}\n`);
}
process.stderr.write(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2) + "\n");
