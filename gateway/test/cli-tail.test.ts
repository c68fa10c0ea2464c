// `monad-gateway tail` and `status`, the compiled commands as users run them, against a real gateway.
import { spawn } from "node:child_process";
import { statSync, readdirSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseJson, stringifyJson } from "../../sdk-ts/src/index.js";
import type { Child } from "./helpers/child.js";
import { CLI } from "./helpers/cli.js";
import { startGateway, streamFrames, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

let sim: { path: string; child: Child };
let gw: GatewayProcess;
const cleanup: (() => unknown)[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // The CLI imports the SDK's compiled package: it must not be older than its sources.
  const newest = (dir: string): number =>
    Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(`${dir}/${e.name}`) : statSync(`${dir}/${e.name}`).mtimeMs)));
  const src = new URL("../../sdk-ts/src", import.meta.url).pathname;
  const dist = new URL("../../sdk-ts/dist/index.js", import.meta.url).pathname;
  if (statSync(dist, { throwIfNoEntry: false }) === undefined || statSync(dist).mtimeMs < newest(src))
    throw new Error("sdk-ts/dist is older than sdk-ts/src: build it first (npx tsc -p sdk-ts/tsconfig.json)");
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "20-40", "--seed", "12"]);
  gw = await startGateway(["--ring", sim.path, "--max-connections-per-ip", "100"]);
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
});

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}
/** Runs the CLI; `until` may end it early (SIGINT) once the output satisfies it. */
function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; until?: (r: Run) => boolean; timeoutMs?: number } = {}): Promise<Run> {
  const env = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const run: Run = { stdout: "", stderr: "", code: null };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`monad-gateway ${args.join(" ")} did not finish; stdout ${run.stdout.slice(-500)} stderr ${run.stderr}`));
    }, opts.timeoutMs ?? 30_000);
    let interrupted = false; // one Ctrl-C: a second one would end the process abruptly, as it should
    const check = () => {
      if (!interrupted && opts.until?.(run)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    };
    child.stdout.setEncoding("utf8").on("data", (d: string) => ((run.stdout += d), check()));
    child.stderr.setEncoding("utf8").on("data", (d: string) => ((run.stderr += d), check()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    });
  });
}
const lines = (s: string) => s.split("\n").filter((l) => l !== "");
async function reference(path: string): Promise<TestClient> {
  const r = await TestClient.connect(`${gw.ws}${path}`);
  cleanup.push(() => r.close());
  return r;
}
/** A TCP forwarder whose target can change: a restarted gateway at the same URL. */
async function forwarder(targetPort: number): Promise<{ port: number; retarget(p: number): void; dropAll(): void }> {
  let target = targetPort;
  const socks = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = connect(target, "127.0.0.1");
    for (const s of [down, up]) {
      socks.add(s);
      // pipe() ends each side after the other's last bytes (a close frame must get through); an
      // error kills both.
      s.on("error", () => (down.destroy(), up.destroy()));
      s.on("close", () => socks.delete(s));
    }
    down.pipe(up).pipe(down);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const f = {
    port: (server.address() as { port: number }).port,
    retarget: (p: number) => (target = p),
    dropAll: () => socks.forEach((s) => s.destroy()),
  };
  cleanup.push(() => (f.dropAll(), new Promise((r) => server.close(r))));
  return f;
}
const closedPort = async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
};

describe("tail", () => {
  it("prints one readable line per event and frame, without colour when piped", async () => {
    const r = await cli(["tail", "--url", gw.ws, "--channel", "blocks", "--limit", "40"]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(40);
    expect(r.stdout).not.toContain("\x1b[");
    expect(out.some((l) => /^\s+\d+ \d\d:\d\d:\d\d\.\d{3} BlockStart\s+block \d+ .*txn_count=\d+.*\[Proposed\]$/.test(l))).toBe(true);
    expect(out.some((l) => /^\s+\d+\s+Lifecycle\s+block \d+\s+\w+ → \w+ after \d+ ms, \d+ txns \[\w+\]$/.test(l))).toBe(true);
    expect(out.some((l) => /^\s+\d+\s+TPS\s+\d+$/.test(l))).toBe(true);
  });

  it("--json prints NDJSON whose integers are exactly the gateway's", async () => {
    const ref = await reference("/v1/ws/blocks");
    const r = await cli(["tail", "--url", gw.ws, "--channel", "blocks", "--json", "--limit", "60"]);
    expect(r.code).toBe(0);
    const wire = new Map<number, string>();
    ref.frames.forEach((f, i) => wire.set(f.server_seqno, ref.texts[i]));
    let checked = 0;
    for (const line of lines(r.stdout)) {
      const v = parseJson(line) as { server_seqno: number; event_name?: string; seqno?: number; timestamp_ns?: bigint };
      expect(stringifyJson(v)).toBe(line);
      const raw = wire.get(v.server_seqno);
      if (v.event_name === undefined || raw === undefined) continue;
      expect(typeof v.timestamp_ns).toBe("bigint");
      const { server_seqno: _, ...event } = v;
      const sent = (parseJson(raw) as { Events: { seqno: number }[] }).Events.find((e) => e.seqno === v.seqno);
      expect(event).toEqual(sent);
      expect(line).toContain(`"timestamp_ns":${/"timestamp_ns":(\d+)/.exec(raw.slice(raw.indexOf(`"seqno":${v.seqno},`)))![1]}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("--address, --topic, --events and --min-stage narrow what is printed", async () => {
    const ref = await reference("/v1/ws/txs");
    await ref.waitFor(() => ref.of("Events").length >= 20);
    const logs = ref
      .of("Events")
      .flatMap((f) => f.Events as { event_name: string; payload: { address: string; topics_list: string[] } }[])
      .filter((e) => e.event_name === "TxnLog");
    const byAddress = new Map<string, number>();
    for (const l of logs) byAddress.set(l.payload.address, (byAddress.get(l.payload.address) ?? 0) + 1);
    const address = [...byAddress].sort((a, b) => b[1] - a[1])[0][0];
    const topic0 = logs.find((l) => l.payload.address === address && l.payload.topics_list.length > 0)!.payload.topics_list[0];

    const byAddr = await cli(["tail", "--url", gw.ws, "--json", "--address", address.toUpperCase().replace("0X", "0x"), "--topic", topic0, "--limit", "5"]);
    expect(byAddr.code).toBe(0);
    for (const line of lines(byAddr.stdout)) {
      const e = parseJson(line) as { event_name: string; payload: { address: string; topics_list: string[] } };
      expect(e).toMatchObject({ event_name: "TxnLog", payload: { address } });
      expect(e.payload.topics_list[0]).toBe(topic0);
    }

    const staged = await cli(["tail", "--url", gw.ws, "--json", "--events", "BlockStart,TPS", "--min-stage", "Finalized", "--limit", "8"]);
    expect(staged.code).toBe(0);
    const kinds = lines(staged.stdout).map((l) => parseJson(l) as { event_name?: string; commit_stage?: string; TPS?: number });
    expect(kinds.some((k) => k.event_name === "BlockStart")).toBe(true);
    for (const k of kinds) {
      if (k.event_name !== undefined) expect(k).toMatchObject({ event_name: "BlockStart", commit_stage: "Finalized" });
      else expect(typeof k.TPS).toBe("number");
    }
  });

  it("colours only a terminal, and never with NO_COLOR", async () => {
    const args = ["tail", "--url", gw.ws, "--channel", "lifecycle", "--limit", "3"];
    expect((await cli(args, { env: { FORCE_COLOR: "1" } })).stdout).toContain("\x1b[");
    expect((await cli(args, { env: { FORCE_COLOR: "1", NO_COLOR: "1" } })).stdout).not.toContain("\x1b[");
    // A real terminal, through script(1).
    const command = [process.execPath, CLI, ...args].join(" ");
    const tty = await new Promise<string>((resolve) => {
      const p = spawn("script", ["-qec", command, "/dev/null"], { env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined } });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.on("exit", () => resolve(out));
    });
    expect(tty).toContain("\x1b[");
    expect(tty).toMatch(/Lifecycle/);
    const ttyNoColour = await new Promise<string>((resolve) => {
      const p = spawn("script", ["-qec", command, "/dev/null"], { env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined } });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.on("exit", () => resolve(out));
    });
    expect(ttyNoColour).toMatch(/Lifecycle/);
    expect(ttyNoColour).not.toContain("\x1b[3");
  });

  it("--from resumes right after a cursor", async () => {
    const ref = await reference("/v1/ws/blocks");
    const first = await cli(["tail", "--url", gw.ws, "--channel", "blocks", "--json", "--limit", "5"]);
    const cursor = (parseJson(lines(first.stdout).at(-1)!) as { server_seqno: number }).server_seqno;
    const epoch = (ref.frames[0].Hello as { epoch: string }).epoch;
    await sleep(1000);
    const again = await cli(["tail", "--url", gw.ws, "--channel", "blocks", "--json", "--from", String(cursor), "--epoch", epoch, "--limit", "30"]);
    expect(again.stderr).toContain(`resumed after ${cursor} (gateway epoch ${epoch})`);
    const seqnos = [...new Set(lines(again.stdout).map((l) => (parseJson(l) as { server_seqno: number }).server_seqno))];
    const want = streamFrames(ref.frames)
      .map((f) => f.server_seqno)
      .filter((s) => s > cursor)
      .slice(0, seqnos.length);
    expect(seqnos).toEqual(want);
  });

  it("keeps following across a gateway restart and reports the gap on stderr", async () => {
    const g1 = await startGateway(["--ring", sim.path]);
    cleanup.push(() => g1.stop("SIGKILL"));
    const fwd = await forwarder(g1.port); // the restarted gateway gets another port; the URL stays
    let linesAtGap: number | null = null;
    let following!: () => void;
    const followingFirstRun = new Promise<void>((r) => (following = r));
    const run = cli(["tail", "--url", `ws://127.0.0.1:${fwd.port}`, "--channel", "lifecycle"], {
      // Stop once 5 lines have followed the gap report.
      until: (r) => {
        if (lines(r.stdout).length >= 3) following();
        if (!r.stderr.includes("gap (gateway_restarted)")) return false;
        linesAtGap ??= lines(r.stdout).length;
        return lines(r.stdout).length >= linesAtGap + 5;
      },
      timeoutMs: 60_000,
    });
    await followingFirstRun;
    await g1.stop("SIGTERM");
    await sleep(500);
    const g2 = await startGateway(["--ring", sim.path]);
    cleanup.push(() => g2.stop("SIGKILL"));
    fwd.retarget(g2.port);
    const r = await run;
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    expect(linesAtGap).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/disconnected \((1001 server shutting down|1006)/);
    expect(r.stderr).toMatch(/reconnecting in \d+\.\d s \(attempt 1\) from server_seqno \d+/);
    expect(r.stderr).toMatch(/gap \(gateway_restarted\): the gateway restarted \(epoch \w+ → \w+\)/);
    expect(lines(r.stdout).every((l) => /Lifecycle/.test(l))).toBe(true);
  });

  it("stops quietly when its reader goes away (tail | head)", async () => {
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn("sh", ["-c", `${process.execPath} ${CLI} tail --url ${gw.ws} | head -n 3`], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.on("exit", (code) => resolve({ code, out }));
    });
    expect(r.code).toBe(0);
    expect(lines(r.out)).toHaveLength(3);
  });

  it("bad arguments or an unreachable gateway: one line, a non-zero exit, no stack trace", async () => {
    const port = await closedPort();
    const cases: [string[], number, RegExp][] = [
      [
        ["tail", "--url", `ws://127.0.0.1:${port}`],
        1,
        new RegExp(`^monad-gateway: cannot connect to ws://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\n$`),
      ],
      [["tail", "--events", "BlockStrat"], 2, /^monad-gateway: --events: unknown event "BlockStrat"; valid: RecordError, BlockStart, /],
      [["tail", "--min-stage", "Rejected"], 2, /^monad-gateway: --min-stage must be one of Proposed, Voted, Finalized, Verified, got "Rejected"\n$/],
      [["tail", "--url", "localhost:8443"], 2, /^monad-gateway: --url must be a ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ URL, got "localhost:8443"\n$/],
      [["tail", "--topic", "0x1234"], 2, /^monad-gateway: --topic must be 0x and 64 hex digits, got "0x1234"\n$/],
      [["tail", "--from=-3"], 2, /^monad-gateway: --from must be a server_seqno \(an integer >= 0\), got "-3"\n$/],
      [["tail", "--url", `${gw.ws}/v1/nowhere`], 1, /^monad-gateway: the gateway at ws:\/\/\S+ refused the connection \(HTTP 404\): /],
      [
        ["status", "--url", `http://127.0.0.1:${port}`],
        1,
        new RegExp(
          `^monad-gateway: cannot reach the gateway at http://127\\.0\\.0\\.1:${port}/v1/status: fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\n$`,
        ),
      ],
      [["status", "extra"], 2, /^monad-gateway: unexpected argument "extra"; status takes only options\n/],
    ];
    for (const [args, code, stderr] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.stderr, args.join(" ")).toMatch(stderr);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).toBe("");
    }
  });
});

describe("status", () => {
  it("prints /v1/status readably, or as JSON", async () => {
    const r = await cli(["status", "--url", gw.http]);
    expect(r.code).toBe(0);
    const status = (await (await fetch(`${gw.http}/v1/status`)).json()) as { epoch: string; ring: { path: string } };
    expect(r.stdout).toMatch(
      new RegExp(
        `^gateway   ${gw.http}  healthy\\nepoch     ${status.epoch}   up (\\d+m )?\\d+s\\nblock     \\d+   last event \\d+\\.\\d s ago\\nclients   \\d+ connected`,
      ),
    );
    expect(r.stdout).toContain(`ring      ${status.ring.path}\n`);
    expect(r.stdout).toMatch(/writer pid \d+ alive {3}lag \d+ events {3}last seqno \d+\n$/);
    const j = await cli(["status", "--url", gw.ws, "--json"]);
    expect(parseJson(j.stdout)).toMatchObject({ status: "healthy", epoch: status.epoch });
  });
});
