// A stream's on-chain SLA as the agent uses it, and the grading the AgentOracle applies (SLALib.tierOf):
// the agent grades locally to log and count what it expects, the chain's grading is what counts.

export enum Metric {
  LatencyMs = 0,
  UptimeBps = 1,
  ErrorRateBps = 2,
  JitterMs = 3,
}

export const METRIC_NAMES = ["latency", "uptime", "error rate", "jitter"] as const;
export const METRIC_UNITS = ["ms", "bps", "bps", "ms"] as const;

export interface MetricRule {
  enabled: boolean;
  breach: number;
  tier2: number;
  tier3: number;
}

export interface SLA {
  rules: readonly MetricRule[];
  refundBps: readonly number[];
  windowSeconds: number;
  severeLimit: number;
  severePeriod: number;
}

export interface StreamTerms {
  streamId: bigint;
  startTime: number;
  stopTime: number;
  sla: SLA;
}

/** The tier (0 = within the SLA) of `value` under `rule`; bounds are inclusive, uptime is lower-is-worse. */
export function tierOf(rule: MetricRule, metric: Metric, value: number): { tier: number; bound: number } {
  if (!rule.enabled) return { tier: 0, bound: 0 };
  const worse = metric === Metric.UptimeBps ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  if (worse(value, rule.tier3)) return { tier: 3, bound: rule.tier3 };
  if (worse(value, rule.tier2)) return { tier: 2, bound: rule.tier2 };
  if (worse(value, rule.breach)) return { tier: 1, bound: rule.breach };
  return { tier: 0, bound: 0 };
}

/** The start of the window holding chain time `t` (seconds), or of the first window if t is earlier. */
export function windowAt(terms: StreamTerms, t: number): number {
  if (t <= terms.startTime) return terms.startTime;
  const w = terms.sla.windowSeconds;
  return terms.startTime + Math.floor((t - terms.startTime) / w) * w;
}

/** When the window starting at `windowStart` closes (the last one is cut short by the stop time). */
export function windowCloses(terms: StreamTerms, windowStart: number): number {
  return Math.min(windowStart + terms.sla.windowSeconds, terms.stopTime);
}
