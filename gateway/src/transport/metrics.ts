// Prometheus metrics (prom-client) on a registry of our own, so embedding never collides.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly eventsIn = new Counter({ name: "monad_gateway_events_in_total", help: "Ring events read and decoded", registers: [this.registry] });
  readonly decodeErrors = new Counter({ name: "monad_gateway_decode_errors_total", help: "Ring events that could not be decoded (skipped)", registers: [this.registry] });
  readonly ringGaps = new Counter({ name: "monad_gateway_ring_gaps_total", help: "Times the ring writer lapped the reader (events lost)", registers: [this.registry] });
  readonly ringLostEvents = new Counter({ name: "monad_gateway_ring_lost_events_total", help: "Events lost to ring gaps and expired payloads", registers: [this.registry] });
  readonly framesPublished = new Counter({ name: "monad_gateway_frames_published_total", help: "Stream frames published", labelNames: ["kind"], registers: [this.registry] });
  // Sends are counted in plain numbers on the hot path (one per frame per client) and handed to
  // prom-client when scraped.
  private sentFrames = 0;
  private sentBytes = 0;
  readonly framesOut = new Counter({ name: "monad_gateway_frames_out_total", help: "Frames written to client sockets", registers: [this.registry], collect: () => this.drainSends() });
  readonly bytesOut = new Counter({ name: "monad_gateway_bytes_out_total", help: "Bytes written to client sockets", registers: [this.registry], collect: () => this.drainSends() });
  readonly drops = new Counter({ name: "monad_gateway_frames_dropped_total", help: "Frames dropped for slow clients", registers: [this.registry] });
  readonly slowDisconnects = new Counter({ name: "monad_gateway_slow_client_disconnects_total", help: "Clients closed for dropping too many frames", registers: [this.registry] });
  readonly disconnects = new Counter({ name: "monad_gateway_disconnects_total", help: "Client disconnections", registers: [this.registry] });
  readonly clients = new Gauge({ name: "monad_gateway_clients", help: "Connected clients per channel", labelNames: ["channel"], registers: [this.registry] });
  readonly ringLag = new Gauge({ name: "monad_gateway_ring_lag_events", help: "Events recorded by the writer but not yet read", registers: [this.registry] });
  readonly resumeFrames = new Gauge({ name: "monad_gateway_resume_buffer_frames", help: "Frames held for resume", registers: [this.registry] });
  readonly resumeBytes = new Gauge({ name: "monad_gateway_resume_buffer_bytes", help: "Bytes held for resume", registers: [this.registry] });
  readonly frameMemory = new Gauge({
    name: "monad_gateway_frame_memory_bytes",
    help: "Frame memory (resident slabs): in_use = mapped and viewed by frames or ready, free = freed and kept for reuse",
    labelNames: ["state"],
    registers: [this.registry],
  });
  readonly frameMemoryFallbacks = new Gauge({
    name: "monad_gateway_frame_memory_fallbacks",
    help: "Frames copied into plain (not yet resident) memory because no slab was ready, since start",
    registers: [this.registry],
  });
  readonly frameMemoryGcExempt = new Gauge({
    name: "monad_gateway_frame_memory_gc_exempt_bytes",
    help: "Frame memory in use that V8's external-memory count leaves out, so that it starts no full GC (slabs within the resume window's bytes, the slabs kept ahead and a garbage slack)",
    registers: [this.registry],
  });
  readonly deliveryLatency = new Histogram({
    name: "monad_gateway_delivery_latency_seconds",
    help: "Ring record time to socket write, per live frame sent",
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "monad_gateway_" });
  }

  countSend(frames: number, bytes: number): void {
    this.sentFrames += frames;
    this.sentBytes += bytes;
  }

  private drainSends(): void {
    if (this.sentFrames > 0) this.framesOut.inc(this.sentFrames);
    if (this.sentBytes > 0) this.bytesOut.inc(this.sentBytes);
    this.sentFrames = 0;
    this.sentBytes = 0;
  }

  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
