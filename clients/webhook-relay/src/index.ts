// @monad-gateway/webhook-relay: forwards gateway events to HTTP services (see README.md).
export { relayMain, relayUsage, RelayUsageError } from "./cli.js";
export { Relay } from "./relay.js";
export { loadConfig, parseConfig, type WireSchemas } from "./config/load-config.js";
export { ConfigError } from "./config/config-error.js";
export { CONFIG_SCHEMA } from "./config/config-schema.js";
export type { RelayConfig, TargetConfig, RetryPolicy, BatchLimits } from "./config/types.js";
export { verifySignature, signBody, signatureOf, SIGNATURE_HEADER, TIMESTAMP_HEADER, IDEMPOTENCY_HEADER, DEFAULT_REPLAY_WINDOW_SECS } from "./delivery/signature.js";
export { idempotencyKey } from "./delivery/batch.js";
