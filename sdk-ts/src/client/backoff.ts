// Reconnect delays: exponential growth with jitter, so a fleet of clients that lost the same gateway
// does not reconnect in lockstep when it comes back.

export interface BackoffOptions {
  /** Delay before the first reconnect attempt, ms. */
  initialMs: number;
  /** Upper bound of any delay, ms. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /**
   * Fraction of the delay that is random, 0…1: the delay is uniformly drawn from
   * [d × (1 − jitter), d] where d is the exponential delay. 0 = deterministic, 1 = "full jitter".
   */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({ initialMs: 1000, maxMs: 30_000, factor: 2, jitter: 0.5 });

/** Delay before reconnect attempt `attempt` (1 for the first). Never exceeds maxMs. */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const exp = o.initialMs * Math.pow(o.factor, Math.max(0, attempt - 1));
  const capped = Math.min(o.maxMs, exp);
  return Math.round(capped * (1 - o.jitter * random()));
}

/** Validates options, naming the bad one. */
export function checkBackoff(o: BackoffOptions): BackoffOptions {
  const bad = (name: string, v: number, what: string) => new RangeError(`backoff.${name} must be ${what}, got ${v}`);
  if (!(o.initialMs >= 0) || !Number.isFinite(o.initialMs)) throw bad("initialMs", o.initialMs, "a finite number >= 0");
  if (!(o.maxMs >= o.initialMs)) throw bad("maxMs", o.maxMs, `>= initialMs (${o.initialMs})`);
  if (!(o.factor >= 1) || !Number.isFinite(o.factor)) throw bad("factor", o.factor, "a finite number >= 1");
  if (!(o.jitter >= 0 && o.jitter <= 1)) throw bad("jitter", o.jitter, "between 0 and 1");
  return o;
}
