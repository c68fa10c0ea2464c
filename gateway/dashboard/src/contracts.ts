// Top contended contracts over the blocks the page holds: per-block lists (at most 15 each) summed by
// address, so a contract that is hot block after block ranks above a one-block spike.
import type { ContentionData } from "@monad-gateway/sdk";

export interface ContractRank {
  address: string;
  /** Blocks (of those held) in which the contract had contended slots. */
  blocks: number;
  contendedSlots: number;
  totalSlots: number;
  accesses: number;
  /** contended_slots / total_slots in the newest block it appeared in. */
  latestScore: number;
  latestBlock: number;
}

export function rankContracts(contentions: readonly ContentionData[], limit: number): ContractRank[] {
  const byAddress = new Map<string, ContractRank>();
  for (const c of contentions) {
    const block = Number(c.block_number);
    for (const k of c.top_contended_contracts) {
      if (k.contended_slots === 0) continue;
      let r = byAddress.get(k.address);
      if (!r) {
        r = { address: k.address, blocks: 0, contendedSlots: 0, totalSlots: 0, accesses: 0, latestScore: 0, latestBlock: -1 };
        byAddress.set(k.address, r);
      }
      r.blocks++;
      r.contendedSlots += k.contended_slots;
      r.totalSlots += k.total_slots;
      r.accesses += k.total_accesses;
      if (block > r.latestBlock) {
        r.latestBlock = block;
        r.latestScore = k.contention_score;
      }
    }
  }
  return [...byAddress.values()].sort((a, b) => b.contendedSlots - a.contendedSlots || b.blocks - a.blocks || a.address.localeCompare(b.address)).slice(0, limit);
}
