// Reads and validates the agent's configuration file against configSchema, resolving paths against
// the file's folder and the key from the environment. Every problem is reported at once, by path.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { getAddress, type Address, type Hex } from "viem";
import { configSchema } from "./config-schema.js";

/** A bad configuration: the CLI prints the message and exits with code 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export type LatencyStatistic = "mean" | "p50" | "p90" | "p95" | "p99" | "max";

export interface ServiceConfig {
  name: string;
  kind: "gateway-feed" | "http";
  url?: string;
  method: "GET" | "HEAD" | "POST";
  intervalMs: number;
  timeoutMs: number;
  recipient?: Address;
  streams: bigint[];
}

export interface AgentConfig {
  file: string;
  rpc: string;
  deploymentFile: string;
  gateway: string;
  key: Hex;
  stateDir: string;
  services: ServiceConfig[];
  reports: { enabled: boolean; submit: "all" | "breaches"; batchSize: number; deadlineSeconds: number; latencyStatistic: LatencyStatistic; minCoverage: number; checkIntervalMs: number };
  refunds: { enabled: boolean; fromBlock?: number; confirmations: number; backfillChunk: number };
  gas: { marginPercent: number };
  status: { enabled: boolean; host: string; port: number };
  logLevel: string;
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });
const validate = ajv.compile(configSchema);

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(raw, path, env);
}

/** Validates an already parsed configuration; `path` is where relative paths start from. */
export function parseConfig(raw: unknown, path: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  if (!validate(raw)) throw new ConfigError(`invalid config ${path}:\n${describeErrors(validate.errors ?? [])}`);
  // ajv filled in the defaults; the schema guarantees the shapes read below.
  const c = raw as Record<string, any>;
  const base = dirname(path);
  const key = keyOf(c, env);
  const services: ServiceConfig[] = (c.services as Record<string, any>[]).map((s) => ({
    name: s.name,
    kind: s.kind,
    url: s.url,
    method: s.method,
    intervalMs: s.intervalMs,
    timeoutMs: s.timeoutMs,
    recipient: s.recipient ? getAddress(s.recipient) : undefined,
    streams: ((s.streams ?? []) as string[]).map((id) => BigInt(id)),
  }));
  const names = new Set<string>();
  for (const s of services) {
    if (names.has(s.name)) throw new ConfigError(`invalid config ${path}:\n  /services: two services are named "${s.name}"; names must be unique`);
    names.add(s.name);
    for (const id of s.streams) if (id >= 2n ** 256n) throw new ConfigError(`invalid config ${path}:\n  /services/${s.name}/streams: ${id} does not fit in uint256`);
  }
  return {
    file: path,
    rpc: c.rpc,
    deploymentFile: resolve(base, c.deployment),
    gateway: c.gateway,
    key,
    stateDir: resolve(base, c.stateDir ?? "sla-agent-state"),
    services,
    reports: c.reports,
    refunds: c.refunds,
    gas: c.gas,
    status: c.status,
    logLevel: c.logLevel,
  };
}

function keyOf(c: Record<string, any>, env: NodeJS.ProcessEnv): Hex {
  if (typeof c.key === "string") return c.key as Hex;
  const name = typeof c.keyEnv === "string" ? c.keyEnv : "SLA_AGENT_KEY";
  const value = env[name];
  if (!value) throw new ConfigError(`no agent key: set "key" in the config, or the environment variable ${name}${c.keyEnv ? "" : ' (or name another with "keyEnv")'}`);
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new ConfigError(`the environment variable ${name} must hold a private key (0x + 64 hex digits)`);
  return value as Hex;
}

/** One line per problem: where it is, what is wrong, and what is valid. */
function describeErrors(errors: ErrorObject[]): string {
  const lines = new Set<string>();
  for (const e of errors) {
    // anyOf/if wrappers repeat what their branches already said.
    if (e.keyword === "if" || e.keyword === "anyOf") {
      if (e.keyword === "anyOf") lines.add(`  ${e.instancePath || "/"}: needs "recipient" or "streams" (which streams to monitor)`);
      continue;
    }
    const at = e.instancePath || "/";
    const p = e.params as Record<string, any>;
    let what: string;
    switch (e.keyword) {
      case "additionalProperties":
        what = `unknown key "${p.additionalProperty}"; valid: ${Object.keys(propertiesAt(e.schemaPath)).join(", ")}`;
        break;
      case "enum":
        what = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
        break;
      case "required":
        what = `missing required key "${p.missingProperty}"`;
        break;
      case "not":
        what = `give either "key" or "keyEnv", not both`;
        break;
      case "pattern": {
        const valid = (e.parentSchema as { "x-valid"?: string } | undefined)?.["x-valid"];
        what = `must be ${valid ?? `a string matching ${p.pattern}`}`;
        break;
      }
      default:
        what = e.message ?? e.keyword;
    }
    lines.add(`  ${at}: ${what}`);
  }
  return [...lines].join("\n");
}

function propertiesAt(schemaPath: string): Record<string, unknown> {
  // "#/properties/reports/additionalProperties" → configSchema.properties.reports.properties
  const parts = schemaPath.replace(/^#\//, "").split("/").slice(0, -1);
  let node: any = configSchema;
  for (const part of parts) node = node?.[part];
  return (node?.properties as Record<string, unknown>) ?? {};
}
