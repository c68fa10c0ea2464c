// A stand-in for a paid service whose quality can be turned down on purpose: `agent
// simulate-degradation` runs it so the agent (and a demo) has something real to measure and to
// catch breaching. GET / answers after the configured latency, and fails (503) a set share of
// requests, spread evenly so that a window's error rate is what was asked for. The mode changes on a
// schedule, or through POST /control.
import Fastify, { type FastifyInstance } from "fastify";

export interface Quality {
  mode: "healthy" | "degraded" | "down";
  latencyMs: number;
  /** 0..1 */
  errorRate: number;
}

export const HEALTHY: Quality = { mode: "healthy", latencyMs: 5, errorRate: 0 };

const controlSchema = {
  type: "object",
  additionalProperties: false,
  required: ["mode"],
  properties: {
    mode: { enum: ["healthy", "degraded", "down"] },
    latencyMs: { type: "integer", minimum: 0, maximum: 120000 },
    errorRate: { type: "number", minimum: 0, maximum: 1 },
  },
} as const;

export class DegradableService {
  quality: Quality = { ...HEALTHY };
  requests = 0;
  // Per quality setting, so each phase fails its own share evenly from its first request.
  private phaseRequests = 0;
  private errorsServed = 0;
  private app: FastifyInstance | undefined;
  private readonly listeners: ((q: Quality) => void)[] = [];

  onChange(fn: (q: Quality) => void): void {
    this.listeners.push(fn);
  }

  set(q: Quality): void {
    this.quality = { ...q };
    this.phaseRequests = 0;
    this.errorsServed = 0;
    for (const fn of this.listeners) fn(this.quality);
  }

  async listen(host: string, port: number): Promise<string> {
    const app = Fastify({ logger: false });
    this.app = app;
    app.get("/", async (_req, reply) => {
      const q = this.quality;
      this.requests++;
      this.phaseRequests++;
      if (q.mode === "down") {
        // Never answer: the caller's timeout is what it sees.
        reply.hijack();
        return;
      }
      if (q.latencyMs > 0) await new Promise((r) => setTimeout(r, q.latencyMs));
      const due = Math.floor(this.phaseRequests * q.errorRate) > this.errorsServed;
      if (due) {
        this.errorsServed++;
        return reply.code(503).send({ ok: false, mode: q.mode });
      }
      return { ok: true, mode: q.mode };
    });
    app.get("/control", async () => this.quality);
    app.post("/control", { schema: { body: controlSchema } }, async (req) => {
      const body = req.body as Partial<Quality> & { mode: Quality["mode"] };
      this.set({ mode: body.mode, latencyMs: body.latencyMs ?? (body.mode === "healthy" ? HEALTHY.latencyMs : 800), errorRate: body.errorRate ?? (body.mode === "healthy" ? 0 : 0.2) });
      return this.quality;
    });
    app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
      reply.code(err.statusCode ?? 500).send({ error: err.message, valid: 'POST /control {"mode": "healthy"|"degraded"|"down", "latencyMs"?: int, "errorRate"?: 0..1}' });
    });
    return app.listen({ host, port });
  }

  async close(): Promise<void> {
    // Hijacked (down-mode) requests never end on their own.
    this.app?.server.closeAllConnections();
    await this.app?.close();
  }
}
