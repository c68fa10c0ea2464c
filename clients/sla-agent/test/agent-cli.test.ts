// The agent's command line and configuration: bad input is one clear error with exit code 2; the
// stress run creates streams from independent senders on a real anvil and compares conflicts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../gateway/test/helpers/cli.js";
import { startAnvil, type Anvil } from "../../../contracts/test/helpers/anvil.js";

const dir = mkdtempSync(join(tmpdir(), "sla-agent-cli-"));
const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
};
const KEY = `0x${"11".repeat(32)}`;

describe("agent configuration errors", () => {
  it("names every problem by path with what is valid, exit code 2", async () => {
    const file = write("bad.json", {
      rpc: "ftp://x",
      deployment: "d.json",
      gateway: "ws://127.0.0.1:1",
      key: KEY,
      services: [{ name: "api", kind: "http", recipient: "0x1234" }, { name: "x", kind: "smtp", streams: ["1"] }],
      reports: { batchSize: 500, colour: "red" },
    });
    const r = await runCli(["agent", "check", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/rpc: must be JSON-RPC endpoint/);
    expect(r.stderr).toMatch(/\/services\/0: missing required key "url"/);
    expect(r.stderr).toMatch(/\/services\/0\/recipient: must be monitor every stream paying this address|\/services\/0\/recipient: must be/);
    expect(r.stderr).toMatch(/\/services\/1\/kind: must be one of "gateway-feed", "http"/);
    expect(r.stderr).toMatch(/\/reports\/batchSize: must be <= 200/);
    expect(r.stderr).toMatch(/\/reports: unknown key "colour"; valid: enabled, batchSize/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
  });

  it("refuses unreadable, non-JSON and keyless configs, and a missing deployment file", async () => {
    expect((await runCli(["agent", "--config", join(dir, "nope.json")])).stderr).toMatch(/cannot read config file .*nope\.json: ENOENT/);
    const notJson = await runCli(["agent", "check", "--config", write("x.json", "{ rpc: ")]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/is not valid JSON/);
    const keyless = await runCli(["agent", "check", "--config", write("k.json", { rpc: "http://127.0.0.1:1", deployment: "d.json", gateway: "ws://127.0.0.1:1" })]);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/no agent key: set "key" in the config, or the environment variable SLA_AGENT_KEY/);
    const noDeployment = await runCli(["agent", "check", "--config", write("n.json", { rpc: "http://127.0.0.1:1", deployment: "missing.json", gateway: "ws://127.0.0.1:1", key: KEY })]);
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.stderr).toMatch(/cannot read the deployment file .*missing\.json: ENOENT/);
  });

  it("rejects unknown subcommands and bad flags with the usage", async () => {
    const r = await runCli(["agent", "launch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown agent subcommand "launch"; valid: check, stress-parallel, simulate-degradation/);
    const s = await runCli(["agent", "stress-parallel", "--rpc", "http://127.0.0.1:1", "--deployment", "d.json", "--count", "500"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--count must be an integer >= 1 and <= 200, got "500"/);
    const d = await runCli(["agent", "simulate-degradation", "--schedule", "slow:10"]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--schedule: "slow:10" is not <healthy\|degraded\|down>:<seconds>/);
  });
});

describe("stress-parallel on anvil", () => {
  let anvil: Anvil;
  let deployment: string;
  beforeAll(async () => {
    // Interval mining: the creates land in shared blocks, as on a real chain.
    anvil = await startAnvil(["--block-time", "1"]);
    deployment = join(dir, "contracts.json");
    const r = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--out", deployment], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => anvil?.stop());

  it("creates 60 streams from independent senders without a storage conflict", async () => {
    const r = await runCli(["agent", "stress-parallel", "--rpc", anvil.url, "--deployment", deployment, "--count", "60", "--json"], { timeoutMs: 90_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.streams).toBe(60);
    expect(new Set(result.streamIds).size).toBe(60);
    expect(result.traced).toBe(true);
    // Fewer blocks than transactions: they really shared blocks.
    expect(result.blocksUsed.length).toBeLessThan(60);
    expect(result.conflicts.reduce((s: number, c: { txs: number }) => s + c.txs, 0)).toBe(60);
    // Only the first use of the brand-new SLA writes it (the contracts' README says so): in the first
    // block every other create reads it; in later blocks no two creates share a written slot.
    const [first, ...rest] = result.conflicts as { txs: number; conflictPairs: number }[];
    expect(first.conflictPairs).toBeLessThanOrEqual(first.txs - 1);
    for (const b of rest) expect(b.conflictPairs).toBe(0);
    expect(result.verdict).toMatch(/no gateway given/);
  }, 90_000);
});
