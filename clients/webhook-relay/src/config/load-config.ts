// Reads and checks a config file: JSON syntax, the schema (ajv, defaults filled in), then the rules
// a schema cannot say (unique names, secrets present, target events within the subscription).
// Every failure is a ConfigError naming the path, what is wrong and what is valid.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import AjvModule from "ajv";
import { CHANNEL_SUBSCRIPTIONS, type AdvancedSubscription, type Channel, type SubscribeItem, type Subscription } from "@monad-gateway/sdk";
import { ConfigError } from "./config-error.js";
import { CONFIG_SCHEMA, CONFIG_SCHEMA_ID } from "./config-schema.js";
import { describeAjvError } from "./describe-ajv-error.js";
import type { RelayConfig, RetryPolicy, TargetConfig } from "./types.js";

// ajv is CommonJS; under NodeNext its default import is the module object, whose .default is the class.
const Ajv = AjvModule.default;

/**
 * The gateway's wire-protocol schema documents the config refers to (`common`, `subscribe`), passed
 * in by the gateway's CLI, so a subscription is checked against the gateway's own source of truth
 * and never against a copy.
 */
export interface WireSchemas {
  common: object;
  subscribe: object;
}

function compileValidator(wire: WireSchemas) {
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, useDefaults: true, allowUnionTypes: true, discriminator: true });
  ajv.addSchema(wire.common).addSchema(wire.subscribe).addSchema(CONFIG_SCHEMA);
  return ajv.getSchema(CONFIG_SCHEMA_ID)!;
}

const validators = new WeakMap<WireSchemas, ReturnType<typeof compileValidator>>();

interface RawRetry {
  initial_ms: number;
  max_ms: number;
  factor: number;
  jitter: number;
  max_attempts: number;
  timeout_ms: number;
}
interface RawTarget {
  name: string;
  url: string;
  events?: SubscribeItem[];
  batch: { max_events: number; max_bytes: number; linger_ms: number };
  headers: Record<string, string>;
  secret?: string;
  secret_env?: string;
  queue_frames: number;
  retry?: Partial<RawRetry>;
}
interface RawConfig {
  gateway: { url: string; channel: Channel; subscription?: Subscription };
  start: "latest" | "earliest";
  state_dir: string;
  log_level: string;
  shutdown_timeout_ms: number;
  admin: { host: string; port: number };
  status_poll_ms: number;
  retry: RawRetry;
  targets: RawTarget[];
}

/** Reads, validates and resolves the config file at `file`. */
export function loadConfig(file: string, wire: WireSchemas, env: NodeJS.ProcessEnv = process.env): RelayConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(file, "", `cannot read the config file: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, "", `not valid JSON: ${(err as Error).message}`);
  }
  return parseConfig(data, file, wire, env);
}

/** Validates and resolves config data (already parsed JSON) that came from `file`. */
export function parseConfig(data: unknown, file: string, wire: WireSchemas, env: NodeJS.ProcessEnv = process.env): RelayConfig {
  let validator = validators.get(wire);
  if (!validator) validators.set(wire, (validator = compileValidator(wire)));
  if (!validator(data)) {
    const problem = describeAjvError(validator.errors ?? [], data);
    throw new ConfigError(file, problem.path, problem.message);
  }
  const raw = data as RawConfig;
  const subscription = raw.gateway.subscription ?? [...CHANNEL_SUBSCRIPTIONS[raw.gateway.channel]];
  checkSubscription(file, subscription);
  const names = new Set<string>();
  const targets = raw.targets.map((t, i): TargetConfig => {
    const at = `targets[${i}]`;
    if (names.has(t.name)) throw new ConfigError(file, `${at}.name`, `"${t.name}" is used by another target; names must be unique`);
    names.add(t.name);
    return {
      name: t.name,
      url: t.url,
      subscription: narrow(file, at, subscription, t.events),
      batch: { maxEvents: t.batch.max_events, maxBytes: t.batch.max_bytes, lingerMs: t.batch.linger_ms },
      headers: t.headers,
      secret: secretOf(file, at, t, env),
      queueFrames: t.queue_frames,
      retry: retryOf({ ...raw.retry, ...t.retry }),
    };
  });
  return {
    file,
    gatewayUrl: raw.gateway.url,
    channel: raw.gateway.channel,
    start: raw.start,
    stateDir: resolve(dirname(file), raw.state_dir),
    logLevel: raw.log_level,
    shutdownTimeoutMs: raw.shutdown_timeout_ms,
    admin: raw.admin,
    statusPollMs: raw.status_poll_ms,
    targets,
  };
}

function retryOf(r: RawRetry): RetryPolicy {
  return { initialMs: r.initial_ms, maxMs: r.max_ms, factor: r.factor, jitter: r.jitter, maxAttempts: r.max_attempts, timeoutMs: r.timeout_ms };
}

function secretOf(file: string, at: string, t: RawTarget, env: NodeJS.ProcessEnv): string | null {
  if (t.secret !== undefined && t.secret_env !== undefined) throw new ConfigError(file, at, "give secret or secret_env, not both");
  if (t.secret_env === undefined) return t.secret ?? null;
  const value = env[t.secret_env];
  if (value === undefined || value.length < 16)
    throw new ConfigError(file, `${at}.secret_env`, `environment variable ${t.secret_env} ${value === undefined ? "is not set" : "is shorter than 16 characters"}; it must hold the signing secret`);
  return value;
}

const itemsOf = (s: Subscription): SubscribeItem[] => (Array.isArray(s) ? s : s.events);

/** The rules of the gateway's subscription compiler that its schema cannot express. */
function checkSubscription(file: string, s: Subscription): void {
  if (Array.isArray(s)) return;
  const listed = new Set<string>(s.events);
  (s.filters ?? []).forEach((f, i) => {
    if (!listed.has(f.event_name))
      throw new ConfigError(file, `gateway.subscription.filters[${i}].event_name`, `"${f.event_name}" is not in gateway.subscription.events; a filter must target a listed item (listed: ${s.events.join(", ")})`);
    ((f.field_filters ?? []) as { filter: unknown }[]).forEach((ff, j) => {
      const r = ff.filter as { min?: number | null; max?: number | null };
      if (r.min != null && r.max != null && r.min > r.max)
        throw new ConfigError(file, `gateway.subscription.filters[${i}].field_filters[${j}].filter`, `min (${r.min}) must not exceed max (${r.max})`);
    });
  });
}

/** The subscription narrowed to a target's events; they must be items of the subscription. */
function narrow(file: string, at: string, s: Subscription, events: SubscribeItem[] | undefined): Subscription {
  if (events === undefined) return s;
  const available = itemsOf(s);
  events.forEach((e, i) => {
    if (!available.includes(e)) throw new ConfigError(file, `${at}.events[${i}]`, `"${e}" is not in the gateway subscription; valid: ${available.join(", ")}`);
  });
  if (Array.isArray(s)) return [...events];
  const adv: AdvancedSubscription = { events: [...events] };
  const filters = (s.filters ?? []).filter((f) => events.includes(f.event_name as SubscribeItem));
  if (filters.length > 0) adv.filters = filters;
  if (s.min_stage !== undefined) adv.min_stage = s.min_stage;
  return adv;
}
