// @monad-gateway/sdk: a client for the Monad execution events gateway (Node and browsers).
//
// Integers: every 64/128-bit value (timestamp_ns, seqnos, block numbers...) is a number when it is
// a safe integer and a bigint when it is larger, so nothing is ever rounded; use stringifyJson (not
// JSON.stringify, which throws on bigints) to serialize what the SDK returns.

export { GatewayClient, type ClientStats, type ExecEventOf } from "./client/gateway-client.js";
export type { ClientFrame, IteratorOptions } from "./client/consumers.js";
export type { DisconnectInfo, FrameInfo, FrameSource, Gap, GapReason, GatewayClientEvents, SeqnoRange, StreamFrame } from "./client/events.js";
export type { GatewayClientOptions, Subscription } from "./client/options.js";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./client/backoff.js";
export { restBase, websocketUrl, type ConnectQuery } from "./client/urls.js";
export type { WebSocketConstructor, WebSocketLike } from "./transport/websocket.js";
export { fetchBlockLifecycle, fetchContention, fetchHealth, fetchLifecycle, fetchStatus, fetchTPS, getJson, type RestOptions } from "./rest.js";
export { GatewayConnectionError, GatewayHttpError, GatewayProtocolError } from "./errors.js";
export { parseJson } from "./json/parse.js";
export { stringifyJson } from "./json/stringify.js";
export { decrement, increment, intEquals, normalizeInt, parseInt64, toBigInt, type Int } from "./u64.js";
export { SDK_VERSION } from "./version.js";
export * from "./generated/constants.js";
export type * from "./generated/index.js";
export type * from "./legacy-types.js";
