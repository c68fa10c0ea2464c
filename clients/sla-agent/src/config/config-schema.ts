// The agent's configuration file, as a JSON Schema: the one definition of what is valid (ajv checks
// it; the README's table is written from it). Stream ids are strings because they are uint256.

// "x-valid" says in words what a pattern accepts: the error message and the README use it.
const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$", "x-valid": "an address (0x + 40 hex digits)" } as const;
const streamId = {
  type: "string",
  pattern: "^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$",
  "x-valid": "a stream id (uint256) as a decimal or 0x-hex string",
} as const;

const service = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64, description: "unique name, shown in logs and /status" },
    kind: {
      enum: ["gateway-feed", "http"],
      description: "gateway-feed: the gateway's own block feed (`gateway`) is the service: delivery latency, connection uptime, lost frames as errors; http: `url` is probed every `intervalMs`",
    },
    url: { type: "string", pattern: "^https?://", "x-valid": "an http(s) URL", description: "the URL to probe (required for http services)" },
    method: { enum: ["GET", "HEAD", "POST"], default: "GET", description: "http: the probe's request method (an answer below 500 is a success, 5xx an error, no answer down)" },
    intervalMs: { type: "integer", minimum: 50, maximum: 600000, default: 1000, description: "http: time between probes" },
    timeoutMs: { type: "integer", minimum: 10, maximum: 600000, default: 2000, description: "http: a probe slower than this is down" },
    recipient: { ...address, description: "monitor every stream paying this address, found from StreamCreated logs and followed as new ones appear (a service needs `recipient`, `streams` or both)" },
    streams: { type: "array", items: streamId, maxItems: 10000, uniqueItems: true, description: "monitor these streams (ids as decimal or 0x-hex strings); with `recipient`, both sets" },
  },
  anyOf: [{ required: ["recipient"] }, { required: ["streams"] }],
  if: { properties: { kind: { const: "http" } } },
  then: { required: ["url"] },
} as const;

export const configSchema = {
  $id: "https://schemas.monad-gateway.invalid/sla-agent/config.json",
  title: "SLA agent configuration",
  type: "object",
  additionalProperties: false,
  required: ["rpc", "deployment", "gateway"],
  properties: {
    $schema: { type: "string", description: "ignored (lets an editor find the schema)" },
    rpc: { type: "string", pattern: "^https?://", "x-valid": "an http(s) URL", description: "JSON-RPC endpoint of the chain (http or https)" },
    deployment: { type: "string", minLength: 1, description: "the JSON written by `monad-gateway contracts deploy` (relative to this file)" },
    gateway: { type: "string", pattern: "^(wss?|https?)://", "x-valid": "a ws(s):// or http(s):// URL", description: "gateway URL (ws(s):// or http(s)://): the RefundExecutor's SLABreached feed and the gateway-feed services" },
    key: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$", "x-valid": "a private key (0x + 64 hex digits)", description: "the agent's private key (0x + 64 hex; holds AGENT_ROLE; pays gas). Default: the environment variable SLA_AGENT_KEY" },
    keyEnv: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", "x-valid": "an environment variable name (letters, digits, _; not starting with a digit)", description: "name of an environment variable holding the key (instead of `key`; not both)" },
    stateDir: { type: "string", minLength: 1, default: "sla-agent-state", description: "folder of the refund cursor (refund-cursor.json), relative to this file; created if missing" },
    services: { type: "array", items: service, maxItems: 100, default: [], description: "what the SLAMonitor measures and reports (up to 100); none: the agent only refunds" },
    reports: {
      type: "object",
      description: "the SLAMonitor's signed reports to the AgentOracle",
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: "boolean", default: true, description: "false: measure only (nothing is submitted; /status still shows the measurements)" },
        submit: {
          enum: ["all", "breaches"],
          default: "all",
          description: "all: every closed window (within-SLA windows leave a MetricsReported record on chain); breaches: only windows that breach the SLA (saves ~65k gas per window)",
        },
        batchSize: { type: "integer", minimum: 1, maximum: 200, default: 50, description: "signed reports per submitSignedReports transaction" },
        deadlineSeconds: { type: "integer", minimum: 10, maximum: 86400, default: 300, description: "seconds each report signature stays valid (the oracle refuses it after)" },
        latencyStatistic: { enum: ["mean", "p50", "p90", "p95", "p99", "max"], default: "p95", description: "the window's latency figure (percentiles by nearest rank)" },
        minCoverage: { type: "number", minimum: 0, maximum: 1, default: 0.5, description: "report a window only if the agent watched this share of it (a window the agent was down for is skipped, not reported as an outage)" },
        checkIntervalMs: { type: "integer", minimum: 50, maximum: 60000, default: 1000, description: "ms between looks for closed windows" },
      },
    },
    refunds: {
      type: "object",
      description: "the RefundExecutor",
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: "boolean", default: true, description: "false: no refunds (reporting only)" },
        fromBlock: { type: "integer", minimum: 0, description: "first block to look for breaches in when there is no cursor (default: the oracle's deployment block)" },
        confirmations: { type: "integer", minimum: 0, maximum: 1000, default: 0, description: "backfill only blocks this far below the chain head (the live feed is Finalized already)" },
        backfillChunk: { type: "integer", minimum: 1, maximum: 100000, default: 2000, description: "blocks per eth_getLogs request" },
      },
    },
    gas: {
      type: "object",
      description: "transactions the agent sends",
      additionalProperties: false,
      default: {},
      properties: {
        marginPercent: { type: "integer", minimum: 0, maximum: 100, default: 10, description: "added to eth_estimateGas (Monad charges the limit)" },
      },
    },
    status: {
      type: "object",
      description: "the status API (GET /health, GET /status)",
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: "boolean", default: true, description: "false: no status API" },
        host: { type: "string", default: "127.0.0.1", description: "address to listen on" },
        port: { type: "integer", minimum: 0, maximum: 65535, default: 8787, description: "0: any free port (printed at start)" },
      },
    },
    logLevel: { enum: ["trace", "debug", "info", "warn", "error", "fatal", "silent"], default: "info", description: "pino log level (JSON lines on stdout)" },
  },
  not: { required: ["key", "keyEnv"] },
} as const;
