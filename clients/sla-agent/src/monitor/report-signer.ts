// EIP-712 signatures of metric reports, exactly as AgentOracle verifies them: domain ("SLA
// AgentOracle", "1", chainId, oracle), type MetricReport(... nonce, deadline). Nonces are unordered
// per signer; taking them from the clock (ms × 1000 + a counter) keeps them unique across restarts
// and packs consecutive ones into one bitmap word on chain.
import type { Address, Hex, PrivateKeyAccount } from "viem";

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

export interface MetricReport {
  streamId: bigint;
  windowStart: number;
  latencyMs: number;
  uptimeBps: number;
  errorRateBps: number;
  jitterMs: number;
}

export interface SignedReport {
  report: MetricReport;
  nonce: bigint;
  deadline: bigint;
  signature: Hex;
}

export class ReportSigner {
  private lastNonce = 0n;

  constructor(
    private readonly account: PrivateKeyAccount,
    private readonly chainId: number,
    private readonly oracle: Address,
  ) {}

  nextNonce(): bigint {
    const fromClock = BigInt(Date.now()) * 1000n;
    this.lastNonce = fromClock > this.lastNonce ? fromClock : this.lastNonce + 1n;
    return this.lastNonce;
  }

  async sign(report: MetricReport, deadline: bigint): Promise<SignedReport> {
    const nonce = this.nextNonce();
    const signature = await this.account.signTypedData({
      domain: { name: "SLA AgentOracle", version: "1", chainId: this.chainId, verifyingContract: this.oracle },
      types: REPORT_TYPES,
      primaryType: "MetricReport",
      message: { ...report, nonce, deadline },
    });
    return { report, nonce, deadline, signature };
  }
}
