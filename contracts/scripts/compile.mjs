// Compiles the contracts with solc-js (never a downloaded compiler) and caches the output by a hash
// of everything that determines it, so a test run compiles at most once per change of the sources.
//
//   compileAll()            src + mocks, cached under node_modules/.cache/monad-contracts/
//   productionSourceHash()  the hash recorded in contracts/artifacts/manifest.json
//   writeArtifacts(out)     the committed artifacts the CLI deploys (see build.mjs)
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
export const CONTRACTS_DIR = fileURLToPath(new URL("..", import.meta.url));
export const ROOT = join(CONTRACTS_DIR, "..");
export const ARTIFACTS_DIR = join(CONTRACTS_DIR, "artifacts");
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "monad-contracts");

/** The contracts the CLI deploys; their ABI and bytecode are committed under contracts/artifacts. */
export const PRODUCTION = ["SLAStreamFactory", "AgentOracle", "RefundManager", "ParallelPay", "X402Payment"];

export const SETTINGS = {
  evmVersion: "prague",
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
};

const OZ_PREFIX = "@openzeppelin/contracts/";
const OZ_DIR = dirname(require.resolve("@openzeppelin/contracts/package.json"));

/** Every .sol file under contracts/<dir> for each dir, keyed by its path relative to contracts/. */
export function sourceFiles(dirs) {
  const out = {};
  const walk = (abs) => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".sol")) out[relative(CONTRACTS_DIR, path).split(sep).join("/")] = readFileSync(path, "utf8");
    }
  };
  for (const d of dirs) walk(join(CONTRACTS_DIR, d));
  return out;
}

function solcVersion() {
  return require("solc/package.json").version;
}

function hashOf(sources) {
  const h = createHash("sha256");
  h.update(JSON.stringify({ solc: solcVersion(), oz: require("@openzeppelin/contracts/package.json").version, settings: SETTINGS }));
  for (const [name, content] of Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))) h.update(`\0${name}\0${content}`);
  return h.digest("hex");
}

/** The hash of the production sources, compiler and settings: what the committed artifacts were built from. */
export function productionSourceHash() {
  return hashOf(sourceFiles(["src"]));
}

function findImport(path) {
  if (!path.startsWith(OZ_PREFIX)) return { error: `not found: ${path}` };
  try {
    return { contents: readFileSync(join(OZ_DIR, path.slice(OZ_PREFIX.length)), "utf8") };
  } catch {
    return { error: `not found: ${path}` };
  }
}

/** Compiles `sources` (no cache). Throws with solc's messages on any error. */
export function compileSources(sources) {
  const solc = require("solc");
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([k, content]) => [k, { content }])),
    settings: SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const warnings = (output.errors ?? []).filter((e) => e.severity !== "error" && !e.sourceLocation?.file?.startsWith(OZ_PREFIX));
  const contracts = {};
  for (const [file, byName] of Object.entries(output.contracts ?? {})) {
    if (file.startsWith(OZ_PREFIX)) continue;
    for (const [name, c] of Object.entries(byName)) {
      if (contracts[name]) throw new Error(`two contracts named ${name}`);
      contracts[name] = {
        contractName: name,
        sourceName: file,
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
    }
  }
  return { compiler: solc.version(), contracts, warnings: warnings.map((w) => w.formattedMessage) };
}

/** src + mocks, from the cache when the sources have not changed. Safe to call from parallel workers. */
export function compileAll() {
  const sources = sourceFiles(["src", "mocks"]);
  const key = hashOf(sources);
  const file = join(CACHE_DIR, `${key}.json`);
  const cached = readJson(file);
  if (cached) return cached;
  mkdirSync(CACHE_DIR, { recursive: true });
  const lock = `${file}.lock`;
  if (!tryLock(lock)) {
    // Another worker is compiling the same sources: wait for its result rather than compile twice.
    const until = Date.now() + 180_000;
    while (Date.now() < until && existsSync(lock)) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
      const done = readJson(file);
      if (done) return done;
    }
    rmSync(lock, { force: true });
  }
  try {
    const result = { key, ...compileSources(sources) };
    writeFileSync(`${file}.tmp${process.pid}`, JSON.stringify(result));
    renameSync(`${file}.tmp${process.pid}`, file);
    return result;
  } finally {
    rmSync(lock, { force: true });
  }
}

function tryLock(path) {
  try {
    // A lock older than 3 minutes belongs to a compile that died.
    if (existsSync(path) && Date.now() - statSync(path).mtimeMs > 180_000) rmSync(path, { force: true });
    closeSync(openSync(path, "wx"));
    return true;
  } catch {
    return false;
  }
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** The committed artifacts: the manifest and each production contract's ABI and bytecode. */
export function readArtifacts(dir = ARTIFACTS_DIR) {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const contracts = Object.fromEntries(PRODUCTION.map((n) => [n, JSON.parse(readFileSync(join(dir, `${n}.json`), "utf8"))]));
  return { manifest, contracts };
}

/** Writes the production contracts of a compile as the committed artifacts. */
export function writeArtifacts(out, dir = ARTIFACTS_DIR) {
  mkdirSync(dir, { recursive: true });
  for (const name of PRODUCTION) {
    const c = out.contracts[name];
    if (!c) throw new Error(`compile output has no ${name}`);
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(c, null, 2)}\n`);
  }
  const manifest = {
    note: "Generated by `node contracts/scripts/build.mjs`; contracts/test/artifacts.test.ts fails when these are stale.",
    compiler: out.compiler,
    settings: { evmVersion: SETTINGS.evmVersion, optimizer: SETTINGS.optimizer, viaIR: SETTINGS.viaIR },
    sourceHash: productionSourceHash(),
    contracts: PRODUCTION,
  };
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}
