// GatewayClient options: the old SDK's names (url, channel, autoReconnect, reconnectDelay,
// maxReconnectDelay, maxReconnectAttempts, heartbeatTimeout) plus the new ones, resolved and
// validated once so the client reads plain values.

import { CHANNELS } from "../generated/constants.js";
import type { AdvancedSubscription, Channel, SimpleSubscription } from "../generated/index.js";
import type { WebSocketConstructor } from "../transport/websocket.js";
import type { Int } from "../u64.js";
import { checkBackoff, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";

export type Subscription = SimpleSubscription | AdvancedSubscription;

export interface GatewayClientOptions {
  /** Gateway URL: "ws://host:8443" (http/https work too). A URL with a path is used as it is. */
  url: string;
  /** Channel (route) to connect to; default "all". It sets the subscription until you subscribe. */
  channel?: Channel;
  /** Subscription in effect from the first frame (sent as ?subscribe=, so replays are filtered too). */
  subscription?: Subscription;
  /** Reconnect after a lost connection, resuming where the client was; default true. */
  autoReconnect?: boolean;
  /** Reconnect delays; defaults { initialMs: 1000, maxMs: 30000, factor: 2, jitter: 0.5 }. */
  backoff?: Partial<BackoffOptions>;
  /** Old SDK name for backoff.initialMs. */
  reconnectDelay?: number;
  /** Old SDK name for backoff.maxMs. */
  maxReconnectDelay?: number;
  /** Consecutive failed reconnects before giving up (an "error" event); default Infinity. */
  maxReconnectAttempts?: number;
  /** A connection silent this long (ms) is presumed dead and replaced; default 10000, 0 disables. */
  heartbeatTimeout?: number;
  /** A connection attempt not open after this long (ms) is abandoned and retried; default 10000. */
  connectTimeout?: number;
  /** Start from this cursor (a server_seqno seen earlier) instead of the current state. */
  resumeFrom?: Int;
  /** The epoch resumeFrom belongs to (Hello.epoch of the run it came from). */
  epoch?: string;
  /** WebSocket implementation; default `ws` under Node, the global WebSocket elsewhere. */
  WebSocket?: WebSocketConstructor;
  /** Sent in the hello message (the gateway logs it); default "@monad-gateway/sdk". */
  clientName?: string;
}

export interface ResolvedOptions {
  url: string;
  channel: Channel;
  subscription: Subscription | null;
  autoReconnect: boolean;
  backoff: BackoffOptions;
  maxReconnectAttempts: number;
  heartbeatTimeout: number;
  connectTimeout: number;
  resumeFrom: Int | null;
  epoch: string | null;
  WebSocket: WebSocketConstructor | undefined;
  clientName: string;
}

export function resolveOptions(o: GatewayClientOptions): ResolvedOptions {
  if (o === null || typeof o !== "object" || typeof o.url !== "string" || o.url === "")
    throw new TypeError("GatewayClient: options.url is required (e.g. ws://localhost:8443)");
  const channel = o.channel ?? "all";
  if (!(CHANNELS as readonly string[]).includes(channel))
    throw new RangeError(`GatewayClient: channel must be one of ${CHANNELS.join(", ")}, got "${channel}"`);
  const initialMs = o.backoff?.initialMs ?? o.reconnectDelay ?? DEFAULT_BACKOFF.initialMs;
  const backoff = checkBackoff({
    initialMs,
    maxMs: o.backoff?.maxMs ?? o.maxReconnectDelay ?? Math.max(DEFAULT_BACKOFF.maxMs, initialMs),
    factor: o.backoff?.factor ?? DEFAULT_BACKOFF.factor,
    jitter: o.backoff?.jitter ?? DEFAULT_BACKOFF.jitter,
  });
  const maxReconnectAttempts = o.maxReconnectAttempts ?? Infinity;
  if (!(maxReconnectAttempts >= 0)) throw new RangeError(`GatewayClient: maxReconnectAttempts must be >= 0, got ${maxReconnectAttempts}`);
  const heartbeatTimeout = o.heartbeatTimeout ?? 10_000;
  if (!(heartbeatTimeout >= 0) || !Number.isFinite(heartbeatTimeout))
    throw new RangeError(`GatewayClient: heartbeatTimeout must be a finite number >= 0 (ms), got ${heartbeatTimeout}`);
  const connectTimeout = o.connectTimeout ?? 10_000;
  if (!(connectTimeout > 0) || !Number.isFinite(connectTimeout))
    throw new RangeError(`GatewayClient: connectTimeout must be a finite number > 0 (ms), got ${connectTimeout}`);
  return {
    url: o.url,
    channel,
    subscription: o.subscription ?? null,
    autoReconnect: o.autoReconnect ?? true,
    backoff,
    maxReconnectAttempts,
    heartbeatTimeout,
    connectTimeout,
    resumeFrom: o.resumeFrom ?? null,
    epoch: o.epoch ?? null,
    WebSocket: o.WebSocket,
    clientName: o.clientName ?? "@monad-gateway/sdk",
  };
}
