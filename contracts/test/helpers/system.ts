// The SLA contracts deployed and wired as production deploys them, plus the values tests build on.
import { getContractAddress, isAddressEqual, type Address } from "viem";
import type { Chain, Contract } from "./chain.js";

export const ZERO: Address = "0x0000000000000000000000000000000000000000";
export const NATIVE = ZERO;
export const BPS = 10_000;

export enum Metric {
  LatencyMs = 0,
  UptimeBps = 1,
  ErrorRateBps = 2,
  JitterMs = 3,
}

export enum Outcome {
  Refunded = 0,
  Stopped = 1,
  NothingToRefund = 2,
  AlreadyProcessed = 3,
  UnknownBreach = 4,
}

export enum StreamStatus {
  Null = 0,
  Pending = 1,
  Streaming = 2,
  Settled = 3,
  Canceled = 4,
  Depleted = 5,
}

export interface MetricRule {
  enabled: boolean;
  breach: number;
  tier2: number;
  tier3: number;
}

export interface SLA {
  rules: readonly [MetricRule, MetricRule, MetricRule, MetricRule];
  refundBps: readonly [number, number, number];
  windowSeconds: number;
  severeLimit: number;
  severePeriod: number;
}

const off: MetricRule = { enabled: false, breach: 0, tier2: 0, tier3: 0 };

/** A typical SLA: latency 200/500/1000 ms, uptime 99.9/99/95 %, errors 1/5/10 %, jitter 50/100/200 ms;
 * refunds 10/25/50 % of the unvested remainder; stop after 3 severe breaches within an hour. */
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

/** An SLA bounding one metric only. */
export function singleMetricSLA(metric: Metric, rule: Omit<MetricRule, "enabled">, over: Partial<SLA> = {}): SLA {
  const rules = [off, off, off, off] as MetricRule[];
  rules[metric] = { enabled: true, ...rule };
  return defaultSLA({ rules: rules as unknown as SLA["rules"], ...over });
}

export interface Report {
  streamId: bigint;
  windowStart: bigint;
  latencyMs: number;
  uptimeBps: number;
  errorRateBps: number;
  jitterMs: number;
}

/** Metrics that meet the default SLA. */
export function goodReport(streamId: bigint, windowStart: bigint, over: Partial<Report> = {}): Report {
  return { streamId, windowStart, latencyMs: 100, uptimeBps: 10_000, errorRateBps: 0, jitterMs: 10, ...over };
}

export function streamIdOf(sender: Address, nonce: bigint): bigint {
  return (BigInt(sender) << 96n) | nonce;
}

export interface Suite {
  factory: Contract;
  oracle: Contract;
  refunds: Contract;
  admin: Address;
}

export interface SuiteOptions {
  admin?: Address;
  agents?: Address[];
  executors?: Address[];
  maxReportDelay?: number;
}

/** Deploys factory, oracle and refund manager, each wired to the others at construction: the
 * factory is told the refund manager's address before it exists (it is the deployer's nonce + 2). */
export async function deploySuite(chain: Chain, opts: SuiteOptions = {}): Promise<Suite> {
  const admin = opts.admin ?? chain.accounts[0];
  const nonce = BigInt(await chain.public.getTransactionCount({ address: admin }));
  const oracleAddr = getContractAddress({ from: admin, nonce: nonce + 1n });
  const refundsAddr = getContractAddress({ from: admin, nonce: nonce + 2n });
  const factory = await chain.deploy("SLAStreamFactory", [admin, refundsAddr], admin);
  const oracle = await chain.deploy("AgentOracle", [admin, factory.address, opts.maxReportDelay ?? 3600, opts.agents ?? []], admin);
  const refunds = await chain.deploy("RefundManager", [admin, factory.address, oracle.address, opts.executors ?? []], admin);
  if (!isAddressEqual(oracle.address, oracleAddr) || !isAddressEqual(refunds.address, refundsAddr)) throw new Error("deploy addresses drifted");
  return { factory, oracle, refunds, admin };
}
