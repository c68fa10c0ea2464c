// The execution side of one simulated transaction while it is being planned: call frames,
// logs, account and storage accesses, and their gas.
//
// Kinds (txn-kinds.ts) describe what a transaction does through this small API; it keeps the
// pieces consistent: a call with value moves native balance, a storage write reads the slot's
// current value first (as this transaction left it, else the hot slot's tracked value, else a
// fresh random one) and updates tracked hot values, and a reverted or invalid transaction keeps
// its reads but none of its writes, logs or value moves.

import { AccessSet } from "./access-set.js";
import type { HotSet } from "./contention.js";
import type { Prng } from "./prng.js";
import { EVMC_SUCCESS, type FramePlan, type LogPlan } from "./txn-plan.js";
import type { Account, World } from "./world.js";

/** One transaction being planned: frames, logs and accesses accumulate here. */
export class TxnBody {
  readonly frames: FramePlan[] = [];
  readonly selfGas: number[] = [];
  readonly logs: LogPlan[] = [];
  readonly access = new AccessSet();

  /** Whether the execution's state changes are discarded (a revert, or an invalid transaction). */
  readonly discard: boolean;

  constructor(
    private readonly world: World,
    private readonly hot: HotSet,
    private readonly rng: Prng,
    /** A reverting transaction keeps its reads but none of its writes, logs or value moves. */
    readonly reverted: boolean,
    /** A rejected / EVM-error transaction has no effect at all (its block fails). */
    readonly failed: boolean,
  ) {
    this.discard = reverted || failed;
  }

  /** Appends a call frame (pre-order: call it before the callee's own calls). Returns its index. */
  call(depth: number, caller: Account, target: Account, opcode: number, value: bigint, input: Uint8Array, output: Uint8Array, selfGas: number): number {
    this.access.touch(target);
    this.frames.push({ caller: caller.address, target: target.address, opcode, value, gas: 0, gasUsed: 0, status: EVMC_SUCCESS, depth, input, output });
    this.selfGas.push(selfGas);
    if (value > 0n) this.moveNative(caller, target, value);
    return this.frames.length - 1;
  }

  log(address: Account, topics: Uint8Array[], data: Uint8Array): void {
    if (!this.discard) this.logs.push({ address: address.address, topics, data });
  }

  moveNative(from: Account, to: Account, amount: bigint): void {
    this.access.touch(from);
    this.access.touch(to);
    if (this.discard || amount === 0n) return;
    this.world.addBalance(from, -amount);
    this.world.addBalance(to, amount);
  }

  /** Current value of a slot: as this transaction left it, else the hot value, else a fresh random one ≥ atLeast. */
  private value(acct: Account, key: Uint8Array, atLeast: bigint): bigint {
    const seen = this.access.current(acct, key);
    if (seen !== undefined) return seen;
    const hot = this.hot.find(acct, key);
    if (hot !== undefined) return hot.value;
    return atLeast + this.rng.bigBits(64) * 1_000_000n;
  }

  sload(acct: Account, key: Uint8Array): bigint {
    const v = this.value(acct, key, 0n);
    this.access.storage(acct, key, v);
    return v;
  }

  sstore(acct: Account, key: Uint8Array, next: (old: bigint) => bigint, atLeast = 0n): bigint {
    const old = this.value(acct, key, atLeast);
    if (this.discard) {
      this.access.storage(acct, key, old);
      return old;
    }
    const v = next(old);
    this.access.storage(acct, key, old, v);
    const hot = this.hot.find(acct, key);
    if (hot !== undefined) this.hot.set(hot, v);
    return v;
  }

  tstore(acct: Account, key: Uint8Array): void {
    // Transient storage always starts at 0 and is cleared when the transaction ends.
    this.access.storage(acct, key, 0n, 0n, true);
  }

  /** ERC-20 balance move inside `token`; returns the amount actually moved (capped by the balance). */
  tokenMove(token: Account, from: Account, to: Account, want: bigint): bigint {
    const w = this.world;
    const fromKey = w.balanceKey(from);
    let amount = want;
    this.sstore(token, fromKey, (old) => {
      if (old < amount) amount = old / 2n;
      return old - amount;
    }, want);
    this.sstore(token, w.balanceKey(to), (old) => old + amount);
    return amount;
  }

  /** Sets gas / gas_used of every frame from the self costs (a frame's usage includes its subtree). */
  finishGas(topGas: number): number {
    const n = this.frames.length;
    const total = new Array<number>(n);
    for (let i = n - 1; i >= 0; i--) {
      let t = this.selfGas[i];
      const d = this.frames[i].depth;
      for (let j = i + 1; j < n && this.frames[j].depth > d; j++) if (this.frames[j].depth === d + 1) t += total[j];
      total[i] = t;
    }
    const gasOf: number[] = [];
    for (let i = 0; i < n; i++) {
      const fr = this.frames[i];
      fr.gasUsed = total[i];
      // All but 1/64 of the caller's remaining gas is forwarded (EIP-150).
      const parentGas = fr.depth === 0 ? topGas : gasOf[fr.depth - 1];
      fr.gas = fr.depth === 0 ? topGas : Math.max(fr.gasUsed, Math.floor((parentGas * 63) / 64) - 700);
      gasOf[fr.depth] = fr.gas;
    }
    return n > 0 ? total[0] : 0;
  }
}
