// The admin API (fastify): /health, /stats, /dlq (list, show, redeliver). Bad parameters get a 400
// naming the parameter and what is valid (fastify validates them against the route schemas).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { TargetWorker } from "../target/target-worker.js";
import type { GatewayStatusPoller } from "./gateway-status-poller.js";

export interface AdminContext {
  workers: readonly TargetWorker[];
  poller: GatewayStatusPoller;
  gatewayUrl: string;
  startedAt: number;
  stopping: () => boolean;
}

const TARGET_PARAM = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$" } as const;

export async function startAdminServer(ctx: AdminContext, host: string, port: number, log: Logger): Promise<FastifyInstance> {
  // Requests are logged at info; the admin child logs warnings and up only.
  const app = Fastify({ loggerInstance: log.child({ component: "admin" }, { level: "warn" }) as FastifyBaseLogger });
  const byName = new Map(ctx.workers.map((w) => [w.name, w]));
  const targetNames = [...byName.keys()];
  const unknownTarget = (name: string) => ({ error: `unknown target "${name}"; valid: ${targetNames.join(", ")}` });
  const statsOf = (w: TargetWorker) => {
    const p = ctx.poller.position;
    return w.stats(p && { epoch: p.epoch, newest: p.newest });
  };

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    void reply.code(status).send({ error: status === 400 ? `bad request: ${err.message}` : err.message });
  });

  app.get("/health", async (_req, reply) => {
    const problems: string[] = [];
    for (const w of ctx.workers) {
      const s = statsOf(w);
      if (!s.gateway_connected) problems.push(`${s.name}: not connected to the gateway${s.last_error ? ` (${s.last_error})` : ""}`);
      else if (s.state === "retrying") problems.push(`${s.name}: delivery failing (${s.last_error ?? "retrying"})`);
    }
    const status = ctx.stopping() ? "stopping" : problems.length > 0 ? "degraded" : "ok";
    return reply.code(status === "stopping" ? 503 : 200).send({ status, problems, uptime_secs: Math.round((Date.now() - ctx.startedAt) / 1000) });
  });

  app.get("/stats", async () => {
    const p = ctx.poller.position;
    return {
      uptime_secs: Math.round((Date.now() - ctx.startedAt) / 1000),
      gateway: { url: ctx.gatewayUrl, epoch: p?.epoch ?? null, newest_seqno: p?.newest ?? null, status_age_ms: p ? Date.now() - p.at : null },
      targets: ctx.workers.map(statsOf),
    };
  });

  app.get<{ Querystring: { target?: string; limit: number; pending?: boolean } }>(
    "/dlq",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            target: TARGET_PARAM,
            limit: { type: "integer", minimum: 1, maximum: 10000, default: 100 },
            pending: { type: "boolean" },
          },
        },
      },
    },
    async (req, reply) => {
      const { target, limit, pending } = req.query;
      if (target !== undefined && !byName.has(target)) return reply.code(404).send(unknownTarget(target));
      const workers = target === undefined ? ctx.workers : [byName.get(target)!];
      let entries = workers.flatMap((w) => w.dlq.list());
      if (pending) entries = entries.filter((e) => e.reason !== "gap" && e.redelivered_at === undefined);
      entries.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
      return { total: entries.length, entries: entries.slice(-limit) };
    },
  );

  const entryParams = { type: "object", properties: { target: TARGET_PARAM, id: { type: "integer", minimum: 1 } }, required: ["target", "id"] } as const;

  app.get<{ Params: { target: string; id: number } }>("/dlq/:target/:id", { schema: { params: entryParams } }, async (req, reply) => {
    const w = byName.get(req.params.target);
    if (!w) return reply.code(404).send(unknownTarget(req.params.target));
    const entry = w.dlq.get(req.params.id);
    if (!entry) return reply.code(404).send({ error: `no dead letter ${req.params.id} for target ${w.name}` });
    const body = w.dlq.body(entry.id);
    if (body === undefined) return entry;
    // The stored body is spliced in as it was sent (re-parsing would round its 64-bit integers).
    return reply.type("application/json").send(`${JSON.stringify(entry).slice(0, -1)},"body":${body}}`);
  });

  app.post<{ Params: { target: string; id: number } }>("/dlq/:target/:id/redeliver", { schema: { params: entryParams } }, async (req, reply) => {
    const w = byName.get(req.params.target);
    if (!w) return reply.code(404).send(unknownTarget(req.params.target));
    const r = await w.redeliver(req.params.id);
    if (r.ok) return { redelivered: true, status: r.status, entry: r.entry };
    if (!r.entry) return reply.code(404).send({ error: r.detail });
    if (r.entry.reason === "gap") return reply.code(409).send({ error: r.detail });
    return reply.code(502).send({ error: `the receiver did not accept it: ${r.detail}`, status: r.status ?? null });
  });

  await app.listen({ host, port });
  return app;
}
