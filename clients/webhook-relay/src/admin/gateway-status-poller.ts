// The gateway's newest seqno (from its /v1/status), polled for the `lag_seqnos` of /stats. A failed
// poll leaves the last answer in place; lag is then reported against it.
import { fetchStatus } from "@monad-gateway/sdk";
import type { Logger } from "pino";

export interface GatewayPosition {
  epoch: string;
  newest: number;
  at: number;
}

export class GatewayStatusPoller {
  private latest: GatewayPosition | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private failing = false;

  constructor(
    private readonly url: string,
    private readonly everyMs: number,
    private readonly log: Logger,
  ) {}

  get position(): GatewayPosition | null {
    return this.latest;
  }

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    try {
      const s = await fetchStatus(this.url, { timeoutMs: Math.max(1000, this.everyMs) });
      this.latest = { epoch: s.epoch, newest: Number(s.newest_seqno), at: Date.now() };
      if (this.failing) this.log.info("gateway status reachable again");
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log.warn({ err: (err as Error).message }, "cannot read the gateway's status (lag_seqnos may be stale)");
      this.failing = true;
    }
  }
}
