// What a monitored service did, sample by sample, stamped with chain time (ms): probe outcomes,
// latencies, and for connection-based services the times the connection went up and down. Old
// samples are pruned once no reportable window can contain them.

export interface Probe {
  t: number;
  /** The service answered (any answer, even an error). */
  up: boolean;
  /** The answer was an error, or the service lost data. */
  error: boolean;
  latencyMs?: number;
}

export class ServiceSamples {
  readonly probes: Probe[] = [];
  /** Connection transitions (connection-based services only), in time order. */
  readonly transitions: { t: number; up: boolean }[] = [];
  /** When observation began (chain ms); windows before it were not watched. */
  readonly since: number;

  constructor(
    since: number,
    readonly connectionBased: boolean,
  ) {
    this.since = since;
    if (connectionBased) this.transitions.push({ t: since, up: false });
  }

  add(p: Probe): void {
    this.probes.push(p);
  }

  setUp(t: number, up: boolean): void {
    const last = this.transitions[this.transitions.length - 1];
    if (last && last.up === up) return;
    this.transitions.push({ t: Math.max(t, last?.t ?? t), up });
  }

  /** Probes with from <= t < to. */
  probesIn(from: number, to: number): Probe[] {
    return this.probes.filter((p) => p.t >= from && p.t < to);
  }

  /** Milliseconds of [from, to) during which the connection was up. */
  upTimeIn(from: number, to: number): number {
    let total = 0;
    for (let i = 0; i < this.transitions.length; i++) {
      const cur = this.transitions[i];
      if (!cur.up) continue;
      const end = this.transitions[i + 1]?.t ?? Infinity;
      const a = Math.max(cur.t, from);
      const b = Math.min(end, to);
      if (b > a) total += b - a;
    }
    return total;
  }

  /** Drops what ended before `t` (keeps the transition in effect at `t`). */
  prune(t: number): void {
    let n = 0;
    while (n < this.probes.length && this.probes[n].t < t) n++;
    this.probes.splice(0, n);
    let k = 0;
    while (k + 1 < this.transitions.length && this.transitions[k + 1].t <= t) k++;
    this.transitions.splice(0, k);
  }
}
