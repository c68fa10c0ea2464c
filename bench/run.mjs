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
script("ring-decode.mjs", ["--rounds", quick ? "3" : "7"], 5 * min);
script("ingest.mjs", ["--rounds", quick ? "3" : "7"], 5 * min);
scenario("capacity/resume.mjs", "runResume", (quick ? 3 : 10) * min);
scenario("capacity/memory.mjs", "runMemory", (quick ? 3 : 10) * min);
if (existsSync(`${here}scenarios/index.mjs`)) {
  scenario("scenarios/index.mjs", "runLatency", (quick ? 3 : 15) * min);
  scenario("scenarios/index.mjs", "runFanout", (quick ? 3 : 35) * min);
  scenario("scenarios/index.mjs", "runIsolation", (quick ? 3 : 10) * min);
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "cpu"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}${quick ? ", quick mode" : ""}`;
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
