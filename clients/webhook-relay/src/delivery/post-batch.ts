// One delivery attempt: POST the batch, classify the answer. 2xx is delivered; 5xx, 408, timeouts
// and connection errors are worth retrying; 429 too, after the receiver's Retry-After; any other
// 4xx (and a redirect, which is not followed) means this batch will never be accepted: dead letter.
import { IDEMPOTENCY_HEADER, signBody } from "./signature.js";
import type { Batch } from "./batch.js";

export type AttemptOutcome =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; status?: number; detail: string; retryAfterMs?: number }
  | { kind: "rejected"; status: number; detail: string; response: string };

export interface PostTarget {
  url: string;
  headers: Record<string, string>;
  secret: string | null;
  timeoutMs: number;
}

const MAX_RESPONSE_KEPT = 1024;

export async function postBatch(target: PostTarget, batch: Pick<Batch, "key" | "body">, signal?: AbortSignal): Promise<AttemptOutcome> {
  const headers: Record<string, string> = {
    ...target.headers,
    "content-type": "application/json",
    [IDEMPOTENCY_HEADER]: batch.key,
    "user-agent": "monad-gateway-webhook-relay/0.1",
    ...(target.secret !== null ? signBody(target.secret, batch.body) : {}),
  };
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const aborted = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(target.url, { method: "POST", headers, body: batch.body, redirect: "manual", signal: aborted });
    text = await res.text();
  } catch (err) {
    if (timeout.aborted) return { kind: "retry", detail: `no answer within ${target.timeoutMs} ms` };
    if (signal?.aborted) return { kind: "retry", detail: "stopped" };
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { kind: "retry", detail: `connection failed: ${cause?.code ?? cause?.message ?? (err as Error).message}` };
  }
  const status = res.status;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  const snippet = text.slice(0, MAX_RESPONSE_KEPT);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers.get("retry-after"));
    return { kind: "retry", status, detail: `HTTP 429 (retry after ${retryAfterMs ?? "?"} ms)`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status >= 500 || status === 408) return { kind: "retry", status, detail: `HTTP ${status}: ${snippet.slice(0, 200)}` };
  const why = status >= 300 && status < 400 ? `HTTP ${status} redirect to ${res.headers.get("location") ?? "?"} (not followed: configure the final URL)` : `HTTP ${status}`;
  return { kind: "rejected", status, detail: why, response: snippet };
}

/** Retry-After: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
