// The benchmark suite: `npm run bench` (full, ~25-45 min) or `npm run bench -- --quick` (< 5 min).
// Every benchmark runs in its own process(es), one after another, on loopback only. Writes
// bench/results/latest.json ({name, value, unit, peer, ratio, conditions} rows), latest.md (the
// table) and chart.svg (our figures against the peers'), which the README shows.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { ratioChart } from "./lib/chart.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const quick = process.argv.includes("--quick");
// --only resume,memory: re-run just those parts and replace their rows (matched by name) in the
// existing latest.json, e.g. after fixing one benchmark, without re-running the whole suite.
const onlyArg = process.argv.find((a) => a.startsWith("--only="))?.slice(7) ?? (process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null);
const PARTS = ["decode", "ingest", "resume", "memory", "latency", "fanout", "isolation"];
const only = onlyArg ? onlyArg.split(",") : null;
if (only && !only.every((p) => PARTS.includes(p))) {
  process.stderr.write(`--only takes a comma-separated list of ${PARTS.join(", ")}; got "${onlyArg}"\n`);
  process.exit(2);
}
const wanted = (part) => only === null || only.includes(part);
const out = `${here}results`;
mkdirSync(out, { recursive: true });
const started = Date.now();
const rows = [];
const log = (s) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${s}\n`);

function script(file, args, timeoutMs) {
  const json = `${out}/.part-${file.replace(/\W/g, "_")}.json`;
  log(`${file} ${args.join(" ")}`);
  const r = spawnSync(process.execPath, [`${here}${file}`, ...args, "--json", json], { stdio: ["ignore", "inherit", "inherit"], timeout: timeoutMs });
  if (r.status === 0 && existsSync(json)) rows.push(...JSON.parse(readFileSync(json, "utf8")));
  else log(`${file} failed (status ${r.status}${r.signal ? `, ${r.signal}` : ""})`);
}

/** Runs an exported scenario function in a child process (isolation, bounded time). */
function scenario(file, fn, timeoutMs) {
  const json = `${out}/.part-${fn}.json`;
  log(`${file} ${fn}(${quick ? "quick" : "full"})`);
  const code = `import(${JSON.stringify(`${here}${file}`)}).then(async (m) => { const rows = await m.${fn}({ quick: ${quick} }); require("node:fs").writeFileSync(${JSON.stringify(json)}, JSON.stringify(rows)); process.exit(0); }).catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ["-e", code], { stdio: ["ignore", "inherit", "inherit"], timeout: timeoutMs });
  if (r.status === 0 && existsSync(json)) rows.push(...JSON.parse(readFileSync(json, "utf8")));
  else log(`${fn} failed (status ${r.status}${r.signal ? `, ${r.signal}` : ""})`);
}

const min = 60_000;
if (wanted("decode")) script("ring-decode.mjs", ["--rounds", quick ? "3" : "7"], 5 * min);
if (wanted("ingest")) script("ingest.mjs", ["--rounds", quick ? "3" : "7"], 5 * min);
if (wanted("resume")) scenario("capacity/resume.mjs", "runResume", (quick ? 3 : 10) * min);
if (wanted("memory")) scenario("capacity/memory.mjs", "runMemory", (quick ? 3 : 10) * min);
if (wanted("latency")) scenario("scenarios/index.mjs", "runLatency", (quick ? 3 : 15) * min);
if (wanted("fanout")) scenario("scenarios/index.mjs", "runFanout", (quick ? 3 : 50) * min);
if (wanted("isolation")) scenario("scenarios/index.mjs", "runIsolation", (quick ? 3 : 10) * min);
if (only) {
  // Keep the earlier rows, each replaced in place by the new row of the same name.
  const fresh = new Map(rows.map((r) => [r.name + "\u0000" + r.peer, r]));
  const earlier = existsSync(`${out}/latest.json`) ? JSON.parse(readFileSync(`${out}/latest.json`, "utf8")) : [];
  const merged = earlier.map((r) => fresh.get(r.name + "\u0000" + r.peer) ?? r);
  const seen = new Set(earlier.map((r) => r.name + "\u0000" + r.peer));
  // Rows new to this run go after the last row they replaced, next to their part's other rows.
  const added = [...fresh.entries()].filter(([k]) => !seen.has(k)).map(([, r]) => r);
  const lastReplaced = merged.findLastIndex((r) => fresh.has(r.name + "\u0000" + r.peer));
  merged.splice(lastReplaced < 0 ? merged.length : lastReplaced + 1, 0, ...added);
  rows.splice(0, rows.length, ...merged);
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ", quick mode" : ""}${only ? `; ${only.join(", ")} re-run into the earlier results` : ""}`;
writeFileSync(`${out}/latest.json`, JSON.stringify(rows, null, 2) + "\n");
const fmt = (v) => (typeof v === "number" ? v.toLocaleString("en-US") : String(v));
const md = [
  `# Benchmark results (${machine})`,
  "",
  "| measure | value | unit | peer | ratio | conditions |",
  "|---|---:|---|---|---:|---|",
  ...rows.map((r) => `| ${r.name} | ${fmt(r.value)} | ${r.unit} | ${r.peer ?? ""} | ${r.ratio ?? ""} | ${r.conditions} |`),
  "",
];
writeFileSync(`${out}/latest.md`, md.join("\n"));
writeFileSync(`${out}/chart.svg`, ratioChart(rows, `monad-gateway vs peers, same run (${machine})`));
log(`done: ${rows.length} rows in bench/results/latest.{json,md}, chart in bench/results/chart.svg`);
