// The contracts' ABIs, from the committed artifacts (contracts/artifacts): the agent decodes logs and
// encodes calls with exactly what was deployed.
import { readFileSync } from "node:fs";
import type { Abi, Hex } from "viem";

export type ContractName = "SLAStreamFactory" | "AgentOracle" | "RefundManager" | "ParallelPay" | "X402Payment";

const ARTIFACTS = new URL("../../../../contracts/artifacts/", import.meta.url);
const cache = new Map<ContractName, { abi: Abi; bytecode: Hex }>();

export function artifactOf(name: ContractName): { abi: Abi; bytecode: Hex } {
  let a = cache.get(name);
  if (!a) {
    const url = new URL(`${name}.json`, ARTIFACTS);
    try {
      a = JSON.parse(readFileSync(url, "utf8")) as { abi: Abi; bytecode: Hex };
    } catch (err) {
      throw new Error(`cannot read the ${name} artifact at ${url.pathname}: ${(err as Error).message}`);
    }
    cache.set(name, a);
  }
  return a;
}

export const abiOf = (name: ContractName): Abi => artifactOf(name).abi;
