// The agent's HTTP status API (fastify): /health for orchestrators, /status with what the monitor
// measured and reported, the breaches seen, the refunds executed and the refund cursor.
import Fastify, { type FastifyInstance } from "fastify";

export interface StatusSource {
  healthy(): { ok: boolean; problems: string[] };
  status(): unknown;
}

export async function startStatusServer(source: StatusSource, host: string, port: number): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get("/health", async (_req, reply) => {
    const h = source.healthy();
    return reply.code(h.ok ? 200 : 503).send({ ok: h.ok, problems: h.problems });
  });
  app.get("/status", async (_req, reply) => reply.type("application/json").send(JSON.stringify(source.status(), (_k, v) => (typeof v === "bigint" ? v.toString() : v))));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url}; valid: GET /health, GET /status` }));
  const address = await app.listen({ host, port });
  return { app, url: address };
}
