// A local devnet as users run it: a real anvil, `monad-gateway bridge` recording it into a ring,
// and (optionally) `monad-gateway serve` on that ring. Every piece is a real process.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startAnvil, type Anvil } from "../../../contracts/test/helpers/anvil.js";
import { spawnChild, type Child } from "./child.js";
import { CLI } from "./cli.js";
import { startGateway, type GatewayProcess } from "./gateway-process.js";
import { tempRingDir } from "./temp-ring.js";

/** One pino line of the bridge's stdout. */
export interface BridgeLogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface BridgeProcess {
  child: Child;
  ring: string;
  /** Every log line so far. */
  readonly logs: BridgeLogLine[];
  /** Resolves with the first log line (past or future) matching `pred`. */
  waitForLog(pred: (l: BridgeLogLine) => boolean, timeoutMs?: number, what?: string): Promise<BridgeLogLine>;
  /** Resolves once the bridge logged "block recorded" for block `n` (optionally with this hash). */
  waitForBlock(n: number | bigint, hash?: string, timeoutMs?: number): Promise<BridgeLogLine>;
  /** SIGTERM (default) and wait for the exit; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `monad-gateway bridge --rpc <rpc> --ring <ring> ...args` (logs at info as JSON on stdout). */
export function startBridge(rpc: string, ring: string, args: string[] = []): BridgeProcess {
  const child = spawnChild(process.execPath, [CLI, "bridge", "--rpc", rpc, "--ring", ring, "--log-level", "info", ...args]);
  const logs: BridgeLogLine[] = [];
  const waiters: { pred: (l: BridgeLogLine) => boolean; resolve: (l: BridgeLogLine) => void }[] = [];
  let stderr = "";
  child.proc.stderr.on("data", (d) => (stderr += d));
  let buf = "";
  child.proc.stdout.setEncoding("utf8").on("data", (d: string) => {
    buf += d;
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      let parsed: BridgeLogLine;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      logs.push(parsed);
      for (const w of waiters.splice(0)) {
        if (w.pred(parsed)) w.resolve(parsed);
        else waiters.push(w);
      }
    }
  });
  const waitForLog = (pred: (l: BridgeLogLine) => boolean, timeoutMs = 30_000, what = "a log line") => {
    const seen = logs.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise<BridgeLogLine>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bridge: timed out waiting for ${what}; stderr: ${stderr}; last logs: ${JSON.stringify(logs.slice(-5))}`)), timeoutMs);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`bridge exited (${code}) before ${what}; stderr: ${stderr}; last logs: ${JSON.stringify(logs.slice(-5))}`));
      };
      child.proc.once("exit", onExit);
      waiters.push({
        pred,
        resolve: (l) => {
          clearTimeout(timer);
          child.proc.off("exit", onExit);
          resolve(l);
        },
      });
    });
  };
  return {
    child,
    ring,
    logs,
    waitForLog,
    waitForBlock: (n, hash, timeoutMs) =>
      waitForLog(
        (l) => l.msg === "block recorded" && l.number === Number(n) && (hash === undefined || String(l.hash).toLowerCase() === hash.toLowerCase()),
        timeoutMs,
        `block ${n} recorded`,
      ),
    stop: async (signal = "SIGTERM") => {
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) return child.proc.exitCode;
      await child.kill(signal);
      return child.proc.exitCode;
    },
  };
}

export interface Devnet {
  /** Replaceable: stop() stops whatever anvil is here then. */
  anvil: Anvil;
  bridge: BridgeProcess;
  /** Undefined with `gateway: false`. */
  gateway?: GatewayProcess;
  ring: string;
  stop(): Promise<void>;
}

export interface DevnetOptions {
  /** Extra anvil flags, e.g. ["--block-time", "1"] or ["--state", file]. */
  anvilArgs?: string[];
  /** Extra bridge flags (default: --from earliest). */
  bridgeArgs?: string[];
  /** Extra `serve` flags, or false for no gateway. */
  gatewayArgs?: string[] | false;
}

/** anvil + bridge (+ gateway) on a fresh ring under /dev/shm; stop() ends all three. */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const anvil = await startAnvil(options.anvilArgs ?? []);
  const ringDir = tempRingDir();
  const ring = join(ringDir, "bridge-ring");
  const bridge = startBridge(anvil.url, ring, options.bridgeArgs ?? ["--from", "earliest"]);
  let gateway: GatewayProcess | undefined;
  try {
    // The ring exists once the bridge has connected and recorded its first block.
    await bridge.waitForLog((l) => l.msg === "block recorded", 30_000, "the first recorded block");
    if (options.gatewayArgs !== false) gateway = await startGateway(["--ring", ring, ...(options.gatewayArgs ?? [])]);
  } catch (e) {
    await bridge.stop();
    await anvil.stop();
    rmSync(ringDir, { recursive: true, force: true });
    throw e;
  }
  const devnet: Devnet = {
    anvil,
    bridge,
    gateway,
    ring,
    // Through the object, so a test that restarts anvil (devnet.anvil = await startAnvil(...)) stops the new one.
    stop: async () => {
      await devnet.gateway?.stop();
      await devnet.bridge.stop();
      await devnet.anvil.stop();
      // Its own ring directory: callers outside gateway/test (the agent's tests) never call removeTempRings().
      rmSync(ringDir, { recursive: true, force: true });
    },
  };
  return devnet;
}
