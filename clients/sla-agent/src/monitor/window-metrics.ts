// The four SLA metrics of one measurement window, in the contracts' units: latency and jitter in ms,
// uptime and error rate in basis points.
import type { LatencyStatistic } from "../config/load-config.js";
import type { ServiceSamples } from "./service-samples.js";

export interface WindowMetrics {
  latencyMs: number;
  uptimeBps: number;
  errorRateBps: number;
  jitterMs: number;
  /** Share of the window the agent was watching (0..1). */
  coverage: number;
  samples: number;
}

const U32_MAX = 2 ** 32 - 1;

export function windowMetrics(s: ServiceSamples, fromMs: number, toMs: number, statistic: LatencyStatistic): WindowMetrics {
  const length = toMs - fromMs;
  const watchedFrom = Math.max(fromMs, s.since);
  const coverage = length > 0 ? Math.max(0, toMs - watchedFrom) / length : 0;
  const probes = s.probesIn(fromMs, toMs);
  const latencies = probes.filter((p) => p.latencyMs !== undefined).map((p) => p.latencyMs!);
  const errors = probes.filter((p) => p.error).length;
  let uptimeBps: number;
  if (s.connectionBased) {
    const watched = toMs - watchedFrom;
    uptimeBps = watched > 0 ? Math.floor((s.upTimeIn(watchedFrom, toMs) * 10_000) / watched) : 0;
  } else {
    uptimeBps = probes.length > 0 ? Math.floor((probes.filter((p) => p.up).length * 10_000) / probes.length) : 0;
  }
  return {
    latencyMs: clamp(Math.round(statisticOf(latencies, statistic))),
    uptimeBps: Math.min(10_000, uptimeBps),
    errorRateBps: probes.length > 0 ? Math.min(10_000, Math.ceil((errors * 10_000) / probes.length)) : 0,
    jitterMs: clamp(Math.round(jitterOf(latencies))),
    coverage,
    samples: probes.length,
  };
}

/** The chosen statistic of the latencies (0 when there are none: uptime carries an outage). */
export function statisticOf(values: number[], statistic: LatencyStatistic): number {
  if (values.length === 0) return 0;
  if (statistic === "mean") return values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  if (statistic === "max") return sorted[sorted.length - 1];
  const q = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 }[statistic];
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Mean absolute difference of consecutive latencies (the RFC 3550 idea, unsmoothed). */
export function jitterOf(latencies: number[]): number {
  if (latencies.length < 2) return 0;
  let sum = 0;
  for (let i = 1; i < latencies.length; i++) sum += Math.abs(latencies[i] - latencies[i - 1]);
  return sum / (latencies.length - 1);
}

const clamp = (v: number) => Math.max(0, Math.min(U32_MAX, v));
