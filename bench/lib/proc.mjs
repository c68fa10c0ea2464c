// Child processes for benchmarks: spawn, wait for a line, always clean up (also on errors).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const CLI = `${ROOT}gateway/bin/monad-gateway.js`;
const live = new Set();
process.on("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

export function run(args, { env = {} } = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  child.on("exit", () => live.delete(child));
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
  return {
    child,
    /** Resolves with the first match of `re` in stdout+stderr. */
    waitFor(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => {
          const m = re.exec(out + err);
          if (m) return resolve(m);
          if (child.exitCode !== null) return reject(new Error(`${args.join(" ")} exited (${child.exitCode}): ${err.slice(-2000)}`));
          if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out waiting for ${re} from ${args.join(" ")}`));
          setTimeout(tick, 20);
        };
        tick();
      });
    },
    output: () => out,
    stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill(signal);
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      });
    },
  };
}

/** `monad-gateway serve` on a free port; resolves with its base URLs. */
export async function startGateway(args) {
  const p = run([CLI, "serve", "--port", "0", "--host", "127.0.0.1", "--log-level", "warn", ...args]);
  const m = await p.waitFor(/listening on port (\d+)/);
  return { ...p, port: Number(m[1]), http: `http://127.0.0.1:${m[1]}`, ws: `ws://127.0.0.1:${m[1]}` };
}

export async function metric(http, name) {
  const text = await (await fetch(`${http}/metrics`)).text();
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const uniqueRing = (tag) => `/dev/shm/mgw-bench-${tag}-${process.pid}-${Date.now()}`;
