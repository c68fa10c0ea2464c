// Storage contention: a small set of hot slots that many transactions share.
//
// Parallel execution on Monad is limited by transactions touching the same storage; the gateway
// measures exactly that (contended slots, contract edges). The hot set models where contention
// comes from on a real chain: a popular token's balance entries (of its DEX pool and of a few
// exchange wallets) and a DEX pool's reserve slots. Hot contracts alternate token, pool, token,
// pool…, and pool i trades token i, so a hot pool's swaps also write its hot token's slots.
// Every other access goes to a cold, random slot.

import type { ResolvedSimOptions } from "./options.js";
import type { Prng } from "./prng.js";
import {
  POOL_SLOT_PRICE0_CUMULATIVE,
  POOL_SLOT_PRICE1_CUMULATIVE,
  POOL_SLOT_RESERVES,
  slotKey,
  type Account,
  type Pool,
  type World,
} from "./world.js";

export interface HotSlot {
  readonly contract: Account;
  readonly kind: "token" | "pool";
  readonly key: Uint8Array;
  /** Current value of the slot; the next access's start value. */
  value: bigint;
  /** Token balance slots: whose balance this is. */
  readonly holder?: Account;
  /** Pool slots: the pool. */
  readonly pool?: Pool;
}

/** One planned access of a transaction to a hot slot. */
export interface HotTouch {
  slot: HotSlot;
  write: boolean;
}

export class HotSet {
  readonly contracts: Account[] = [];
  readonly slots: HotSlot[] = [];
  /** Hot tokens are world.tokens[0, hotTokens), hot pools world.pools[0, hotPools). */
  readonly hotTokens: number;
  readonly hotPools: number;
  /**
   * Slots that become contended as a consequence of the hot set without being part of it: a hot
   * pool's balance entry in each token it trades (every swap on the pool moves both), unless that
   * entry is itself a hot slot. As on a real DEX; listed so tools and tests can tell them apart.
   */
  readonly coupled: { contract: Account; key: Uint8Array }[] = [];
  private readonly byContract = new Map<number, HotSlot[]>();
  private readonly touches: HotTouch[] = [];
  private readonly picked = new Set<number>();

  constructor(
    private readonly world: World,
    rng: Prng,
    private readonly cfg: ResolvedSimOptions["contention"],
  ) {
    const n = cfg.hotContracts;
    this.hotTokens = Math.ceil(n / 2);
    this.hotPools = Math.floor(n / 2);
    for (let c = 0; c < n; c++) {
      const i = c >> 1;
      const share = Math.floor(cfg.hotSlots / n) + (c < cfg.hotSlots % n ? 1 : 0);
      if (c % 2 === 0) this.addTokenSlots(world.tokens[i], world.pools[i], share, rng);
      else this.addPoolSlots(world.pools[i], share, rng);
    }
    for (let p = 0; p < this.hotPools; p++) {
      const pool = world.pools[p];
      for (const token of [pool.token0, pool.token1]) {
        const key = world.balanceKey(pool.account);
        if (!this.slots.some((s) => s.contract === token && s.key === key)) this.coupled.push({ contract: token, key });
      }
    }
    for (const slot of this.slots) {
      const list = this.byContract.get(slot.contract.id);
      if (list === undefined) this.byContract.set(slot.contract.id, [slot]);
      else list.push(slot);
    }
  }

  private addTokenSlots(token: Account, pool: Pool | undefined, count: number, rng: Prng): void {
    this.contracts.push(token);
    // Popular balance entries: the token's pool first, then "exchange hot wallets" (the first EOAs).
    const holders: Account[] = [];
    if (pool !== undefined && (pool.token0 === token || pool.token1 === token)) holders.push(pool.account);
    for (let e = 0; holders.length < count && e < this.world.eoas.length; e++) holders.push(this.world.eoas[e]);
    for (let j = 0; j < count; j++) {
      const holder = holders[j % holders.length];
      // More hot slots than holders only happens with tiny worlds; distinct keys keep slots distinct.
      const key = j < holders.length ? this.world.balanceKey(holder) : slotKey(1000 + j);
      this.slots.push({ contract: token, kind: "token", key, value: rng.bigBits(64) * 10n ** 6n, holder });
    }
  }

  private addPoolSlots(pool: Pool, count: number, rng: Prng): void {
    this.contracts.push(pool.account);
    const base = [POOL_SLOT_RESERVES, POOL_SLOT_PRICE0_CUMULATIVE, POOL_SLOT_PRICE1_CUMULATIVE];
    for (let j = 0; j < count; j++) {
      // Beyond the three classic slots: an oracle-observations array (slots 13+).
      const key = slotKey(j < base.length ? base[j] : 13 + j - base.length);
      this.slots.push({ contract: pool.account, kind: "pool", key, value: rng.bigBits(224), pool });
    }
  }

  /**
   * Decides whether the next transaction is hot and, if so, which hot slots it touches and
   * whether it writes them. Returns the number of touches; they are in `touchesOut()[0..n)`,
   * reused between calls (no per-transaction allocation).
   */
  draw(rng: Prng): number {
    if (this.slots.length === 0 || !rng.chance(this.cfg.hotFraction)) return 0;
    const want = Math.min(1 + rng.int(this.cfg.maxHotSlotsPerTxn), this.slots.length);
    this.picked.clear();
    let n = 0;
    while (n < want) {
      const idx = rng.int(this.slots.length);
      if (this.picked.has(idx)) continue;
      this.picked.add(idx);
      const t = (this.touches[n] ??= { slot: this.slots[idx], write: false });
      t.slot = this.slots[idx];
      t.write = rng.chance(this.cfg.writeFraction);
      n++;
    }
    return n;
  }

  touchesOut(): readonly HotTouch[] {
    return this.touches;
  }

  /** Sets a hot slot's value, journaled so a failed block restores it. */
  set(slot: HotSlot, value: bigint): void {
    const old = slot.value;
    this.world.journal.record(() => (slot.value = old));
    slot.value = value;
  }

  /** The hot slot at (contract, key), if it is one. Called for every simulated storage access. */
  find(contract: Account, key: Uint8Array): HotSlot | undefined {
    const list = this.byContract.get(contract.id);
    if (list === undefined) return undefined;
    for (const slot of list) {
      if (slot.key === key) return slot;
      let same = true;
      for (let i = 31; i >= 0 && same; i--) same = slot.key[i] === key[i];
      if (same) return slot;
    }
    return undefined;
  }
}
