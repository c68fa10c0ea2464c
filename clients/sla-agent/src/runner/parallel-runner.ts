// ParallelRunner: creates N SLA streams at once from N independent senders (stream ids are per
// creator, so creates by different senders share almost no storage slot), measures throughput
// (streams/s, transactions/s, blocks used), traces each transaction's reads and writes (storage
// slots, balances, nonces) to count the conflicts that would force re-execution on Monad, and
// compares them with the gateway's contention data (schedule.conflict_edges) for the same blocks.
// Every create sends its deposit to the factory, which escrows all deposits: one account whose
// balance every create writes, so all creates of a block conflict pairwise even though their
// storage is disjoint.
import { createWalletClient, formatEther, http, parseEther, parseEventLogs, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { abiOf } from "../chain/artifacts.js";
import { ChainContext, shortError } from "../chain/chain-context.js";
import { loadDeployment } from "../chain/deployment.js";
import type { SLA } from "../monitor/sla-terms.js";
import { blockConflicts, type BlockConflicts } from "./block-conflicts.js";
import { ContentionWatch } from "./contention-watch.js";
import { compareWithGateway, conflictTotals, verdictOf, type ConflictTotals, type GatewayReport } from "./gateway-comparison.js";
import { traceAccess, type TxAccess } from "./tx-access.js";

const factoryAbi = abiOf("SLAStreamFactory");
/** Transactions traced at once. */
const TRACE_CONCURRENCY = 8;

export interface StressOptions {
  rpc: string;
  deploymentFile: string;
  gateway?: string;
  count: number;
  /** Pays the senders' funding (not needed on anvil, where balances are set directly). */
  funderKey: Hex;
  depositWei: bigint;
  durationSeconds: number;
  sla: SLA;
  /** Recipient of every stream (default: a fresh address per stream). */
  recipient?: Address;
  progress?: (line: string) => void;
}

export interface StressResult {
  streams: number;
  streamIds: string[];
  seconds: number;
  streamsPerSecond: number;
  txsPerSecond: number;
  blocksUsed: number[];
  gasUsed: string;
  traced: boolean;
  traceError?: string;
  /** Per block: conflicting pairs (total and by kind of resource), the resources causing them. */
  conflicts: BlockConflicts[];
  /** Over all blocks; null when not traced. */
  conflictTotals: ConflictTotals | null;
  gateway: GatewayReport | null;
  verdict: string;
}

export async function stressParallel(o: StressOptions): Promise<StressResult> {
  const say = o.progress ?? (() => undefined);
  const deployment = loadDeployment(o.deploymentFile);
  const chain = await ChainContext.connect(o.rpc, o.funderKey);
  const client = chain.public;
  const senders = Array.from({ length: o.count }, () => privateKeyToAccount(generatePrivateKey()));
  const fund = o.depositWei + parseEther("0.1");
  await fundSenders(chain, senders.map((s) => s.address), fund);
  say(`funded ${o.count} fresh senders with ${formatEther(fund)} each`);

  const watch = o.gateway ? new ContentionWatch(o.gateway) : undefined;
  await watch?.start();

  const now = Number((await client.getBlock()).timestamp);
  const start = now + 5;
  const transport = http(o.rpc, { retryCount: 2, timeout: 60_000 });
  // Every sender estimates, signs and sends at the same moment; none waits for another.
  const t0 = performance.now();
  const hashes = await Promise.all(
    senders.map(async (account, i) => {
      const wallet = createWalletClient({ account, chain: chain.chain, transport });
      const recipient = o.recipient ?? privateKeyToAccount(generatePrivateKey()).address;
      const req = { address: deployment.factory, abi: factoryAbi, functionName: "createStream", args: [recipient, "0x0000000000000000000000000000000000000000", o.depositWei, start, start + o.durationSeconds, o.sla], value: o.depositWei } as const;
      const gas = await client.estimateContractGas({ ...req, account });
      return wallet.writeContract({ ...req, account, gas: (gas * 110n) / 100n, nonce: 0 } as never);
    }),
  );
  const receipts: TransactionReceipt[] = await Promise.all(hashes.map((hash) => client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 })));
  const seconds = (performance.now() - t0) / 1000;
  const failed = receipts.filter((r) => r.status !== "success");
  if (failed.length) throw new Error(`${failed.length} of ${o.count} creates reverted (first: ${failed[0].transactionHash})`);
  const blocksUsed = [...new Set(receipts.map((r) => Number(r.blockNumber)))].sort((a, b) => a - b);
  const streamIds = receipts.flatMap((r) =>
    parseEventLogs({ abi: factoryAbi, logs: r.logs, eventName: "StreamCreated" }).map((l) => String((l.args as { streamId: bigint }).streamId)),
  );
  say(`created ${o.count} streams in ${seconds.toFixed(2)} s across ${blocksUsed.length} block(s)`);

  // Every transaction of those blocks is traced (not only ours), as the gateway counts them all.
  const labels = { [deployment.factory.toLowerCase()]: "SLAStreamFactory", [deployment.oracle.toLowerCase()]: "AgentOracle", [deployment.refundManager.toLowerCase()]: "RefundManager" };
  let traced = true;
  let traceError: string | undefined;
  const conflicts: BlockConflicts[] = [];
  try {
    for (const b of blocksUsed) {
      const block = await client.getBlock({ blockNumber: BigInt(b) });
      const txs: TxAccess[] = [];
      for (let i = 0; i < block.transactions.length; i += TRACE_CONCURRENCY) {
        const slice = block.transactions.slice(i, i + TRACE_CONCURRENCY);
        txs.push(...(await Promise.all(slice.map((hash, k) => traceAccess(client as PublicClient, hash, b, i + k)))));
      }
      // The beneficiary's fee credits commute (Monad adds them up as deltas): not a conflict.
      conflicts.push(blockConflicts(b, txs, { beneficiary: block.miner.toLowerCase(), labels }));
    }
  } catch (err) {
    traced = false;
    conflicts.length = 0;
    traceError = `debug_traceTransaction is not available on this node: ${shortError(err)}`;
  }

  let gateway: GatewayReport | null = null;
  if (watch) {
    await watch.waitFor(blocksUsed, 15_000);
    watch.stop();
    gateway = compareWithGateway(o.gateway!, watch, blocksUsed, conflicts);
  }
  const totalGas = receipts.reduce((s, r) => s + r.gasUsed, 0n);
  return {
    streams: o.count,
    streamIds,
    seconds,
    streamsPerSecond: o.count / seconds,
    txsPerSecond: receipts.length / seconds,
    blocksUsed,
    gasUsed: totalGas.toString(),
    traced,
    traceError,
    conflicts,
    conflictTotals: traced ? conflictTotals(conflicts) : null,
    gateway,
    verdict: verdictOf(conflicts, gateway, traced, deployment.factory),
  };
}

async function fundSenders(chain: ChainContext, addresses: Address[], amount: bigint): Promise<void> {
  const version = String(await chain.public.request({ method: "web3_clientVersion" }).catch(() => "unknown"));
  if (/anvil/i.test(version)) {
    for (const a of addresses) await chain.public.request({ method: "anvil_setBalance" as never, params: [a, `0x${amount.toString(16)}`] as never });
    return;
  }
  // A real chain: one transfer each from the funder, sent back to back, then awaited together.
  const nonce = await chain.public.getTransactionCount({ address: chain.address, blockTag: "pending" });
  const hashes: Hex[] = [];
  for (const [i, to] of addresses.entries()) hashes.push(await chain.wallet.sendTransaction({ account: chain.account, chain: chain.chain, to, value: amount, nonce: nonce + i }));
  await Promise.all(hashes.map((hash) => chain.public.waitForTransactionReceipt({ hash, timeout: 120_000 })));
}
