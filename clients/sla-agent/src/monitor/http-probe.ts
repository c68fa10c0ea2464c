// Probes an HTTP service at a fixed interval. An answer below 500 is a success; a 5xx answer is up
// but an error; no answer within the timeout (or a refused connection) is down and an error. A
// timed-out probe's latency is the timeout: a lower bound of what the caller would have waited.
import type { ServiceConfig } from "../config/load-config.js";
import type { ServiceSamples } from "./service-samples.js";

export class HttpProbe {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly service: ServiceConfig,
    private readonly samples: ServiceSamples,
    private readonly now: () => number,
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      // A hung service must not pile up probes: at most two in flight.
      if (this.inFlight < 2) void this.probe();
      this.timer = setTimeout(tick, this.service.intervalMs);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async probe(): Promise<void> {
    this.inFlight++;
    const t = this.now();
    const started = performance.now();
    const abort = new AbortController();
    const timeout = setTimeout(() => abort.abort(), this.service.timeoutMs);
    try {
      const res = await fetch(this.service.url!, { method: this.service.method, signal: abort.signal, headers: { "user-agent": "monad-gateway-sla-agent" } });
      await res.arrayBuffer();
      const latencyMs = performance.now() - started;
      this.samples.add({ t, up: true, error: res.status >= 500, latencyMs });
    } catch {
      const timedOut = abort.signal.aborted;
      this.samples.add({ t, up: false, error: true, latencyMs: timedOut ? this.service.timeoutMs : undefined });
    } finally {
      clearTimeout(timeout);
      this.inFlight--;
    }
  }
}
