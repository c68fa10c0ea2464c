// Docs drift: the README's configuration reference is the one generated from the JSON Schema, every
// key of the schema is in it with a description, and every key the README's example uses is valid.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configKeyPaths, configReference, CONFIG_REFERENCE_BEGIN, CONFIG_REFERENCE_END, parseConfig } from "@monad-gateway/sla-agent";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README configuration reference", () => {
  it("is the current one generated from the schema (run scripts/gen-readme-config.mjs after a schema change)", () => {
    const from = readme.indexOf(CONFIG_REFERENCE_BEGIN);
    const to = readme.indexOf(CONFIG_REFERENCE_END);
    expect(from).toBeGreaterThan(0);
    expect(readme.slice(from + CONFIG_REFERENCE_BEGIN.length, to).trim()).toBe(configReference());
  });

  it("documents every schema key with its meaning", () => {
    const paths = configKeyPaths();
    expect(paths).toEqual(expect.arrayContaining(["rpc", "services[].kind", "reports.submit", "refunds.backfillChunk", "status.port"]));
    for (const path of paths) {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${path}\` |`));
      expect(row, `no README row for ${path}`).toBeDefined();
      const meaning = row!.split(" | ").at(-1)!.replace(/\|$/, "").trim();
      expect(meaning.length, `${path} has no description in the schema`).toBeGreaterThan(5);
    }
  });

  it("its example configuration is valid", () => {
    const example = /## Configuration\s+```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const config = parseConfig(JSON.parse(example!), "/etc/sla/agent.json", { SLA_AGENT_KEY: `0x${"11".repeat(32)}` });
    expect(config.services.map((s) => s.kind)).toEqual(["http", "gateway-feed"]);
    expect(config.reports.submit).toBe("all");
  });
});
