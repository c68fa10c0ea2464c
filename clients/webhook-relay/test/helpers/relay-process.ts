// Runs the relay as users do (`monad-gateway relay --config FILE`), with a config written for the test.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnChild, type Child } from "../../../../gateway/test/helpers/child.js";
import { CLI } from "../../../../gateway/test/helpers/cli.js";

export interface RelayProcess {
  child: Child;
  admin: string;
  stderr(): string;
  stats(): Promise<RelayStats>;
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  post<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  exited: Promise<number | null>;
}

export interface TargetStatsView {
  name: string;
  state: string;
  gateway_connected: boolean;
  delivered_batches: number;
  delivered_events: number;
  delivered_frames: number;
  retried: number;
  dead_lettered_batches: number;
  gaps: number;
  gap_frames_lost: number;
  acked: { epoch: string; server_seqno: number } | null;
  lag_seqnos: number | null;
  lag_ms: number;
  held_frames: number;
  max_held_frames: number;
  last_gap: { reason: string; from: number | null; to: number | null; epoch: string | null } | null;
  last_error: string | null;
}
export interface RelayStats {
  gateway: { epoch: string | null; newest_seqno: number | null };
  targets: TargetStatsView[];
}

export function newStateDir(): string {
  return mkdtempSync(join(tmpdir(), "relay-test-"));
}

/** Writes `config` (admin on a free port unless given) to a file in `dir`; returns its path. */
export function writeConfig(dir: string, config: Record<string, unknown>): string {
  const file = join(dir, "relay.json");
  writeFileSync(file, JSON.stringify({ admin: { port: 0 }, state_dir: dir, log_level: "warn", ...config }, null, 2));
  return file;
}

export async function startRelay(configFile: string, env: NodeJS.ProcessEnv = {}): Promise<RelayProcess> {
  const child = spawnChild(process.execPath, [CLI, "relay", "--config", configFile], env);
  let err = "";
  child.proc.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.proc.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${err}`)), 30_000);
    const check = () => {
      const m = /admin API listening on port (\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.proc.stderr.on("data", check);
    void exited.then((code) => reject(new Error(`relay exited with ${code}: ${err}`)));
  });
  const admin = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, path: string) => {
    const res = await fetch(`${admin}${path}`, { method });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    child,
    admin,
    stderr: () => err,
    stats: async () => (await call<RelayStats>("GET", "/stats")).body,
    get: (path) => call("GET", path),
    post: (path) => call("POST", path),
    exited,
  };
}

/** Polls `check` until it returns a truthy value; fails with `what` after timeoutMs. */
export async function waitUntil<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
