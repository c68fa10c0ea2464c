// EIP-712 signed metric reports, as an agent signs them.
import { hashTypedData, type Address, type Hex } from "viem";
import type { HDAccount } from "viem/accounts";
import type { Report } from "./system.js";

export const REPORT_TYPES = {
  MetricReport: [
    { name: "streamId", type: "uint256" },
    { name: "windowStart", type: "uint40" },
    { name: "latencyMs", type: "uint32" },
    { name: "uptimeBps", type: "uint32" },
    { name: "errorRateBps", type: "uint32" },
    { name: "jitterMs", type: "uint32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export function reportDomain(chainId: number, oracle: Address) {
  return { name: "SLA AgentOracle", version: "1", chainId, verifyingContract: oracle } as const;
}

export interface SignedReport {
  report: Report;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
}

function message(report: Report, nonce: bigint, deadline: bigint) {
  return { ...report, windowStart: Number(report.windowStart), nonce, deadline };
}

export async function signReport(
  signer: HDAccount,
  chainId: number,
  oracle: Address,
  report: Report,
  nonce: bigint,
  deadline: bigint,
): Promise<SignedReport> {
  const signature = await signer.signTypedData({ domain: reportDomain(chainId, oracle), types: REPORT_TYPES, primaryType: "MetricReport", message: message(report, nonce, deadline) });
  return { report, nonce, deadline, signature };
}

export function reportDigest(chainId: number, oracle: Address, report: Report, nonce: bigint, deadline: bigint): Hex {
  return hashTypedData({ domain: reportDomain(chainId, oracle), types: REPORT_TYPES, primaryType: "MetricReport", message: message(report, nonce, deadline) });
}
