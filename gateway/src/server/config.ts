// `monad-gateway serve` settings: each from a flag, else an environment variable, else its default,
// validated with an error that names the setting, what was given and what is valid.
import { parseArgs } from "node:util";
import { UsageError } from "../cli/usage-error.js";
import { DEFAULT_RING_NAME } from "../ring/ring-source.js";

interface NumberSetting {
  kind: "number";
  flag: string;
  env: string;
  default: number;
  min: number;
  max?: number;
  integer?: boolean;
  help: string;
}
interface StringSetting {
  kind: "string";
  flag: string;
  env: string;
  default: string;
  help: string;
  choices?: readonly string[];
}
type Setting = NumberSetting | StringSetting;

const SETTINGS = {
  ring: { kind: "string", flag: "ring", env: "MONAD_GATEWAY_RING", default: DEFAULT_RING_NAME, help: "ring path, or name under the hugetlbfs mount's event-rings/" },
  replay: { kind: "string", flag: "replay", env: "MONAD_GATEWAY_REPLAY", default: "", help: "replay this snapshot into an embedded ring instead of reading a node's ring" },
  replaySpeed: { kind: "number", flag: "replay-speed", env: "MONAD_GATEWAY_REPLAY_SPEED", default: 1, min: 0, help: "with --replay: 1 = original pace, 0 = flat out" },
  host: { kind: "string", flag: "host", env: "HOST", default: "0.0.0.0", help: "address to listen on" },
  port: { kind: "number", flag: "port", env: "PORT", default: 8443, min: 0, max: 65535, integer: true, help: "port for WebSocket and REST (0 = any free port)" },
  resumeFrames: { kind: "number", flag: "resume-buffer", env: "MONAD_GATEWAY_RESUME_BUFFER", default: 100_000, min: 1, integer: true, help: "frames kept for resume" },
  resumeBytes: { kind: "number", flag: "resume-buffer-mib", env: "MONAD_GATEWAY_RESUME_BUFFER_MIB", default: 1024, min: 1, help: "memory bound of the resume buffer, MiB" },
  resumePrefaultMib: { kind: "number", flag: "resume-prefault-mib", env: "MONAD_GATEWAY_RESUME_PREFAULT_MIB", default: 0, min: 0, integer: true, help: "frame memory to map and fault in at start, MiB (at most --resume-buffer-mib): the window's first fill then takes no page faults" },
  frameEvents: { kind: "number", flag: "frame-events", env: "MONAD_GATEWAY_FRAME_EVENTS", default: 256, min: 1, max: 65_536, integer: true, help: "most events per Events frame (fewer: lower latency per event, more frames)" },
  clientQueue: { kind: "number", flag: "client-queue", env: "MONAD_GATEWAY_CLIENT_QUEUE", default: 4096, min: 1, integer: true, help: "frames a slow client may fall behind before drops" },
  dropLimit: { kind: "number", flag: "drop-limit", env: "MONAD_GATEWAY_DROP_LIMIT", default: 10_000, min: 1, integer: true, help: "drops after which a slow client is disconnected" },
  warnEvery: { kind: "number", flag: "warn-every", env: "MONAD_GATEWAY_WARN_EVERY", default: 1000, min: 1, integer: true, help: "drops between Warning frames" },
  maxConnectionsPerIp: { kind: "number", flag: "max-connections-per-ip", env: "MONAD_GATEWAY_MAX_CONNECTIONS_PER_IP", default: 10, min: 1, integer: true, help: "WebSocket connections per client IP (HTTP 429 beyond)" },
  trustedProxies: { kind: "string", flag: "trusted-proxies", env: "MONAD_GATEWAY_TRUSTED_PROXIES", default: "", help: "comma-separated proxy IPs whose X-Forwarded-For is believed" },
  maxMessageBytes: { kind: "number", flag: "max-message-bytes", env: "MONAD_GATEWAY_MAX_MESSAGE_BYTES", default: 65_536, min: 256, integer: true, help: "largest client message" },
  subscribesPerMinute: { kind: "number", flag: "subscribes-per-minute", env: "MONAD_GATEWAY_SUBSCRIBES_PER_MINUTE", default: 60, min: 1, integer: true, help: "subscribe messages per client per minute" },
  heartbeatSecs: { kind: "number", flag: "heartbeat", env: "MONAD_GATEWAY_HEARTBEAT_SECS", default: 30, min: 4, integer: true, help: "seconds of silence before a ping (closed after twice this)" },
  staleSecs: { kind: "number", flag: "stale-after", env: "MONAD_GATEWAY_STALE_SECS", default: 10, min: 1, help: "seconds without ring events before /health reports unhealthy" },
  logLevel: { kind: "string", flag: "log-level", env: "LOG_LEVEL", default: "info", choices: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], help: "pino log level" },
} satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
export type GatewayConfig = { [K in keyof Settings]: Settings[K] extends NumberSetting ? number : string } & {
  /** Run the embedded simulator instead of reading a node's ring. */
  sim: boolean;
};

export function configUsage(): string {
  const lines = Object.values(SETTINGS as Record<string, Setting>).map((s) => {
    const left = `  --${s.flag} <${s.kind === "number" ? "n" : "value"}>`;
    return `${left.padEnd(34)} ${s.help} (env ${s.env}, default ${s.default === "" ? "none" : s.default})`;
  });
  return ["  --sim".padEnd(35) + "run the embedded chain simulator (no Monad node needed)", ...lines].join("\n");
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const options: Record<string, { type: "string" | "boolean" }> = { sim: { type: "boolean" } };
  for (const s of Object.values(SETTINGS as Record<string, Setting>)) options[s.flag] = { type: "string" };
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; serve takes only options`);
  const out: Record<string, unknown> = { sim: values.sim === true };
  for (const [key, s] of Object.entries(SETTINGS as Record<string, Setting>)) {
    const flagValue = values[s.flag] as string | undefined;
    const raw = flagValue ?? env[s.env];
    const source = flagValue !== undefined ? `--${s.flag}` : `$${s.env}`;
    out[key] = raw === undefined || raw === "" ? s.default : s.kind === "number" ? checkNumber(s, raw, source) : checkString(s, raw, source);
  }
  const cfg = out as GatewayConfig;
  if (cfg.sim && cfg.replay) throw new UsageError("give --sim or --replay, not both");
  if (cfg.resumePrefaultMib > cfg.resumeBytes)
    throw new UsageError(`--resume-prefault-mib (${cfg.resumePrefaultMib}) must not exceed --resume-buffer-mib (${cfg.resumeBytes}): memory beyond the resume buffer's bound would never be used`);
  return cfg;
}

function checkNumber(s: NumberSetting, raw: string, source: string): number {
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v) || (s.integer && !Number.isInteger(v)) || v < s.min || (s.max !== undefined && v > s.max)) {
    const what = `${s.integer ? "an integer" : "a number"} >= ${s.min}${s.max !== undefined ? ` and <= ${s.max}` : ""}`;
    throw new UsageError(`${source} must be ${what}, got "${raw}"`);
  }
  return v;
}

function checkString(s: StringSetting, raw: string, source: string): string {
  if (s.choices && !s.choices.includes(raw)) throw new UsageError(`${source} must be one of ${s.choices.join(", ")}, got "${raw}"`);
  return raw;
}
