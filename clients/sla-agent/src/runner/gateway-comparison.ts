// The ParallelRunner's conclusions: its own conflict counts summed over the blocks, compared block
// by block with the gateway's ContentionData (schedule.conflict_edges, unique and contended slots),
// and a verdict that says where the conflicts come from.
import type { BlockConflicts } from "./block-conflicts.js";
import { describe } from "./block-conflicts.js";
import type { ContentionWatch } from "./contention-watch.js";

export interface GatewayBlock {
  txns: number;
  uniqueSlots: number;
  contendedSlots: number;
  conflictEdges: number;
  batches: number;
}

export interface GatewayComparison {
  block: number;
  ours: BlockConflicts | null;
  gateway: GatewayBlock | null;
  /** Same transactions, slots, contended slots and conflicting pairs; null when one side is missing. */
  agrees: boolean | null;
}

export interface GatewayReport {
  url: string;
  connected: boolean;
  error?: string;
  storageAccessesSeen: boolean;
  blocks: GatewayComparison[];
}

export interface ConflictTotals {
  txs: number;
  /** Conflicting pairs (compare: the gateway's conflict_edges summed). */
  pairs: number;
  /** Pairs conflicting through storage / balances / nonces; they can overlap. */
  storage: number;
  balance: number;
  nonce: number;
}

export function conflictTotals(conflicts: BlockConflicts[]): ConflictTotals {
  const t: ConflictTotals = { txs: 0, pairs: 0, storage: 0, balance: 0, nonce: 0 };
  for (const c of conflicts) {
    t.txs += c.txs;
    t.pairs += c.conflictPairs;
    t.storage += c.byKind.storage;
    t.balance += c.byKind.balance;
    t.nonce += c.byKind.nonce;
  }
  return t;
}

export function compareWithGateway(url: string, watch: ContentionWatch, blocksUsed: number[], conflicts: BlockConflicts[]): GatewayReport {
  const blocks = blocksUsed.map((b): GatewayComparison => {
    const c = watch.byBlock.get(b);
    const ours = conflicts.find((x) => x.block === b) ?? null;
    const gateway = c
      ? { txns: c.total_txn_count, uniqueSlots: c.total_unique_slots, contendedSlots: c.contended_slot_count, conflictEdges: c.schedule?.conflict_edges ?? 0, batches: c.schedule?.batch_count ?? 0 }
      : null;
    const agrees =
      ours && gateway
        ? ours.txs === gateway.txns && ours.uniqueSlots === gateway.uniqueSlots && ours.contendedSlots === gateway.contendedSlots && ours.conflictPairs === gateway.conflictEdges
        : null;
    return { block: b, ours, gateway, agrees };
  });
  return { url, connected: watch.connected, ...(watch.error ? { error: watch.error } : {}), storageAccessesSeen: blocks.some((b) => (b.gateway?.uniqueSlots ?? 0) > 0), blocks };
}

export function verdictOf(conflicts: BlockConflicts[], gw: GatewayReport | null, traced: boolean, factory: string): string {
  const lines: string[] = [];
  if (traced) lines.push(ownConclusion(conflicts, factory));
  else lines.push("own conflicts not measured (no debug_traceTransaction)");
  if (!gw) lines.push("no gateway given: nothing to compare with");
  else if (!gw.connected) lines.push(`gateway ${gw.url} not reachable: ${gw.error ?? "unknown error"}`);
  else if (gw.blocks.every((b) => b.gateway === null)) lines.push("the gateway sent no ContentionData for these blocks (is it serving this chain?)");
  else if (!gw.storageAccessesSeen)
    lines.push("the gateway saw no storage accesses for these blocks: its source records none (a devnet bridge without StorageAccess events), so its contention numbers cannot be compared");
  else if (traced) {
    const compared = gw.blocks.filter((b) => b.agrees !== null);
    const differ = compared.filter((b) => !b.agrees).length;
    lines.push(
      differ === 0
        ? `the gateway's contention data agrees exactly in all ${compared.length} block(s): schedule.conflict_edges = our conflicting pairs, same unique and contended slots`
        : `the gateway's contention data differs from the traced read/write sets in ${differ} of ${compared.length} block(s) (see the table)`,
    );
  }
  return lines.join("\n");
}

function ownConclusion(conflicts: BlockConflicts[], factory: string): string {
  const t = conflictTotals(conflicts);
  if (t.pairs === 0) return "no two transactions conflict: none writes a storage slot, balance or nonce another one touches";
  const worst = conflicts.reduce((a, b) => (b.conflictPairs > a.conflictPairs ? b : a));
  const lines = [
    `${t.pairs} conflicting transaction pair(s) in ${conflicts.length} block(s); by resource: balance ${t.balance}, storage ${t.storage}, nonce ${t.nonce} (a pair can conflict through several)`,
    `block ${worst.block}: ${worst.explanation}`,
  ];
  const top = worst.hot[0];
  if (top?.kind === "balance" && top.address === factory.toLowerCase())
    lines.push(
      `every createStream sends its deposit to the factory, which escrows all deposits: one shared account whose balance each create writes, so on Monad the creates conflict although their storage is ${t.storage === 0 ? "disjoint" : `nearly disjoint (storage alone: ${t.storage} pair(s))`}`,
    );
  else if (top) lines.push(`the top resource: ${describe(top)}`);
  return lines.join("\n");
}
