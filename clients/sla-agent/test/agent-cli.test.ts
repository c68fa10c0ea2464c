// The agent's command line and configuration: bad input is one clear error with exit code 2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../gateway/test/helpers/cli.js";

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
    expect(r.stderr).toMatch(/\/rpc: must be an http\(s\) URL/);
    expect(r.stderr).toMatch(/\/services\/0: missing required key "url"/);
    expect(r.stderr).toMatch(/\/services\/0\/recipient: must be an address \(0x \+ 40 hex digits\)/);
    expect(r.stderr).toMatch(/\/services\/1\/kind: must be one of "gateway-feed", "http"/);
    expect(r.stderr).toMatch(/\/reports\/batchSize: must be <= 200/);
    expect(r.stderr).toMatch(/\/reports: unknown key "colour"; valid: enabled, submit, batchSize/);
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
