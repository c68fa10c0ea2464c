// Which transactions of a block conflict under Monad's optimistic parallel execution, counted the
// way the gateway's parallel schedule analysis counts them (gateway/src/enrich/README.md, "Parallel
// schedule analysis"), so the totals can be compared with its schedule.conflict_edges:
//   - resources: storage slots, account balances, account nonces (tx-access.ts), except the block
//     beneficiary's balance (every transaction credits it fees; Monad accumulates those as deltas);
//   - two transactions conflict when they share a resource and at least one of them writes it.
// Besides the total, each kind is counted on its own (a pair may conflict through several kinds),
// and the resources causing the most conflicting pairs are named, so a user sees where the
// conflicts come from.
import { parseResourceKey, RESOURCE_KINDS, type ResourceKind, type TxAccess } from "./tx-access.js";

export interface HotResource {
  kind: ResourceKind;
  address: string;
  slot?: string;
  /** What the address is, when known (e.g. "SLAStreamFactory"). */
  label?: string;
  writers: number;
  readers: number;
  /** Transaction pairs conflicting through this resource. */
  pairs: number;
}

export interface BlockConflicts {
  block: number;
  txs: number;
  /** Whose balance was left out (null: not known, nothing left out). */
  beneficiary: string | null;
  /** Storage slots touched by the block's transactions (the gateway's total_unique_slots). */
  uniqueSlots: number;
  /** Storage slots touched by two or more transactions (the gateway's contended_slot_count). */
  contendedSlots: number;
  /** Transaction pairs sharing a resource that one of them writes (the gateway's schedule.conflict_edges). */
  conflictPairs: number;
  /** Pairs conflicting through each kind of resource; they can overlap. */
  byKind: Record<ResourceKind, number>;
  /** The resources causing the most conflicting pairs (up to 5). */
  hot: HotResource[];
  /** One line: where the conflicts come from. */
  explanation: string;
}

export interface ConflictOptions {
  beneficiary?: string;
  /** Lowercase address → what it is, used in `hot` and the explanation. */
  labels?: Record<string, string>;
}

/** `txs` in block order. */
export function blockConflicts(block: number, txs: TxAccess[], o: ConflictOptions = {}): BlockConflicts {
  const n = txs.length;
  const beneficiary = o.beneficiary?.toLowerCase();
  const accessors = new Map<string, { writers: number[]; readers: number[] }>();
  txs.forEach((t, i) => {
    for (const [key, written] of t.resources) {
      if (beneficiary !== undefined && key === `balance:${beneficiary}`) continue;
      let a = accessors.get(key);
      if (!a) accessors.set(key, (a = { writers: [], readers: [] }));
      (written ? a.writers : a.readers).push(i);
    }
  });

  // One byte per ordered pair (i < j): bit k set when they conflict through kind k.
  const pairBits = new Uint8Array(n * n);
  let uniqueSlots = 0;
  let contendedSlots = 0;
  const hot: HotResource[] = [];
  for (const [key, { writers, readers }] of accessors) {
    const r = parseResourceKey(key);
    const count = writers.length + readers.length;
    if (r.kind === "storage") {
      uniqueSlots++;
      if (count >= 2) contendedSlots++;
    }
    if (writers.length === 0 || count < 2) continue;
    const bit = 1 << RESOURCE_KINDS.indexOf(r.kind);
    for (const w of writers) {
      for (const x of writers) if (x !== w) pairBits[Math.min(w, x) * n + Math.max(w, x)] |= bit;
      for (const x of readers) pairBits[Math.min(w, x) * n + Math.max(w, x)] |= bit;
    }
    const label = o.labels?.[r.address];
    hot.push({ ...r, ...(label ? { label } : {}), writers: writers.length, readers: readers.length, pairs: choose2(count) - choose2(readers.length) });
  }

  const byKind = { storage: 0, balance: 0, nonce: 0 } as Record<ResourceKind, number>;
  let conflictPairs = 0;
  for (const bits of pairBits) {
    if (bits === 0) continue;
    conflictPairs++;
    RESOURCE_KINDS.forEach((k, i) => {
      if (bits & (1 << i)) byKind[k]++;
    });
  }
  hot.sort((a, b) => b.pairs - a.pairs || b.writers - a.writers || a.kind.localeCompare(b.kind) || a.address.localeCompare(b.address));
  const top = hot.slice(0, 5);
  return { block, txs: n, beneficiary: beneficiary ?? null, uniqueSlots, contendedSlots, conflictPairs, byKind, hot: top, explanation: explain(n, conflictPairs, top) };
}

function choose2(k: number): number {
  return (k * (k - 1)) / 2;
}

/** e.g. "all 20 transactions write the ETH balance of SLAStreamFactory 0x5fbd…: every pair conflicts (190 = 20·19/2)". */
function explain(n: number, pairs: number, hot: HotResource[]): string {
  if (pairs === 0) return n < 2 ? "one transaction: nothing to conflict with" : "no two transactions share a resource that one of them writes";
  const h = hot[0];
  const who = h.writers === n ? `all ${n} transactions write` : `${h.writers} of ${n} transactions write${h.readers ? ` and ${h.readers} read` : ""}`;
  const all = choose2(n);
  const scope = pairs === all ? `every pair conflicts (${pairs} = ${n}·${n - 1}/2)` : `${pairs} of ${all} pairs conflict`;
  const via = h.pairs === pairs ? "" : ` (${h.pairs} through it)`;
  return `${who} ${describe(h)}${via}: ${scope}`;
}

export function describe(r: { kind: ResourceKind; address: string; slot?: string; label?: string }): string {
  const who = r.label ? `${r.label} ${r.address}` : r.address;
  if (r.kind === "balance") return `the ETH balance of ${who}`;
  if (r.kind === "nonce") return `the nonce of ${who}`;
  return `storage slot ${r.slot} of ${who}`;
}
