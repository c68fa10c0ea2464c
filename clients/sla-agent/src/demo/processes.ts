// Real processes for the demo (and its tests): anvil, `monad-gateway bridge`, `monad-gateway serve`,
// `monad-gateway agent`, each on a free port, with the lines they print watched for readiness.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../../../../gateway/bin/monad-gateway.js", import.meta.url));

export interface Proc {
  proc: ChildProcessWithoutNullStreams;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const proc = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    out += d.toString();
    if (out.length > 4_000_000) out = out.slice(-2_000_000);
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout.on("data", onData);
  proc.stderr.on("data", onData);
  const onExit = () => proc.kill("SIGKILL");
  process.once("exit", onExit);
  proc.once("exit", () => process.off("exit", onExit));
  return {
    proc,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern} from ${args.slice(0, 2).join(" ")}; output: ${out.slice(-2000)}`)), timeoutMs);
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            clearTimeout(timer);
            return resolve(m);
          }
          if (proc.exitCode !== null || proc.signalCode !== null) {
            clearTimeout(timer);
            return reject(new Error(`${args.slice(0, 2).join(" ")} exited (${proc.exitCode ?? proc.signalCode}); output: ${out.slice(-2000)}`));
          }
          waiters.push(check);
        };
        proc.once("exit", () => {
          for (const w of waiters.splice(0)) w();
        });
        check();
      });
    },
    stop(signal = "SIGTERM") {
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        proc.once("exit", () => resolve());
        proc.kill(signal);
      });
    },
  };
}

/** Runs a command to its end without blocking this process (its children's pipes keep draining). */
export function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${args.slice(0, 3).join(" ")} failed: ${stderr || err.message}`)) : resolve(stdout)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const a = server.address();
      server.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`));
    const bin = join(dir, "bin", "anvil");
    if (existsSync(bin)) return bin;
  } catch {
    // the wrapper below
  }
  return fileURLToPath(new URL("../../../../node_modules/.bin/anvil", import.meta.url));
}

export async function startAnvil(args: string[] = []): Promise<{ url: string; proc: Proc }> {
  const port = await freePort();
  // --silent: a log line per request would fill the pipe whenever this process is busy.
  const proc = start(anvilBinary(), ["--port", String(port), "--host", "127.0.0.1", "--hardfork", "prague", "--silent", ...args]);
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    if (proc.proc.exitCode !== null) throw new Error(`anvil exited: ${proc.output()}`);
    const ok = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > until) throw new Error(`anvil did not start: ${proc.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, proc };
}

export async function startBridge(rpc: string, ring: string): Promise<Proc> {
  const proc = start(process.execPath, [CLI, "bridge", "--rpc", rpc, "--ring", ring, "--from", "earliest", "--log-level", "info"]);
  await proc.waitFor(/"msg":"block recorded"/, 30_000);
  return proc;
}

export async function startGateway(ring: string): Promise<{ url: string; proc: Proc }> {
  const proc = start(process.execPath, [CLI, "serve", "--ring", ring, "--port", "0", "--host", "127.0.0.1", "--log-level", "warn"]);
  const m = await proc.waitFor(/listening on port (\d+)/, 30_000);
  return { url: `ws://127.0.0.1:${m[1]}`, proc };
}

export async function startAgent(configFile: string): Promise<{ statusUrl: string; proc: Proc }> {
  const proc = start(process.execPath, [CLI, "agent", "--config", configFile]);
  const m = await proc.waitFor(/status API on (http:\/\/\S+)/, 30_000);
  return { statusUrl: m[1], proc };
}
