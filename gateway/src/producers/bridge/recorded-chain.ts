// The recent blocks the bridge has recorded (number → hash and consensus tag), to notice a reorg:
// a new block whose parent hash is not the recorded block's hash, or a recorded height whose
// hash changed. Bounded: only the last `window` blocks are kept, so a reorg deeper than that is
// handled like a replaced chain.

import type { BlockTag } from "../sim/consensus-timing.js";

export interface RecordedBlock {
  number: number;
  /** Lowercase 0x-hex Ethereum block hash. */
  hash: string;
  tag: BlockTag;
}

export class RecordedChain {
  // Insertion order is ascending by number: blocks are added in order, truncation removes the top.
  private readonly blocks = new Map<number, RecordedBlock>();

  constructor(private readonly window: number) {}

  add(b: RecordedBlock): void {
    this.blocks.set(b.number, b);
    while (this.blocks.size > this.window) this.blocks.delete(this.blocks.keys().next().value as number);
  }

  get(n: number): RecordedBlock | undefined {
    return this.blocks.get(n);
  }

  get tip(): RecordedBlock | undefined {
    let last: RecordedBlock | undefined;
    for (const b of this.blocks.values()) last = b;
    return last;
  }

  get lowest(): RecordedBlock | undefined {
    return this.blocks.values().next().value;
  }

  /** Numbers recorded, highest first (the fork-point search order). */
  numbersDescending(): number[] {
    return [...this.blocks.keys()].reverse();
  }

  /** Forgets every block above `n` (all of them for n = -1); returns them, highest first. */
  removeAbove(n: number): RecordedBlock[] {
    const removed = [...this.blocks.values()].filter((b) => b.number > n).reverse();
    for (const b of removed) this.blocks.delete(b.number);
    return removed;
  }
}
