// The SLA the CLI's stress run and the demo create streams with (the same terms as the contracts'
// tests): latency 200/500/1000 ms, uptime 99.9/99/95 %, errors 1/5/10 %, jitter 50/100/200 ms;
// refunds of 10/25/50 % of the unvested remainder; a stop after 3 severe breaches within an hour.
import type { SLA } from "./monitor/sla-terms.js";

export function defaultSLA(over: Partial<SLA> = {}): SLA {
  return {
    rules: [
      { enabled: true, breach: 200, tier2: 500, tier3: 1000 },
      { enabled: true, breach: 9990, tier2: 9900, tier3: 9500 },
      { enabled: true, breach: 100, tier2: 500, tier3: 1000 },
      { enabled: true, breach: 50, tier2: 100, tier3: 200 },
    ],
    refundBps: [1000, 2500, 5000],
    windowSeconds: 60,
    severeLimit: 3,
    severePeriod: 3600,
    ...over,
  };
}
