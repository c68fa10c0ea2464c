// SLAMonitor: measures each configured service, cuts the measurements into each stream's on-chain
// windows (chain time), grades them against the stream's SLA, and submits EIP-712 signed reports to
// the AgentOracle in batches once a window has closed. The oracle records a breach per (stream,
// window, metric) once; the RefundExecutor acts on it.
import { decodeEventLog, type Hex, type Log } from "viem";
import type { Logger } from "pino";
import { abiOf } from "../chain/artifacts.js";
import { revertName, shortError, type ChainContext } from "../chain/chain-context.js";
import type { ChainClock } from "../chain/chain-clock.js";
import type { Deployment } from "../chain/deployment.js";
import type { AgentConfig, ServiceConfig } from "../config/load-config.js";
import { FeedProbe } from "./feed-probe.js";
import { HttpProbe } from "./http-probe.js";
import { ReportSigner, type MetricReport, type SignedReport } from "./report-signer.js";
import { ServiceSamples } from "./service-samples.js";
import { Metric, METRIC_NAMES, tierOf, windowAt, windowCloses, type StreamTerms } from "./sla-terms.js";
import type { StreamRegistry } from "./stream-registry.js";
import { windowMetrics, type WindowMetrics } from "./window-metrics.js";

const oracleAbi = abiOf("AgentOracle");

export interface MonitorStats {
  services: Record<string, { kind: string; streams: number; latest?: WindowMetrics & { windowStart: number; streamId: string } }>;
  reportsSubmitted: number;
  reportBatches: number;
  breachesExpected: number;
  breachesRecorded: number;
  reportsRejected: number;
  windowsSkipped: number;
  /** Within-SLA windows not submitted (reports.submit = "breaches"). */
  windowsWithinSlaNotSubmitted: number;
  lastError?: string;
}

interface PendingReport {
  service: string;
  terms: StreamTerms;
  report: MetricReport;
  expectedBreaches: string[];
}

export class SLAMonitor {
  readonly stats: MonitorStats = { services: {}, reportsSubmitted: 0, reportBatches: 0, breachesExpected: 0, breachesRecorded: 0, reportsRejected: 0, windowsSkipped: 0, windowsWithinSlaNotSubmitted: 0 };
  private readonly samples = new Map<string, ServiceSamples>();
  private readonly probes: { stop(): void }[] = [];
  /** stream id → the next window start to consider */
  private readonly next = new Map<string, number>();
  private readonly signer: ReportSigner;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly chain: ChainContext,
    private readonly clock: ChainClock,
    private readonly deployment: Deployment,
    private readonly registry: StreamRegistry,
    private readonly log: Logger,
  ) {
    this.signer = new ReportSigner(chain.account, chain.chain.id, deployment.oracle);
  }

  async start(): Promise<void> {
    const now = () => this.clock.nowMs();
    for (const service of this.config.services) {
      const samples = new ServiceSamples(now(), service.kind === "gateway-feed");
      this.samples.set(service.name, samples);
      this.stats.services[service.name] = { kind: service.kind, streams: 0 };
      if (service.kind === "http") {
        const probe = new HttpProbe(service, samples, now);
        probe.start();
        this.probes.push(probe);
      } else {
        const probe = new FeedProbe(this.config.gateway, samples, now, (e) => this.log.warn({ err: e.message, service: service.name }, "gateway feed error"));
        await probe.start();
        this.probes.push(probe);
      }
    }
    const tick = () => {
      if (this.stopped) return;
      this.running = this.check()
        .then(() => {
          this.stats.lastError = undefined;
        })
        .catch((err) => {
          this.stats.lastError = shortError(err);
          this.log.error({ err: shortError(err) }, "report cycle failed; retrying");
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.config.reports.checkIntervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const p of this.probes) p.stop();
    await this.running;
  }

  /** Reports every window that has closed since the last check. */
  async check(): Promise<void> {
    await this.registry.discover();
    const nowS = this.clock.nowSeconds();
    const pending: PendingReport[] = [];
    for (const service of this.config.services) {
      const samples = this.samples.get(service.name)!;
      const streams = this.registry.streams.get(service.name)!;
      this.stats.services[service.name].streams = streams.size;
      let keepFrom = Infinity;
      for (const terms of streams.values()) {
        pending.push(...this.closedWindows(service, samples, terms, nowS));
        keepFrom = Math.min(keepFrom, (this.next.get(terms.streamId.toString()) ?? nowS) * 1000);
      }
      samples.prune(Math.min(keepFrom, this.clock.nowMs() - 60_000));
    }
    if (!this.config.reports.enabled || pending.length === 0) return;
    for (let i = 0; i < pending.length; i += this.config.reports.batchSize) {
      await this.submit(pending.slice(i, i + this.config.reports.batchSize));
    }
  }

  private closedWindows(service: ServiceConfig, samples: ServiceSamples, terms: StreamTerms, nowS: number): PendingReport[] {
    const key = terms.streamId.toString();
    let w = this.next.get(key) ?? windowAt(terms, Math.floor(samples.since / 1000));
    const out: PendingReport[] = [];
    const maxDelay = this.deployment.maxReportDelay;
    while (w < terms.stopTime) {
      const closes = windowCloses(terms, w);
      if (closes > nowS) break;
      const m = windowMetrics(samples, w * 1000, closes * 1000, this.config.reports.latencyStatistic);
      if (closes + maxDelay < nowS || m.coverage < this.config.reports.minCoverage || (m.samples === 0 && !samples.connectionBased)) {
        this.stats.windowsSkipped++;
        this.log.debug({ service: service.name, streamId: key, windowStart: w, coverage: m.coverage, samples: m.samples }, "window not reported (not watched enough, or too late)");
      } else {
        const report: MetricReport = { streamId: terms.streamId, windowStart: w, latencyMs: m.latencyMs, uptimeBps: m.uptimeBps, errorRateBps: m.errorRateBps, jitterMs: m.jitterMs };
        const expectedBreaches = gradeReport(terms, report);
        this.stats.services[service.name].latest = { ...m, windowStart: w, streamId: key };
        if (expectedBreaches.length === 0 && this.config.reports.submit === "breaches") {
          this.stats.windowsWithinSlaNotSubmitted++;
          this.log.debug({ service: service.name, streamId: key, windowStart: w }, "window within SLA; not submitted (reports.submit is \"breaches\")");
        } else out.push({ service: service.name, terms, report, expectedBreaches });
      }
      w += terms.sla.windowSeconds;
    }
    this.next.set(key, w);
    return out;
  }

  private async submit(batch: PendingReport[]): Promise<void> {
    const deadline = BigInt(this.clock.nowSeconds() + this.config.reports.deadlineSeconds);
    let signed: SignedReport[] = await Promise.all(batch.map((p) => this.signer.sign(p.report, deadline)));
    const req = (reports: SignedReport[]) => ({ address: this.deployment.oracle, abi: oracleAbi, functionName: "submitSignedReports", args: [reports] as const });
    try {
      await this.chain.simulate(req(signed));
    } catch (err) {
      // A batch is all or nothing: find the reports the oracle refuses, drop them, send the rest.
      this.log.warn({ err: revertName(err) ?? shortError(err), reports: batch.length }, "report batch would revert; checking each report");
      const keep: boolean[] = await Promise.all(batch.map((p) => this.accepted(p)));
      signed = signed.filter((_, i) => keep[i]);
      batch = batch.filter((_, i) => keep[i]);
      if (signed.length === 0) return;
    }
    const receipt = await this.chain.write(req(signed));
    this.stats.reportBatches++;
    this.stats.reportsSubmitted += signed.length;
    const recorded = breachesIn(receipt.logs, this.deployment.oracle);
    this.stats.breachesRecorded += recorded.length;
    for (const p of batch) {
      this.stats.breachesExpected += p.expectedBreaches.length;
      const r = p.report;
      this.log.info(
        { service: p.service, streamId: r.streamId.toString(), windowStart: r.windowStart, latencyMs: r.latencyMs, uptimeBps: r.uptimeBps, errorRateBps: r.errorRateBps, jitterMs: r.jitterMs, breaches: p.expectedBreaches },
        p.expectedBreaches.length ? "reported window with SLA breaches" : "reported window within SLA",
      );
    }
    for (const b of recorded) this.log.info(b, "breach recorded on chain");
    this.log.info({ reports: signed.length, breaches: recorded.length, tx: receipt.transactionHash, block: Number(receipt.blockNumber) }, "report batch submitted");
  }

  private async accepted(p: PendingReport): Promise<boolean> {
    try {
      await this.chain.read(this.deployment.oracle, oracleAbi, "tiersOf", [p.report]);
      return true;
    } catch (err) {
      this.stats.reportsRejected++;
      this.log.warn({ streamId: p.report.streamId.toString(), windowStart: p.report.windowStart, err: revertName(err) ?? shortError(err) }, "report refused by the oracle; dropped");
      return false;
    }
  }
}

/** "latency 812 ms > 500 (tier 2)" for each metric the report breaches. */
export function gradeReport(terms: StreamTerms, r: MetricReport): string[] {
  const values = [r.latencyMs, r.uptimeBps, r.errorRateBps, r.jitterMs];
  const out: string[] = [];
  for (let i = 0; i < 4; i++) {
    const { tier, bound } = tierOf(terms.sla.rules[i], i as Metric, values[i]);
    if (tier > 0) out.push(`${METRIC_NAMES[i]} ${values[i]} ${i === Metric.UptimeBps ? "<" : ">"} ${bound} (tier ${tier})`);
  }
  return out;
}

export function breachesIn(logs: readonly Log[], oracle: Hex): { breachId: Hex; streamId: string; metric: string; tier: number; value: number }[] {
  const out = [];
  for (const log of logs) {
    if (log.address.toLowerCase() !== oracle.toLowerCase()) continue;
    try {
      const d = decodeEventLog({ abi: oracleAbi, data: log.data, topics: log.topics });
      if (d.eventName !== "SLABreached") continue;
      const a = d.args as unknown as { breachId: Hex; streamId: bigint; metric: number; tier: number; value: number };
      out.push({ breachId: a.breachId, streamId: a.streamId.toString(), metric: METRIC_NAMES[a.metric], tier: a.tier, value: a.value });
    } catch {
      // another event of the oracle
    }
  }
  return out;
}
