// One anvil per test file, on a free port, killed in afterAll.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The anvil binary itself when its platform package is installed (so that a signal reaches anvil,
 * not only the node wrapper in node_modules/.bin), else the wrapper. */
function anvilPath(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  try {
    const dir = dirname(createRequire(import.meta.url).resolve(`@foundry-rs/anvil-${process.platform}-${arch}/package.json`));
    const bin = join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
    if (existsSync(bin)) return bin;
  } catch {
    // fall through to the wrapper
  }
  return fileURLToPath(new URL("../../../node_modules/.bin/anvil", import.meta.url));
}

const ANVIL = anvilPath();

export interface Anvil {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A port nobody listens on right now (anvil has no --port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `options.port` pins the port (e.g. to restart a stopped anvil where its clients expect it). */
export async function startAnvil(extraArgs: string[] = [], options: { port?: number } = {}): Promise<Anvil> {
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const proc = spawn(ANVIL, ["--port", String(port), "--host", "127.0.0.1", "--silent", "--hardfork", "prague", ...extraArgs], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    proc.stderr?.on("data", (d) => (stderr += d));
    const url = `http://127.0.0.1:${port}`;
    // If the test worker dies without its afterAll, do not leave anvil behind.
    const onExit = () => proc.kill("SIGKILL");
    process.once("exit", onExit);
    try {
      await waitReady(url, proc);
      return {
        url,
        port,
        stop: () => {
          process.off("exit", onExit);
          return stopProcess(proc);
        },
      };
    } catch (err) {
      process.off("exit", onExit);
      await stopProcess(proc);
      // Another process may have taken the port between our probe and anvil's bind: try another
      // (or, with a pinned port, the same one again once it is free).
      if (attempt >= 3) throw new Error(`anvil did not start: ${(err as Error).message}; stderr: ${stderr}`);
    }
  }
}

async function waitReady(url: string, proc: ChildProcess): Promise<void> {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error(`exited with ${proc.exitCode}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out");
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}
