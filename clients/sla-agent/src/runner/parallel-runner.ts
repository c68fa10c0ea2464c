// ParallelRunner: creates N SLA streams at once from N independent senders (stream ids are per
// creator, so creates by different senders share no storage slot), measures throughput (streams/s,
// transactions/s, blocks used), traces each transaction's storage accesses to count the conflicts
// that would force re-execution on Monad, and compares them with the gateway's contention data for
// the same blocks.
import { createWalletClient, formatEther, http, parseEther, parseEventLogs, type Address, type Hex, type PublicClient, type TransactionReceipt } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { abiOf } from "../chain/artifacts.js";
import { ChainContext, shortError } from "../chain/chain-context.js";
import { loadDeployment } from "../chain/deployment.js";
import type { SLA } from "../monitor/sla-terms.js";
import { ContentionWatch } from "./contention-watch.js";
import { blockConflicts, traceAccess, type BlockConflicts, type TxAccess } from "./storage-conflicts.js";

const factoryAbi = abiOf("SLAStreamFactory");

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

export interface GatewayComparison {
  block: number;
  ours: BlockConflicts | null;
  gateway: { txns: number; uniqueSlots: number; contendedSlots: number; conflictEdges: number; batches: number } | null;
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
  conflicts: BlockConflicts[];
  gateway: { url: string; connected: boolean; error?: string; storageAccessesSeen: boolean; blocks: GatewayComparison[] } | null;
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

  let traced = true;
  let traceError: string | undefined;
  const byBlock = new Map<number, TxAccess[]>();
  try {
    for (const r of receipts) {
      const a = await traceAccess(client as PublicClient, r.transactionHash, Number(r.blockNumber), r.transactionIndex);
      byBlock.set(a.block, [...(byBlock.get(a.block) ?? []), a]);
    }
  } catch (err) {
    traced = false;
    traceError = `debug_traceTransaction is not available on this node: ${shortError(err)}`;
  }
  const conflicts = traced ? blocksUsed.map((b) => blockConflicts(b, (byBlock.get(b) ?? []).sort((x, y) => x.index - y.index))) : [];

  let gateway: StressResult["gateway"] = null;
  if (watch) {
    await watch.waitFor(blocksUsed, 15_000);
    watch.stop();
    const blocks: GatewayComparison[] = blocksUsed.map((b) => {
      const c = watch.byBlock.get(b);
      return {
        block: b,
        ours: conflicts.find((x) => x.block === b) ?? null,
        gateway: c ? { txns: c.total_txn_count, uniqueSlots: c.total_unique_slots, contendedSlots: c.contended_slot_count, conflictEdges: c.schedule?.conflict_edges ?? 0, batches: c.schedule?.batch_count ?? 0 } : null,
      };
    });
    gateway = { url: o.gateway!, connected: watch.connected, error: watch.error, storageAccessesSeen: blocks.some((b) => (b.gateway?.uniqueSlots ?? 0) > 0), blocks };
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
    gateway,
    verdict: verdictOf(conflicts, gateway, traced),
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

function verdictOf(conflicts: BlockConflicts[], gw: StressResult["gateway"], traced: boolean): string {
  const lines: string[] = [];
  if (traced) {
    const pairs = conflicts.reduce((s, c) => s + c.conflictPairs, 0);
    lines.push(pairs === 0 ? "no two creates conflict on storage (independent senders, per-creator ids)" : `${pairs} conflicting transaction pair(s) on storage`);
  } else lines.push("own conflicts not measured (no debug_traceTransaction)");
  if (!gw) lines.push("no gateway given: nothing to compare with");
  else if (!gw.connected) lines.push(`gateway ${gw.url} not reachable: ${gw.error ?? "unknown error"}`);
  else if (gw.blocks.every((b) => b.gateway === null)) lines.push("the gateway sent no ContentionData for these blocks (is it serving this chain?)");
  else if (!gw.storageAccessesSeen)
    lines.push("the gateway saw no storage accesses for these blocks: its source records none (a devnet bridge without StorageAccess events), so its contention numbers cannot be compared");
  else {
    const compared = gw.blocks.filter((b) => b.ours && b.gateway);
    const agree = compared.every((b) => b.ours!.conflictPairs === b.gateway!.conflictEdges && b.ours!.contendedSlots === b.gateway!.contendedSlots);
    lines.push(
      agree
        ? "the gateway's contention data agrees exactly (contended slots and conflicting pairs)"
        : `the gateway's contention data differs from the traced read/write sets in ${compared.filter((b) => b.ours!.conflictPairs !== b.gateway!.conflictEdges).length} of ${compared.length} block(s) (see the table): slots only read by several transactions are not conflicts`,
    );
  }
  return lines.join("; ");
}
