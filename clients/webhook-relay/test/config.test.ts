// Config files as users write them, through the real CLI: a bad one is one clear line and exit
// code 2; the README's reference and the synced gateway schemas are current; signatures verify.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../../gateway/test/helpers/cli.js";
import { configKeyPaths, configReference } from "../src/config/config-reference.js";
import { signBody, verifySignature } from "../src/delivery/signature.js";
import { newStateDir } from "./helpers/relay-process.js";

const dir = newStateDir();
const good = { gateway: { url: "ws://127.0.0.1:1", channel: "blocks" }, state_dir: dir, targets: [{ name: "a", url: "http://127.0.0.1:2/hook" }] };

async function check(config: unknown): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config));
  return runCli(["relay", "--config", file, "--check"]);
}

describe("relay config", () => {
  it("accepts a valid config (--check) and names its targets", async () => {
    const r = await check({ ...good, gateway: { ...good.gateway, subscription: { events: ["TxnLog", "TPS"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "log_index", filter: { min: 0, max: 3 } }] }] } }, targets: [{ name: "a", url: "http://h/x", events: ["TPS"] }] });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid; 1 target\(s\): a → http:\/\/h\/x/);
  });

  const bad: [string, unknown, RegExp][] = [
    ["not JSON", "{ targets: [", /not valid JSON/],
    ["a missing key", { gateway: good.gateway, targets: good.targets }, /missing required key "state_dir"/],
    ["an unknown key", { ...good, retries: {} }, /unknown key "retries"; valid keys: gateway, start, state_dir/],
    ["a bad gateway URL", { ...good, gateway: { url: "localhost:8443" } }, /gateway\.url: "localhost:8443" does not have the expected form/],
    ["an unknown channel", { ...good, gateway: { url: "ws://h", channel: "block" } }, /gateway\.channel: "block" is not valid; valid: all, blocks, txs, contention, lifecycle/],
    ["an unknown subscription event", { ...good, gateway: { url: "ws://h", subscription: ["BlockStart", "TxnLgo"] } }, /gateway\.subscription\[1\]: "TxnLgo" is not valid; valid: RecordError, BlockStart/],
    ["a filter on an unlisted event", { ...good, gateway: { url: "ws://h", subscription: { events: ["TPS"], filters: [{ event_name: "TxnLog" }] } } }, /filters\[0\]\.event_name: "TxnLog" is not in gateway\.subscription\.events/],
    ["a field filter the event lacks", { ...good, gateway: { url: "ws://h", subscription: { events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "depth", filter: {} }] }] } } }, /field_filters\[0\]\.field: "depth" is not valid here; valid: address, topics, txn_index, log_index/],
    ["a range with min > max", { ...good, gateway: { url: "ws://h", subscription: { events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: [{ field: "log_index", filter: { min: 5, max: 1 } }] }] } } }, /min \(5\) must not exceed max \(1\)/],
    ["target events outside the subscription", { ...good, targets: [{ name: "a", url: "http://h", events: ["TxnLog"] }] }, /targets\[0\]\.events\[0\]: "TxnLog" is not in the gateway subscription; valid: BlockStart, BlockEnd/],
    ["duplicate target names", { ...good, targets: [good.targets[0], good.targets[0]] }, /targets\[1\]\.name: "a" is used by another target/],
    ["a short secret", { ...good, targets: [{ name: "a", url: "http://h", secret: "short" }] }, /targets\[0\]\.secret: must NOT have fewer than 16 characters, got "short"/],
    ["an unset secret_env", { ...good, targets: [{ name: "a", url: "http://h", secret_env: "RELAY_TEST_UNSET_SECRET" }] }, /environment variable RELAY_TEST_UNSET_SECRET is not set/],
    ["a retry jitter out of range", { ...good, retry: { jitter: 2 } }, /retry\.jitter: must be <= 1, got 2/],
    ["a wrong type", { ...good, targets: [{ name: "a", url: "http://h", batch: { max_events: "ten" } }] }, /targets\[0\]\.batch\.max_events: must be integer, got a string/],
  ];
  for (const [what, config, message] of bad) {
    // Concurrent: each case is a CLI process start, mostly waiting.
    it.concurrent(`refuses ${what} with one clear line and exit code 2`, async () => {
      const r = await check(config);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it("refuses a missing file and a missing --config", async () => {
    const missing = await runCli(["relay", "--config", join(dir, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the config file: ENOENT/);
    const none = await runCli(["relay"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--config <file> is required/);
  });

  it("documents every config key in the README, in the reference generated from the schema", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(configReference());
    for (const path of configKeyPaths()) expect(readme).toContain(`| \`${path}\` |`);
  });

  it("signatures verify over the exact body, and fail when tampered with or replayed late", () => {
    const body = '{"frames":[{"server_seqno":1,"TPS":3}]}';
    const h = signBody("s3cret-s3cret-s3cret", body);
    const headers = { timestamp: h["x-relay-timestamp"], signature: h["x-relay-signature"] };
    expect(verifySignature("s3cret-s3cret-s3cret", headers, Buffer.from(body))).toEqual({ ok: true });
    expect(verifySignature("s3cret-s3cret-s3cret", headers, body.replace("3", "4"))).toMatchObject({ ok: false, reason: "signature mismatch" });
    expect(verifySignature("another-secret-xx", headers, body)).toMatchObject({ ok: false });
    expect(verifySignature("s3cret-s3cret-s3cret", headers, body, { now: Date.now() + 301_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/replay window/) });
    expect(verifySignature("s3cret-s3cret-s3cret", { timestamp: undefined, signature: headers.signature }, body)).toMatchObject({ ok: false });
  });
});
