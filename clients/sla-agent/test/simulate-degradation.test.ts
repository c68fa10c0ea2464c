// `monad-gateway agent simulate-degradation` as a user runs it: a real process serving a service
// whose quality follows its schedule (healthy, then degraded: slower and failing its share of
// requests evenly, then healthy again), changed on demand through POST /control, and refusing bad
// flags with exit code 2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnChild, type Child } from "../../../gateway/test/helpers/child.js";
import { CLI, runCli } from "../../../gateway/test/helpers/cli.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("agent simulate-degradation", () => {
  let child: Child;
  let url: string;
  beforeAll(async () => {
    child = spawnChild(process.execPath, [CLI, "agent", "simulate-degradation", "--port", "0", "--schedule", "healthy:1,degraded:6", "--latency-ms", "300", "--error-rate", "0.5"]);
    let stderr = "";
    child.proc.stderr.on("data", (d) => (stderr += d));
    url = await until("the listening line", async () => /degradable service on (http:\/\/\S+)/.exec(stderr)?.[1]);
  });
  afterAll(async () => child?.kill("SIGKILL"));

  const get = async () => {
    const res = await fetch(`${url}/`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; mode: string } };
  };
  const control = async (body: unknown) => {
    const res = await fetch(`${url}/control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("answers healthy, then degraded per the schedule (latency, an even share of 503s), then healthy again", async () => {
    // Each change is a JSON line on stdout; the first phase is healthy.
    expect(JSON.parse(await child.waitFor(/"mode":"healthy"/))).toMatchObject({ mode: "healthy", errorRate: 0 });
    const degradedLine = JSON.parse(await child.waitFor(/"mode":"degraded"/, 20_000));
    expect(degradedLine).toMatchObject({ mode: "degraded", latencyMs: 300, errorRate: 0.5 });
    // Four requests at once in the 6 s degraded phase: exactly half fail, each waited the latency.
    const started = performance.now();
    const answers = await Promise.all([get(), get(), get(), get()]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 503, 503]);
    expect(answers.every((a) => a.body.mode === "degraded")).toBe(true);
    // The schedule repeats: healthy again.
    await until("the healthy phase again", async () => ((await (await fetch(`${url}/control`)).json()) as { mode: string }).mode === "healthy" || undefined, 20_000);
    expect(await get()).toEqual({ status: 200, body: { ok: true, mode: "healthy" } });
  }, 40_000);

  it("POST /control changes the quality at once, and refuses a bad body saying what is valid", async () => {
    const down = await control({ mode: "down" });
    expect(down).toMatchObject({ status: 200, body: { mode: "down" } });
    // Down never answers: the caller's timeout is what it sees.
    await expect(fetch(`${url}/`, { signal: AbortSignal.timeout(700) })).rejects.toThrow();
    expect(await control({ mode: "degraded", latencyMs: 0, errorRate: 1 })).toMatchObject({ status: 200, body: { mode: "degraded", latencyMs: 0, errorRate: 1 } });
    expect((await get()).status).toBe(503);
    const bad = await control({ mode: "slow" });
    expect(bad.status).toBe(400);
    expect(String(bad.body.valid)).toMatch(/"mode": "healthy"\|"degraded"\|"down"/);
    expect((await control({ mode: "healthy", errorRate: 3 })).status).toBe(400);
    expect(await control({ mode: "healthy" })).toMatchObject({ status: 200, body: { mode: "healthy", errorRate: 0 } });
    expect(await get()).toEqual({ status: 200, body: { ok: true, mode: "healthy" } });
  });

  it("stops on SIGTERM even with a request hanging in down mode", async () => {
    await control({ mode: "down" });
    const hanging = fetch(`${url}/`).catch(() => "closed");
    await sleep(100);
    const exit = new Promise<number | null>((resolve) => child.proc.once("exit", (code) => resolve(code)));
    child.proc.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(await hanging).toBe("closed");
  });

  it("refuses bad flags with exit code 2 and what is valid", async () => {
    const port = await runCli(["agent", "simulate-degradation", "--port", "70000"]);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be an integer >= 0 and <= 65535, got "70000"/);
    const rate = await runCli(["agent", "simulate-degradation", "--error-rate", "2"]);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/--error-rate must be .*<= 1, got "2"/);
    const phase = await runCli(["agent", "simulate-degradation", "--schedule", "healthy:0"]);
    expect(phase.code).toBe(2);
    expect(phase.stderr).toMatch(/--schedule: "healthy:0" is not <healthy\|degraded\|down>:<seconds>/);
    const unknown = await runCli(["agent", "simulate-degradation", "--colour", "red"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--colour/);
  });
});
