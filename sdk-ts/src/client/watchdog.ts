// Detects a dead connection: one that delivers nothing (no frame, no ping, no pong) for too long.
//
// A quiet subscription is not a dead connection, so where the transport can ping (Node's `ws`) the
// watchdog probes after half the timeout of silence, and only a connection that does not even
// answer a ping within the timeout is declared dead. Browsers hide ping frames; there the timeout
// is stretched to the server's heartbeat timeout (Hello.limits.heartbeat_timeout_secs), and a quiet
// but healthy connection may be recycled, which costs nothing but a reconnect (resume replays).

import type { ServerHello } from "../generated/index.js";

export interface WatchdogTarget {
  readonly canPing: boolean;
  ping(): void;
  dead(silentMs: number): void;
}

export class Watchdog {
  private last = Date.now();
  private timer: ReturnType<typeof setInterval> | null = null;
  private serverTimeoutMs = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly target: WatchdogTarget,
  ) {}

  /** Effective silence limit, ms. */
  get limitMs(): number {
    return this.target.canPing ? this.timeoutMs : Math.max(this.timeoutMs, this.serverTimeoutMs);
  }

  start(): void {
    if (this.timeoutMs <= 0 || this.timer) return;
    this.last = Date.now();
    this.timer = setInterval(() => this.check(), Math.max(50, Math.floor(this.timeoutMs / 4)));
    (this.timer as { unref?: () => void }).unref?.(); // never keep a Node process alive by itself
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  traffic(): void {
    this.last = Date.now();
  }

  serverLimits(hello: ServerHello): void {
    this.serverTimeoutMs = hello.limits.heartbeat_timeout_secs * 1000;
  }

  private check(): void {
    const silent = Date.now() - this.last;
    if (silent >= this.limitMs) {
      this.stop();
      this.target.dead(silent);
    } else if (this.target.canPing && silent >= this.timeoutMs / 2) {
      this.target.ping();
    }
  }
}
