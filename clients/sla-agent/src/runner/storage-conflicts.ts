// Which storage slots each transaction read and wrote (debug_traceTransaction with the prestate
// tracer: the plain trace lists every slot touched, diff mode the ones changed), and what that means
// per block for Monad's optimistic parallel execution: slots touched by two or more transactions
// (the gateway's "contended" slots) and transaction pairs that conflict (one writes what the other
// reads or writes: the pairs that force a re-execution, the gateway's schedule.conflict_edges).
import type { Hex, PublicClient } from "viem";

type Prestate = Record<string, { storage?: Record<string, string> }>;

export interface TxAccess {
  hash: Hex;
  block: number;
  index: number;
  reads: Set<string>;
  writes: Set<string>;
}

export interface BlockConflicts {
  block: number;
  txs: number;
  uniqueSlots: number;
  /** Slots touched by two or more of the block's transactions. */
  contendedSlots: number;
  /** Transaction pairs where one writes a slot the other touches. */
  conflictPairs: number;
  /** Example conflicting slots (address:slot). */
  examples: string[];
}

export async function traceAccess(client: PublicClient, hash: Hex, block: number, index: number): Promise<TxAccess> {
  const trace = (config: object) => client.request({ method: "debug_traceTransaction" as never, params: [hash, { tracer: "prestateTracer", ...config }] as never });
  const pre = (await trace({})) as Prestate;
  const diff = (await trace({ tracerConfig: { diffMode: true } })) as { post: Prestate };
  const slots = (state: Prestate) => new Set(Object.entries(state).flatMap(([address, a]) => Object.keys(a.storage ?? {}).map((slot) => `${address.toLowerCase()}:${slot}`)));
  return { hash, block, index, reads: slots(pre), writes: slots(diff.post ?? {}) };
}

export function blockConflicts(block: number, txs: TxAccess[]): BlockConflicts {
  const touchedBy = new Map<string, number>();
  for (const t of txs) for (const s of new Set([...t.reads, ...t.writes])) touchedBy.set(s, (touchedBy.get(s) ?? 0) + 1);
  let pairs = 0;
  const examples = new Set<string>();
  for (let i = 0; i < txs.length; i++) {
    for (let j = i + 1; j < txs.length; j++) {
      const a = txs[i];
      const b = txs[j];
      const shared = [...a.writes].filter((s) => b.reads.has(s) || b.writes.has(s)).concat([...b.writes].filter((s) => a.reads.has(s)));
      if (shared.length > 0) {
        pairs++;
        for (const s of shared.slice(0, 2)) if (examples.size < 5) examples.add(s);
      }
    }
  }
  return {
    block,
    txs: txs.length,
    uniqueSlots: touchedBy.size,
    contendedSlots: [...touchedBy.values()].filter((n) => n >= 2).length,
    conflictPairs: pairs,
    examples: [...examples],
  };
}
