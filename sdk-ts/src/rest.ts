// The gateway's REST endpoints, typed. Bodies are parsed with the exact-integer parser, like frames.
// A 4xx/5xx answer throws GatewayHttpError carrying the server's own message ({"error": ...});
// an unreachable gateway throws GatewayConnectionError.

import { GatewayConnectionError, GatewayHttpError, describeCause } from "./errors.js";
import type { BlockLifecycleList, BlockLifecycleSummary, ContentionData, HealthResponse, StatusResponse, TpsResponse } from "./generated/index.js";
import { parseJson } from "./json/parse.js";
import { restBase } from "./client/urls.js";
import type { Int } from "./u64.js";

export interface RestOptions {
  /** fetch implementation; default the global one (Node >= 18, browsers). */
  fetch?: typeof fetch;
  /** Aborts the request. */
  signal?: AbortSignal;
  /** Gives up after this many ms (a GatewayConnectionError); default 10000, 0 = never. */
  timeoutMs?: number;
}

interface RawResponse {
  status: number;
  statusText: string;
  body: unknown;
  url: string;
}

async function request(baseUrl: string, path: string, o: RestOptions = {}): Promise<RawResponse> {
  const url = restBase(baseUrl) + path;
  const doFetch = o.fetch ?? globalThis.fetch;
  if (typeof doFetch !== "function") throw new Error("no fetch implementation: pass options.fetch");
  const timeoutMs = o.timeoutMs ?? 10_000;
  const controller = new AbortController();
  const onAbort = () => controller.abort(o.signal?.reason);
  o.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs) : undefined;
  try {
    let res: Response;
    try {
      res = await doFetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
    } catch (err) {
      if (o.signal?.aborted) throw err;
      const why = controller.signal.aborted ? describeCause(controller.signal.reason) : describeCause(err);
      throw new GatewayConnectionError(`cannot reach the gateway at ${url}: ${why}`, url, { cause: err });
    }
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text === "" ? undefined : parseJson(text);
    } catch {
      body = text;
    }
    return { status: res.status, statusText: res.statusText, body, url };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
  }
}

function httpError(r: RawResponse): GatewayHttpError {
  const b = (typeof r.body === "object" && r.body !== null ? r.body : {}) as { error?: unknown; code?: unknown; valid?: unknown };
  const message = typeof b.error === "string" ? b.error : `HTTP ${r.status}${r.statusText ? ` ${r.statusText}` : ""} from ${r.url}`;
  const valid = Array.isArray(b.valid) ? b.valid.filter((v): v is string => typeof v === "string") : undefined;
  return new GatewayHttpError(message, r.status, r.url, typeof b.code === "string" ? b.code : undefined, valid);
}

/** GET a JSON body; any status outside 200..299 throws with the server's message. */
export async function getJson<T>(baseUrl: string, path: string, o?: RestOptions): Promise<T> {
  const r = await request(baseUrl, path, o);
  if (r.status < 200 || r.status > 299) throw httpError(r);
  return r.body as T;
}

/** GET /v1/tps: the current throughput estimate. */
export function fetchTPS(baseUrl: string, o?: RestOptions): Promise<TpsResponse> {
  return getJson(baseUrl, "/v1/tps", o);
}

/** GET /v1/status: gateway state, resume window and ring reader health. */
export function fetchStatus(baseUrl: string, o?: RestOptions): Promise<StatusResponse> {
  return getJson(baseUrl, "/v1/status", o);
}

/** GET /v1/contention: contention of the last ended block (throws 404 no_data before the first). */
export function fetchContention(baseUrl: string, o?: RestOptions): Promise<ContentionData> {
  return getJson(baseUrl, "/v1/contention", o);
}

/** GET /v1/blocks/lifecycle: lifecycle summaries of recent blocks. */
export function fetchLifecycle(baseUrl: string, o?: RestOptions): Promise<BlockLifecycleList> {
  return getJson(baseUrl, "/v1/blocks/lifecycle", o);
}

/** GET /v1/blocks/:n/lifecycle: one recent block (throws 404 not_found when it is not tracked). */
export function fetchBlockLifecycle(baseUrl: string, blockNumber: Int | string, o?: RestOptions): Promise<BlockLifecycleSummary> {
  return getJson(baseUrl, `/v1/blocks/${encodeURIComponent(String(blockNumber))}/lifecycle`, o);
}

/** GET /health. Returns the body for 503 too (success false): unhealthy is an answer, not an error. */
export async function fetchHealth(baseUrl: string, o?: RestOptions): Promise<HealthResponse> {
  const r = await request(baseUrl, "/health", o);
  if ((r.status >= 200 && r.status <= 299) || (r.status === 503 && typeof r.body === "object" && r.body !== null)) return r.body as HealthResponse;
  throw httpError(r);
}
