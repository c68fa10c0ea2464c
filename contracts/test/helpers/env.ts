// Per-file test environment: an anvil, the SLA suite, tokens, and a snapshot to return to.
import type { Address, Hex } from "viem";
import { Chain, type Contract } from "./chain.js";
import { deploySuite, type Suite, type SuiteOptions } from "./system.js";

export interface Env extends Suite {
  chain: Chain;
  token: Contract;
  /** Roles by convention: 0 admin, 1 and 2 agents, 3 executor, 4-6 senders, 7-9 recipients. */
  admin: Address;
  agents: [Address, Address];
  executor: Address;
  senders: [Address, Address, Address];
  recipients: [Address, Address, Address];
  reset(): Promise<void>;
}

export async function startEnv(opts: SuiteOptions = {}): Promise<Env> {
  const chain = await Chain.start();
  const a = chain.accounts;
  const suite = await deploySuite(chain, { agents: [a[1], a[2]], executors: [a[3]], ...opts });
  const token = await chain.deploy("MockERC20", ["USD Coin", 6]);
  for (const holder of [a[4], a[5], a[6]]) {
    await token.write("mint", [holder, 10n ** 30n]);
    await token.write("approve", [suite.factory.address, 2n ** 256n - 1n], { from: holder });
  }
  let snap: Hex = await chain.snapshot();
  return {
    ...suite,
    chain,
    token,
    admin: a[0],
    agents: [a[1], a[2]],
    executor: a[3],
    senders: [a[4], a[5], a[6]],
    recipients: [a[7], a[8], a[9]],
    async reset() {
      await chain.revert(snap);
      snap = await chain.snapshot();
    },
  };
}
