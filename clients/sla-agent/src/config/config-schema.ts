// The agent's configuration file, as a JSON Schema: the one definition of what is valid (ajv checks
// it; the README's table is written from it). Stream ids are strings because they are uint256.

const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$", description: "an address (0x + 40 hex digits)" } as const;
const streamId = {
  type: "string",
  pattern: "^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$",
  description: "a stream id (uint256) as a decimal or 0x-hex string",
} as const;

const service = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64, description: "shown in logs and /status" },
    kind: { enum: ["gateway-feed", "http"], description: "gateway-feed: the gateway's own event feed; http: probe url" },
    url: { type: "string", pattern: "^https?://", description: "http services: the URL to probe" },
    method: { enum: ["GET", "HEAD", "POST"], default: "GET" },
    intervalMs: { type: "integer", minimum: 50, maximum: 600000, default: 1000, description: "http: time between probes" },
    timeoutMs: { type: "integer", minimum: 10, maximum: 600000, default: 2000, description: "http: a probe slower than this is down" },
    recipient: { ...address, description: "monitor every stream paying this address (found from StreamCreated logs)" },
    streams: { type: "array", items: streamId, maxItems: 10000, uniqueItems: true, description: "monitor these streams" },
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
    $schema: { type: "string" },
    rpc: { type: "string", pattern: "^https?://", description: "JSON-RPC endpoint of the chain (http or https)" },
    deployment: { type: "string", minLength: 1, description: "the JSON written by `monad-gateway contracts deploy` (relative to this file)" },
    gateway: { type: "string", pattern: "^(wss?|https?)://", description: "gateway URL (ws:// or http://)" },
    key: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$", description: "the agent's private key (holds AGENT_ROLE; pays gas)" },
    keyEnv: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", description: "name of an environment variable holding the key" },
    stateDir: { type: "string", minLength: 1, description: "where the refund cursor is kept (relative to this file); default sla-agent-state" },
    services: { type: "array", items: service, maxItems: 100, default: [] },
    reports: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: "boolean", default: true },
        batchSize: { type: "integer", minimum: 1, maximum: 200, default: 50, description: "signed reports per submitSignedReports transaction" },
        deadlineSeconds: { type: "integer", minimum: 10, maximum: 86400, default: 300, description: "signature validity" },
        latencyStatistic: { enum: ["mean", "p50", "p90", "p95", "p99", "max"], default: "p95" },
        minCoverage: { type: "number", minimum: 0, maximum: 1, default: 0.5, description: "report a window only if observed for this share of it" },
        checkIntervalMs: { type: "integer", minimum: 50, maximum: 60000, default: 1000, description: "how often closed windows are looked for" },
      },
    },
    refunds: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: "boolean", default: true },
        fromBlock: { type: "integer", minimum: 0, description: "first block to look for breaches in when there is no cursor (default: the oracle's deployment block)" },
        confirmations: { type: "integer", minimum: 0, maximum: 1000, default: 0, description: "backfill only blocks this far below the chain head (the live feed is Finalized already)" },
        backfillChunk: { type: "integer", minimum: 1, maximum: 100000, default: 2000, description: "blocks per eth_getLogs request" },
      },
    },
    gas: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        marginPercent: { type: "integer", minimum: 0, maximum: 100, default: 10, description: "added to eth_estimateGas (Monad charges the limit)" },
      },
    },
    status: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: "boolean", default: true },
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "integer", minimum: 0, maximum: 65535, default: 8787, description: "0: any free port (printed at start)" },
      },
    },
    logLevel: { enum: ["trace", "debug", "info", "warn", "error", "fatal", "silent"], default: "info" },
  },
  not: { required: ["key", "keyEnv"] },
} as const;
