// Delivers one batch, retrying with exponential backoff and jitter until the receiver accepts it,
// rejects it, the attempts run out, or the relay stops (then the batch stays unacknowledged and is
// sent again, same key, after a restart).
import type { RetryPolicy } from "../config/types.js";
import { sleep } from "../util/sleep.js";
import type { Batch } from "./batch.js";
import { postBatch, type AttemptOutcome, type PostTarget } from "./post-batch.js";

export type DeliveryResult =
  | { kind: "delivered"; attempts: number }
  | { kind: "dead"; reason: "rejected" | "retries_exhausted"; attempts: number; status?: number; detail: string; response?: string }
  | { kind: "stopped"; attempts: number };

export interface DeliveryHooks {
  /** A failed attempt that will be retried after delayMs. */
  retrying(outcome: Extract<AttemptOutcome, { kind: "retry" }>, attempt: number, delayMs: number): void;
}

/** The longest Retry-After honoured; a receiver asking for more is asked again after this. */
const MAX_RETRY_AFTER_MS = 3_600_000;

export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random()): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - policy.jitter * random));
}

export async function deliverWithRetry(target: PostTarget, policy: RetryPolicy, batch: Batch, stop: AbortSignal, hooks: DeliveryHooks): Promise<DeliveryResult> {
  for (let attempt = 1; ; attempt++) {
    if (stop.aborted) return { kind: "stopped", attempts: attempt - 1 };
    const outcome = await postBatch(target, batch, stop);
    if (outcome.kind === "delivered") return { kind: "delivered", attempts: attempt };
    if (outcome.kind === "rejected") return { kind: "dead", reason: "rejected", attempts: attempt, status: outcome.status, detail: outcome.detail, response: outcome.response };
    if (stop.aborted) return { kind: "stopped", attempts: attempt };
    if (policy.maxAttempts > 0 && attempt >= policy.maxAttempts)
      return { kind: "dead", reason: "retries_exhausted", attempts: attempt, ...(outcome.status !== undefined ? { status: outcome.status } : {}), detail: `${attempt} attempts failed; last: ${outcome.detail}` };
    const delay = outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_MS) : backoffMs(policy, attempt);
    hooks.retrying(outcome, attempt, delay);
    await sleep(delay, stop);
  }
}
