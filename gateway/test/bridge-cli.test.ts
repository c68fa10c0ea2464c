// monad-gateway bridge: wrong flags are refused with one clear line, the usage and exit code 2,
// before any ring is created; an unreachable node is retried (warn), never a crash.
import { existsSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../contracts/test/helpers/anvil.js";
import { startBridge } from "./helpers/bridge-devnet.js";
import { runCli } from "./helpers/cli.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

afterAll(() => removeTempRings());

describe("bridge CLI", () => {
  const ring = tempRingPath("never-created");
  const cases: [string, string[], RegExp][] = [
    ["no --rpc", [], /--rpc <url> is required/],
    ["a URL that is not one", ["--rpc", "localhost:8545"], /--rpc must be an http\(s\) URL|--rpc must use http or https/],
    ["a WebSocket URL", ["--rpc", "ws://127.0.0.1:8546"], /--rpc must use http or https/],
    ["a positional argument", ["http://127.0.0.1:8545"], /no positional arguments.*did you mean --rpc/],
    ["a bad --from", ["--rpc", "http://127.0.0.1:8545", "--from", "yesterday"], /--from must be latest, earliest or a block number, got "yesterday"/],
    ["stage delays out of order", ["--rpc", "http://127.0.0.1:8545", "--qc-delay", "900", "--finalize-delay", "100"], /--qc-delay <= --finalize-delay <= --verify-delay, got 900 \/ 100 \/ 1200/],
    ["a zero poll interval", ["--rpc", "http://127.0.0.1:8545", "--poll-interval", "0"], /--poll-interval must be a number >= 1/],
    ["an unknown log level", ["--rpc", "http://127.0.0.1:8545", "--log-level", "loud"], /--log-level must be one of/],
    ["an unknown flag", ["--rpc", "http://127.0.0.1:8545", "--speed", "2"], /Unknown option '--speed'/],
  ];

  it.concurrent.each(cases)("refuses %s with exit code 2 and the usage", async (_what, args, message) => {
    const r = await runCli(["bridge", ...args, "--ring", ring]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("monad-gateway bridge --rpc <url> [options]");
    expect(existsSync(ring)).toBe(false);
  });

  it("--help prints the usage", async () => {
    const r = await runCli(["bridge", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--from <latest|earliest|n>");
    expect(r.stdout).toContain("--qc-delay <ms>");
  });

  it("keeps retrying a node that is not there (warn lines with growing waits) and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const bridge = startBridge(`http://127.0.0.1:${port}`, tempRingPath("no-node"), ["--retry-max", "400"]);
    const first = await bridge.waitForLog((l) => l.msg === "RPC node unreachable; retrying" && l.attempt === 1);
    expect(first.level).toBe(40);
    expect(String(first.err)).toContain("ECONNREFUSED");
    const third = await bridge.waitForLog((l) => l.msg === "RPC node unreachable; retrying" && l.attempt === 3);
    expect(third.retryInMs).toBe(400); // 250, then doubled and capped by --retry-max
    expect(await bridge.stop()).toBe(0);
    expect(bridge.logs.at(-1)?.msg).toBe("bridge stopped");
  });
});
