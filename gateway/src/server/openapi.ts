// The OpenAPI 3.1 document of the REST API, built from the protocol's JSON Schemas (the same ones the
// validators use), so the document cannot drift from what the server sends.
import { REST_ROUTES, refName, schemaRegistry } from "../protocol/schemas/index.js";
import { SERVER_VERSION } from "./version.js";

let cached: object | null = null;

export function buildOpenApi(): object {
  if (cached) return cached;
  const needed = new Set<string>(["RestError"]);
  for (const r of REST_ROUTES) needed.add(r.ok[1]);
  // Pull in every definition reachable through $ref.
  const queue = [...needed];
  while (queue.length) {
    const name = queue.pop()!;
    collectRefs(schemaRegistry.get(name)?.schema, (ref) => {
      const n = refName(ref);
      if (!needed.has(n)) {
        needed.add(n);
        queue.push(n);
      }
    });
  }
  const schemas: Record<string, unknown> = {};
  for (const n of [...needed].sort()) {
    const entry = schemaRegistry.get(n);
    if (entry) schemas[n] = rewriteRefs(entry.schema);
  }
  const paths: Record<string, unknown> = {};
  for (const r of REST_ROUTES) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const responses: Record<string, unknown> = {
      "200": { description: "OK", content: { "application/json": { schema: { $ref: `#/components/schemas/${r.ok[1]}` } } } },
    };
    for (const e of r.errors) {
      const code = e.slice(0, 3);
      responses[code] = { description: e, content: { "application/json": { schema: { $ref: `#/components/schemas/${code === "503" ? r.ok[1] : "RestError"}` } } } };
    }
    const params = [...r.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "integer", minimum: 0 } }));
    paths[path] = { get: { summary: r.summary, ...(params.length ? { parameters: params } : {}), responses } };
  }
  paths["/metrics"] = { get: { summary: "Prometheus metrics (text exposition format).", responses: { "200": { description: "OK", content: { "text/plain": {} } } } } };
  paths["/openapi.json"] = { get: { summary: "This document.", responses: { "200": { description: "OK", content: { "application/json": {} } } } } };
  cached = {
    openapi: "3.1.0",
    info: {
      title: "monad-gateway REST API",
      version: SERVER_VERSION,
      description: "REST endpoints on the same port as the WebSocket API (see gateway/docs/wire-protocol.md). Every 4xx/5xx body is a RestError.",
    },
    paths,
    components: { schemas },
  };
  return cached;
}

function collectRefs(node: unknown, visit: (ref: string) => void): void {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, visit));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") visit(v);
      else collectRefs(v, visit);
    }
  }
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = k === "$ref" && typeof v === "string" ? `#/components/schemas/${refName(v)}` : rewriteRefs(v);
    return out;
  }
  return node;
}
