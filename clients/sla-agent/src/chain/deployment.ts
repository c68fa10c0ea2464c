// The addresses `monad-gateway contracts deploy` wrote, checked before anything relies on them.
import { readFileSync } from "node:fs";
import { getAddress, isAddress, type Address } from "viem";
import { ConfigError } from "../config/load-config.js";

export interface Deployment {
  chainId: number;
  factory: Address;
  oracle: Address;
  refundManager: Address;
  parallelPay?: Address;
  /** Block the oracle was deployed in: no breach can be older. */
  oracleBlock: number;
  maxReportDelay: number;
}

export function loadDeployment(file: string): Deployment {
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ConfigError(`cannot read the deployment file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const contract = (name: string, required: boolean): { address: Address; blockNumber: number } | undefined => {
    const c = raw?.contracts?.[name];
    if (!c && !required) return undefined;
    if (!c || typeof c.address !== "string" || !isAddress(c.address, { strict: false }))
      throw new ConfigError(`deployment file ${file}: contracts.${name}.address is missing or not an address (is it the output of "monad-gateway contracts deploy"?)`);
    return { address: getAddress(c.address), blockNumber: Number.isInteger(c.blockNumber) ? c.blockNumber : 0 };
  };
  if (!Number.isInteger(raw?.chainId)) throw new ConfigError(`deployment file ${file}: chainId is missing`);
  const oracle = contract("AgentOracle", true)!;
  return {
    chainId: raw.chainId,
    factory: contract("SLAStreamFactory", true)!.address,
    oracle: oracle.address,
    refundManager: contract("RefundManager", true)!.address,
    parallelPay: contract("ParallelPay", false)?.address,
    oracleBlock: oracle.blockNumber,
    maxReportDelay: Number.isInteger(raw.maxReportDelay) ? raw.maxReportDelay : 3600,
  };
}
