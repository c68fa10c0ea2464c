// The Python client (clients/python) and its unittest suite, run against real gateway processes on a
// real simulator ring. Each Python test case is one vitest test, so failures are visible and counted.
//
// The cases are listed when this file is collected (tests/runner.py --list). Each Python module then
// runs once, in one process, when its first case is reached, and every case checks its own row of the
// module's results: one interpreter start per module instead of per case, a hang limited to a module.
//
// Two gateways: a plain one (MONAD_GATEWAY_URL), and a restartable one behind a TCP proxy
// (MONAD_GATEWAY_RESTART_URL) that POST <MONAD_GATEWAY_CONTROL_URL>/restart replaces with a new
// process. The proxy is there because a restarted gateway cannot count on getting its port back: the
// old connections hold it in TIME_WAIT. Through the proxy the client sees what it would see from a
// real restart: close 1001, refused reconnects while nothing listens, then a gateway with a new epoch.
import { execFile, execFileSync } from "node:child_process";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Child } from "./helpers/child.js";
import { startGateway, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

// Debian's interpreter, which has python3-websockets (the `python3` on PATH may be another build).
const PYTHON = "/usr/bin/python3";
const ROOT = fileURLToPath(new URL("../../clients/python/", import.meta.url));
// -B and this keep __pycache__ out of the source tree.
const PY_ENV = { PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };
const MODULE_TIMEOUT_MS = 50_000;

interface CaseResult {
  id: string;
  outcome: "passed" | "failed" | "error" | "skipped";
  seconds: number;
  details: string;
}

interface ModuleRun {
  rows: CaseResult[];
  code: number | null;
  stdout: string;
  stderr: string;
}

function listCases(): { ids: string[]; error?: string } {
  try {
    const out = execFileSync(PYTHON, ["-B", "-m", "tests.runner", "--list"], {
      cwd: ROOT,
      env: { ...process.env, ...PY_ENV },
      encoding: "utf8",
      timeout: 30_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { ids: JSON.parse(out) as string[] };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ids: [], error: `${e.message}\n${e.stderr ?? ""}` };
  }
}

/** Forwards every connection to the current upstream port; connections to a stopped one just fail. */
class RestartableGateway {
  private proxy!: NetServer;
  private control!: HttpServer;
  private readonly sockets = new Set<Socket>();
  private restarting: Promise<void> = Promise.resolve();

  private constructor(
    private readonly args: string[],
    private upstream: GatewayProcess,
  ) {}

  static async start(args: string[]): Promise<RestartableGateway> {
    const g = new RestartableGateway(args, await startGateway(args));
    g.proxy = createNetServer((client) => g.forward(client));
    g.control = createHttpServer((req, res) => {
      if (req.method !== "POST" || req.url !== "/restart") {
        res.writeHead(404).end();
        return;
      }
      g.restart().then(
        () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ port: g.upstream.port })),
        (err: Error) => res.writeHead(500).end(String(err.stack ?? err)),
      );
    });
    await Promise.all([listen(g.proxy), listen(g.control)]);
    return g;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.proxy.address() as AddressInfo).port}`;
  }

  get controlUrl(): string {
    return `http://127.0.0.1:${(this.control.address() as AddressInfo).port}`;
  }

  /** Stops the gateway (SIGTERM: clients get close 1001), then starts a new one; one at a time. */
  restart(): Promise<void> {
    this.restarting = this.restarting.then(async () => {
      await this.upstream.stop();
      this.upstream = await startGateway(this.args);
    });
    return this.restarting;
  }

  async stop(): Promise<void> {
    await this.restarting.catch(() => undefined);
    for (const s of this.sockets) s.destroy();
    await Promise.all([close(this.proxy), close(this.control), this.upstream.stop()]);
  }

  private forward(client: Socket): void {
    const up = connect(this.upstream.port, "127.0.0.1");
    for (const s of [client, up]) {
      this.sockets.add(s);
      s.once("close", () => this.sockets.delete(s));
    }
    // pipe() ends each side when the other ends, after what was written is flushed: the gateway's
    // close frame reaches the client. A reset or a refused upstream destroys both.
    client.pipe(up).on("error", () => client.destroy());
    up.pipe(client).on("error", () => up.destroy());
    up.on("error", () => client.destroy());
    client.on("error", () => up.destroy());
  }
}

function listen(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
}

function close(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

const listed = listCases();
let sim: { path: string; child: Child };
let gw: GatewayProcess;
let restartable: RestartableGateway;
const runs = new Map<string, Promise<ModuleRun>>();

beforeAll(async () => {
  if (listed.ids.length === 0) return;
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "5-10", "--seed", "21"]);
  [gw, restartable] = await Promise.all([
    startGateway(["--ring", sim.path, "--max-connections-per-ip", "100"]),
    // A small resume buffer, so a cursor goes stale within seconds (the cursor_too_old case).
    RestartableGateway.start(["--ring", sim.path, "--max-connections-per-ip", "100", "--resume-buffer", "100"]),
  ]);
  // The REST cases want finished blocks: wait until one is Verified (about 1.6 s after it started).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const blocks = (await (await fetch(`${gw.http}/v1/blocks/lifecycle`)).json()) as { current_stage: string }[];
    if (blocks.some((b) => b.current_stage === "Verified")) break;
    if (Date.now() > deadline) throw new Error("no block reached Verified within 20 s");
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await restartable?.stop();
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

/** Runs every listed case of `module` in one Python process (once; later callers share the result). */
function runModule(module: string): Promise<ModuleRun> {
  let run = runs.get(module);
  if (!run) {
    const ids = listed.ids.filter((id) => moduleOf(id) === module);
    run = new Promise((resolve) => {
      execFile(
        PYTHON,
        ["-B", "-m", "tests.runner", ...ids],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            ...PY_ENV,
            MONAD_GATEWAY_URL: gw.ws,
            MONAD_GATEWAY_RESTART_URL: restartable.url,
            MONAD_GATEWAY_CONTROL_URL: restartable.controlUrl,
          },
          timeout: MODULE_TIMEOUT_MS,
          killSignal: "SIGKILL",
          maxBuffer: 16 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const line = stdout.split("\n").find((l) => l.startsWith("RESULTS "));
          const rows = line ? (JSON.parse(line.slice("RESULTS ".length)) as CaseResult[]) : [];
          const code = err ? ((err as { code?: number }).code ?? null) : 0;
          resolve({ rows, code: typeof code === "number" ? code : null, stdout, stderr });
        },
      );
    });
    runs.set(module, run);
  }
  return run;
}

function moduleOf(id: string): string {
  return id.split(".").slice(0, 2).join(".");
}

describe("Python client (clients/python)", () => {
  if (listed.error !== undefined) {
    it("lists its test cases", () => {
      throw new Error(
        `${PYTHON} -m tests.runner --list failed (is Debian's python3-websockets installed? apt-get install python3-websockets):\n${listed.error}`,
      );
    });
    return;
  }

  it("has test cases", () => {
    expect(listed.ids.length).toBeGreaterThan(0);
  });

  for (const module of [...new Set(listed.ids.map(moduleOf))]) {
    describe(module, () => {
      for (const id of listed.ids.filter((x) => moduleOf(x) === module)) {
        // A module that failed to import is listed by its own name.
        it(id === module ? "imports" : id.slice(module.length + 1), { timeout: MODULE_TIMEOUT_MS + 10_000 }, async () => {
          const run = await runModule(module);
          const row = run.rows.find((r) => r.id === id);
          if (!row) {
            throw new Error(`no result for ${id} (python exited with ${run.code}):\n${run.stderr.slice(-4000)}\n${run.stdout.slice(-2000)}`);
          }
          // The wrapper provides every gateway a case can ask for: a skip here means something is missing.
          if (row.outcome !== "passed") throw new Error(`${row.outcome}: ${row.details}\n--- module stderr ---\n${run.stderr.slice(-3000)}`);
        });
      }
    });
  }
});
