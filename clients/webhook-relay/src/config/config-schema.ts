// The relay's config file, as a JSON Schema (draft-07, like the wire protocol's): the one source of
// truth for what a config may contain. load-config.ts validates with it (ajv, defaults filled in),
// and the README's config reference is generated from it (scripts/gen-readme-config.mjs).
// `subscription` refers to the gateway's own subscribe schema (handed in by the gateway's CLI, see
// WireSchemas in load-config.ts), so a config accepts exactly what the gateway accepts.

const WIRE = "https://schemas.monad-gateway.invalid/wire/v1";
export const CONFIG_SCHEMA_ID = "https://schemas.monad-gateway.invalid/webhook-relay/v1/config.json";

const TARGET_NAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

const retryProperties = {
  initial_ms: { type: "integer", minimum: 1, default: 500, description: "Delay before the first retry, ms." },
  max_ms: { type: "integer", minimum: 1, default: 30000, description: "Longest delay between retries, ms." },
  factor: { type: "number", minimum: 1, default: 2, description: "Each delay is the previous one times this (exponential backoff)." },
  jitter: {
    type: "number",
    minimum: 0,
    maximum: 1,
    default: 0.5,
    description: "Random share of each delay: a delay d becomes d × (1 − jitter × r), r uniform in [0, 1).",
  },
  max_attempts: {
    type: "integer",
    minimum: 0,
    default: 0,
    description:
      "Attempts per batch before it is dead-lettered as `retries_exhausted`; 0 = retry until delivered (the default: a receiver that is down is waited for, within the gateway's resume window).",
  },
  timeout_ms: { type: "integer", minimum: 1, default: 10000, description: "A POST without a complete answer after this long counts as failed (and is retried)." },
} as const;

/** A target's retry keys inherit the top-level ones, so they carry no defaults of their own. */
const retryOverrides = Object.fromEntries(Object.entries(retryProperties).map(([k, { default: _d, ...rest }]) => [k, rest]));

export const CONFIG_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: CONFIG_SCHEMA_ID,
  title: "webhook relay config",
  description: "Config file of `monad-gateway relay --config FILE` (JSON).",
  type: "object",
  additionalProperties: false,
  required: ["gateway", "state_dir", "targets"],
  properties: {
    gateway: {
      type: "object",
      additionalProperties: false,
      required: ["url"],
      description: "The gateway to read from. Every target runs its own connection with these settings.",
      properties: {
        url: { type: "string", pattern: "^(wss?|https?)://[^/]", description: "Gateway URL, e.g. ws://localhost:8443 (http(s) works too)." },
        channel: {
          type: "string",
          enum: ["all", "blocks", "txs", "contention", "lifecycle"],
          default: "all",
          description: "Channel (route); sets the subscription when `subscription` is absent.",
        },
        subscription: {
          description:
            "What to receive, in the shape of the gateway's subscribe message (a list of items, or {events, filters?, min_stage?}); see gateway/docs/wire-protocol.md §4. Default: the channel's subscription.",
          oneOf: [{ $ref: `${WIRE}/subscribe.json#/definitions/SimpleSubscription` }, { $ref: `${WIRE}/subscribe.json#/definitions/AdvancedSubscription` }],
        },
      },
    },
    start: {
      type: "string",
      enum: ["latest", "earliest"],
      default: "latest",
      description:
        "Where a target without a saved cursor begins: `latest` = frames from now on; `earliest` = everything the gateway's resume buffer still holds.",
    },
    state_dir: {
      type: "string",
      minLength: 1,
      description: "Directory for cursors (`<target>.cursor.json`) and dead letters (`<target>.dlq.ndjson`); created if missing. Relative paths are relative to the config file.",
    },
    log_level: { type: "string", enum: ["fatal", "error", "warn", "info", "debug", "trace", "silent"], default: "info", description: "pino log level (logs go to stdout as JSON lines)." },
    shutdown_timeout_ms: {
      type: "integer",
      minimum: 0,
      default: 10000,
      description: "On SIGTERM/SIGINT, how long in-flight and lingering batches may take to deliver before the relay exits anyway (their frames are redelivered after a restart).",
    },
    admin: {
      type: "object",
      additionalProperties: false,
      default: {},
      description: "The admin HTTP API (/health, /stats, /dlq).",
      properties: {
        host: { type: "string", default: "127.0.0.1", description: "Address to listen on." },
        port: { type: "integer", minimum: 0, maximum: 65535, default: 9465, description: "Port (0 = any free port; the port is printed on stderr)." },
      },
    },
    status_poll_ms: {
      type: "integer",
      minimum: 100,
      default: 2000,
      description: "How often the relay asks the gateway's /v1/status for its newest seqno (for `lag_seqnos` in /stats).",
    },
    retry: {
      type: "object",
      additionalProperties: false,
      default: {},
      description: "Retry policy of every target (a target's own `retry` overrides keys of it).",
      properties: retryProperties,
    },
    targets: {
      type: "array",
      minItems: 1,
      description: "HTTP services to POST batches to. Each has its own connection, cursor, queue and dead-letter log.",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "url"],
        properties: {
          name: { type: "string", pattern: TARGET_NAME, description: "Unique name: letters, digits, `_`, `.`, `-` (up to 64); names the state files." },
          url: { type: "string", pattern: "^https?://[^/]", description: "URL batches are POSTed to." },
          events: {
            type: "array",
            minItems: 1,
            uniqueItems: true,
            items: { $ref: `${WIRE}/common.json#/definitions/SubscribeItem` },
            description: "Only these items of the subscription (event names, TPS, ContentionData, TopAccesses, Lifecycle, NativeTransfer). Default: all of it.",
          },
          batch: {
            type: "object",
            additionalProperties: false,
            default: {},
            description: "When a batch is sent: at max_events or max_bytes, or linger_ms after its first frame, whichever comes first. Frames are never split.",
            properties: {
              max_events: { type: "integer", minimum: 1, default: 500, description: "Events per batch (a non-Events frame counts as one)." },
              max_bytes: { type: "integer", minimum: 1024, default: 1048576, description: "Body size per batch, bytes (a single larger frame is sent alone)." },
              linger_ms: { type: "integer", minimum: 0, default: 200, description: "How long a batch waits for more frames, ms." },
            },
          },
          headers: {
            type: "object",
            additionalProperties: { type: "string" },
            default: {},
            description: "Extra request headers (e.g. Authorization).",
          },
          secret: { type: "string", minLength: 16, description: "HMAC-SHA256 signing secret (at least 16 characters). Give this or `secret_env`; without either, batches are not signed." },
          secret_env: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", description: "Name of an environment variable holding the signing secret." },
          queue_frames: {
            type: "integer",
            minimum: 1,
            default: 256,
            description: "Frames buffered for this target before its connection pauses (the gateway keeps the rest). Bounds the target's memory.",
          },
          retry: { type: "object", additionalProperties: false, properties: retryOverrides, description: "Overrides of the top-level `retry` for this target." },
        },
      },
    },
  },
} as const;
