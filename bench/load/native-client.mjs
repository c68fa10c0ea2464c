// The native load generator (the C sources in bench/load/wsload/), compiled on demand into
// bench/load/build/wsload: when the binary is missing or older than any of its sources (.c or .h).
// Built into a temporary name and renamed, so two benchmarks (or test workers) building at once
// never run a half-written binary.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const WSLOAD_SOURCE_DIR = fileURLToPath(new URL("wsload/", import.meta.url));
export const WSLOAD_BINARY = fileURLToPath(new URL("build/wsload", import.meta.url));
const FLAGS = ["-O2", "-Wall", "-Wextra"];

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** $CC if set, else the first of cc, gcc, clang that runs; null if none does. */
export function findCompiler() {
  for (const cc of process.env.CC ? [process.env.CC] : ["cc", "gcc", "clang"]) {
    const r = spawnSync(cc, ["--version"], { stdio: "ignore" });
    if (!r.error && r.status === 0) return cc;
  }
  return null;
}

/** The sources of wsload: every .c and .h in WSLOAD_SOURCE_DIR, sorted (a stable compile order). */
function wsloadSources() {
  return readdirSync(WSLOAD_SOURCE_DIR).filter((f) => f.endsWith(".c") || f.endsWith(".h")).sort().map((f) => join(WSLOAD_SOURCE_DIR, f));
}

/** The path of an up-to-date wsload binary, compiling it first if needed. Throws if it cannot. */
export function nativeClientPath() {
  const sources = wsloadSources();
  const newest = Math.max(...sources.map(mtimeMs));
  if (mtimeMs(WSLOAD_BINARY) >= newest) return WSLOAD_BINARY;
  const cc = findCompiler();
  if (!cc) {
    throw new Error(`the C load generator needs a C compiler to build ${WSLOAD_BINARY}: none found ` +
      `(tried ${process.env.CC ? `CC=${process.env.CC}` : "cc, gcc, clang"}); install one (apt-get install gcc) or use the Node client (--client node)`);
  }
  mkdirSync(fileURLToPath(new URL("build/", import.meta.url)), { recursive: true });
  const tmp = `${WSLOAD_BINARY}.${process.pid}.tmp`;
  const units = sources.filter((f) => f.endsWith(".c"));
  const r = spawnSync(cc, [...FLAGS, "-o", tmp, ...units], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`building ${WSLOAD_BINARY} with ${cc} failed: ${r.error?.message ?? r.stderr.slice(-2000)}`);
  }
  renameSync(tmp, WSLOAD_BINARY);
  return WSLOAD_BINARY;
}
