// The relay's config after validation and defaults: what the rest of the relay reads.
import type { Channel, Subscription } from "@monad-gateway/sdk";

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
  /** 0 = until delivered. */
  maxAttempts: number;
  timeoutMs: number;
}

export interface BatchLimits {
  maxEvents: number;
  maxBytes: number;
  lingerMs: number;
}

export interface TargetConfig {
  name: string;
  url: string;
  /** The target's subscription: the gateway subscription narrowed to the target's events. */
  subscription: Subscription;
  batch: BatchLimits;
  headers: Record<string, string>;
  /** Signing secret, or null: batches are not signed. */
  secret: string | null;
  queueFrames: number;
  retry: RetryPolicy;
}

export interface RelayConfig {
  /** The file it came from (for messages). */
  file: string;
  gatewayUrl: string;
  channel: Channel;
  start: "latest" | "earliest";
  stateDir: string;
  logLevel: string;
  shutdownTimeoutMs: number;
  admin: { host: string; port: number };
  statusPollMs: number;
  targets: TargetConfig[];
}
