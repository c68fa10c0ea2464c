// REST on the same port as the WebSocket API. Unknown paths, wrong methods and bad parameters get a
// 4xx with a JSON error that says what is valid.
import { sendAsync, sendJson } from "./http.js";
import type { TemplatedApp } from "./uws.js";

export interface RestContext {
  tps(): object;
  status(): object;
  contention(): object | null;
  lifecycles(): object[];
  lifecycle(blockNumber: number): object | undefined;
  health(): { success: boolean; status: string; reason?: string };
  metrics(): Promise<{ body: string; contentType: string }>;
  openapi(): object;
}

export const REST_ROUTES = [
  "/v1/tps",
  "/v1/status",
  "/v1/contention",
  "/v1/blocks/lifecycle",
  "/v1/blocks/:block_number/lifecycle",
  "/health",
  "/metrics",
  "/openapi.json",
] as const;

export function mountRest(app: TemplatedApp, ctx: RestContext): void {
  const get = (path: string, handler: Parameters<TemplatedApp["get"]>[1]) => {
    app.get(path, handler);
    app.any(path, (res, req) => sendJson(res, 405, { error: `${req.getCaseSensitiveMethod()} is not allowed on ${path}; use GET`, code: "method_not_allowed" }));
  };
  get("/v1/tps", (res) => sendJson(res, 200, ctx.tps()));
  get("/v1/status", (res) => sendJson(res, 200, ctx.status()));
  get("/v1/contention", (res) => {
    const c = ctx.contention();
    if (c) sendJson(res, 200, c);
    else sendJson(res, 404, { error: "no contention data yet", code: "not_ready" });
  });
  get("/v1/blocks/lifecycle", (res) => sendJson(res, 200, ctx.lifecycles()));
  get("/v1/blocks/:block_number/lifecycle", (res, req) => {
    const raw = req.getParameter(0) ?? "";
    if (!/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      sendJson(res, 400, { error: `block_number must be a non-negative integer, got "${decodeURIComponent(raw)}"`, code: "bad_request" });
      return;
    }
    const found = ctx.lifecycle(Number(raw));
    if (found) sendJson(res, 200, found);
    else sendJson(res, 404, { error: "block not found", code: "not_found" });
  });
  get("/health", (res) => {
    const h = ctx.health();
    sendJson(res, h.success ? 200 : 503, h);
  });
  get("/metrics", (res) => sendAsync(res, async () => {
    const m = await ctx.metrics();
    return { status: 200, body: m.body, contentType: m.contentType };
  }));
  get("/openapi.json", (res) => sendJson(res, 200, ctx.openapi()));
  app.options("/*", (res) => {
    res.cork(() => {
      res
        .writeStatus("204 No Content")
        .writeHeader("Access-Control-Allow-Origin", "*")
        .writeHeader("Access-Control-Allow-Methods", "GET, OPTIONS")
        .writeHeader("Access-Control-Allow-Headers", "*")
        .end();
    });
  });
  app.any("/*", (res, req) =>
    sendJson(res, 404, { error: `no such path: ${req.getUrl()}`, code: "not_found", valid: [...REST_ROUTES, "/v1/ws", "/v1/ws/blocks", "/v1/ws/txs", "/v1/ws/contention", "/v1/ws/lifecycle", "/dashboard"] }),
  );
}
