// Measures the gateway's own event feed as a service: delivery latency (receive time minus each
// frame's newest event timestamp_ns), connection uptime, lost frames (the SDK's gap events) as
// errors, and latency jitter.
import { GatewayClient, toBigInt, type ExecEvent } from "@monad-gateway/sdk";
import type { ServiceSamples } from "./service-samples.js";

/** A gap whose size is unknown (a restart, a cursor the gateway no longer holds) counts this many frames. */
const UNKNOWN_GAP_FRAMES = 1;

export class FeedProbe {
  private client: GatewayClient | undefined;
  framesReceived = 0;
  framesLost = 0;

  constructor(
    private readonly url: string,
    private readonly samples: ServiceSamples,
    private readonly now: () => number,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    const client = new GatewayClient({
      url: this.url,
      channel: "blocks",
      subscription: ["BlockStart", "BlockEnd", "BlockQC", "BlockFinalized"],
      backoff: { initialMs: 250, maxMs: 5000 },
      heartbeatTimeout: 5000,
      clientName: "sla-agent feed monitor",
    });
    this.client = client;
    client.on("connected", () => this.samples.setUp(this.now(), true));
    client.on("disconnected", () => this.samples.setUp(this.now(), false));
    client.on("events", (events: ExecEvent[], info) => {
      if (info.source !== "live") return; // replays and snapshots measure the past, not delivery
      this.framesReceived++;
      const newest = events.reduce((m, e) => (toBigInt(e.timestamp_ns) > m ? toBigInt(e.timestamp_ns) : m), 0n);
      const latencyMs = Math.max(0, Date.now() - Number(newest / 1_000_000n));
      this.samples.add({ t: this.now(), up: true, error: false, latencyMs });
    });
    client.on("gap", (gap) => {
      const lost = gap.count ?? rangeSize(gap.ranges) ?? UNKNOWN_GAP_FRAMES;
      this.framesLost += lost;
      const t = this.now();
      for (let i = 0; i < Math.min(lost, 10_000); i++) this.samples.add({ t, up: true, error: true });
    });
    client.on("error", (e) => {
      if (e.name !== "GatewayConnectionError") this.onError(e);
    });
    // The first attempt may fail; the client keeps retrying in the background (uptime shows it).
    await client.connect().catch(() => undefined);
  }

  stop(): void {
    this.client?.disconnect();
  }
}

function rangeSize(ranges: { from: unknown; to?: unknown }[]): number | undefined {
  let n = 0;
  for (const r of ranges) {
    if (r.to === undefined) return undefined;
    n += Number(toBigInt(r.to as number) - toBigInt(r.from as number) + 1n);
  }
  return n > 0 ? n : undefined;
}
