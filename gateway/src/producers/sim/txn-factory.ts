// Plans simulated transactions: who sends what, of which kind and type, with which fees,
// whether it touches hot slots, reverts or is invalid — and what that does to the world.
//
// Kinds follow what dominates EVM chains (txn-kinds.ts): native transfers, ERC-20 transfers,
// DEX swaps through a router, and the odd contract deployment. Hot (contended) slots are hit
// either naturally (a transfer by an exchange wallet of the hot token, a swap on the hot pool)
// or, for reads and extra writes, by a nested call to the hot contract.
//
// Gas figures are plausible approximations of the EVM schedule (cold SLOAD 2100, SSTORE 2900 /
// 20000, 375 per log topic…), not an EVM: they only need to be self-consistent (a frame's
// gas_used includes its children's, the receipt's equals intrinsic + the top frame's).

import type { AccountEntry as AccessEntry } from "./access-set.js";
import { EMPTY, SEL } from "./abi.js";
import type { HotSet, HotSlot } from "./contention.js";
import { keccak256 } from "./keccak.js";
import { MAX_TXN_GAS_USED, type ResolvedSimOptions } from "./options.js";
import type { Prng } from "./prng.js";
import { TxnBody } from "./txn-body.js";
import { deploy, erc20Transfer, hotCall, nativeTransfer, otherEoa, swap, type KindContext } from "./txn-kinds.js";
import { EVMC_REVERT, type AccessListEntryPlan, type AuthEntryPlan, type TxnOutcome, type TxnPlan } from "./txn-plan.js";
import { ETHER, GWEI, ZERO_ADDRESS, type Account, type Pool, type World } from "./world.js";

/**
 * Synthetic Boost.Outcome error-domain ids for EVM_ERROR (the real ones are 64-bit category
 * hashes). A rejected transaction fails its block with an error of the transaction domain.
 */
export const TXN_ERROR_DOMAIN = 0x5b2f_9e1d_c0a3_7714n;
export const EXEC_ERROR_DOMAIN = 0x1c6a_44e0_93bd_2f58n;

type Kind = "native" | "erc20" | "swap" | "deploy";

/** What a transaction sees of its block. */
export interface BlockEnv {
  baseFee: bigint;
  timestampSec: number;
  /** Fee recipient: credited with each transaction's priority fee. */
  beneficiary: Account;
}

/** The transaction-level failure the block planner decided on for this transaction. */
export type TxnFailure = "none" | "reject" | "evmError";

/** Curve order of secp256k1, bounds r and s. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const MIN_SENDER_BALANCE = ETHER;

export class TxnFactory {
  private readonly kinds: Kind[] = ["native", "erc20", "swap", "deploy"];
  private readonly weights: number[];
  private readonly totalWeight: number;
  private readonly chainId: bigint;
  /** Contracts EIP-7702 accounts delegate to (a "batch executor"). */
  private readonly delegate: Account;
  private readonly delegationCodeHash: Uint8Array;
  private readonly kindCtx: KindContext;
  /** Authorizations the sender signed for itself in the current transaction (each bumps its nonce). */
  private selfAuths = 0;

  constructor(
    readonly world: World,
    readonly hot: HotSet,
    readonly rng: Prng,
    private readonly cfg: ResolvedSimOptions,
  ) {
    const m = cfg.transactions.mix;
    this.weights = [m.native, m.erc20, m.swap, m.deploy];
    this.totalWeight = this.weights.reduce((a, b) => a + b, 0);
    this.chainId = BigInt(cfg.chainId);
    this.kindCtx = { world, rng, timestampSec: 0 };
    this.delegate = world.account(rng.bytes(20), rng.bytes(32), 1, 0n);
    const designator = new Uint8Array(23);
    designator.set([0xef, 0x01, 0x00]);
    designator.set(this.delegate.address, 3);
    this.delegationCodeHash = keccak256(designator);
  }

  /** Plans transaction `index` of a block. Mutates the world (journaled, see journal.ts). */
  plan(index: number, env: BlockEnv, failure: TxnFailure): TxnPlan {
    const baseFee = env.baseFee;
    const rng = this.rng;
    const touchCount = this.hot.draw(rng);
    const touches = this.hot.touchesOut();

    // Kind and the parties, steered by the first written hot slot when there is one.
    let kind = this.pickKind();
    let token: Account | undefined;
    let pool: Pool | undefined;
    let sender = this.pickSender();
    let recipient: Account | undefined;
    const natural = touchCount > 0 ? touches.slice(0, touchCount).find((t) => t.write) : undefined;
    if (natural !== undefined) {
      const slot = natural.slot;
      if (slot.kind === "pool") {
        kind = "swap";
        pool = slot.pool;
      } else if (slot.holder !== undefined && this.isEoa(slot.holder)) {
        kind = "erc20";
        token = slot.contract;
        if (rng.chance(0.5) && slot.holder.balance >= MIN_SENDER_BALANCE) sender = slot.holder;
        else recipient = slot.holder;
      } else {
        kind = "swap"; // the holder is the token's pool: swap on it
        pool = this.world.pools.find((p) => p.account === slot.holder);
      }
    } else if (touchCount > 0 && (kind === "native" || kind === "deploy")) {
      kind = "erc20"; // extra hot calls need a contract as the top-level callee
    }
    if (recipient === sender) recipient = undefined;

    const txnType = this.pickTxnType();
    const tip = GWEI * BigInt(1 + rng.int(3));
    const maxFee = txnType === 0 ? baseFee + tip : baseFee * 2n + tip;
    const tipPerGas = maxFee - baseFee < tip ? maxFee - baseFee : tip;
    const nonce = sender.nonce;
    const reverted = kind !== "native" && failure === "none" && rng.chance(this.cfg.transactions.revertProbability);

    const b = new TxnBody(this.world, this.hot, rng, reverted, failure !== "none");
    b.access.touch(sender);

    // The authorization list is applied before execution (EIP-7702).
    this.selfAuths = 0;
    const authList: AuthEntryPlan[] = txnType === 4 ? this.authorizations(b, sender) : [];

    let to: Account = sender;
    let value = 0n;
    let data: Uint8Array = EMPTY;
    const x = this.kindCtx;
    x.timestampSec = env.timestampSec;
    switch (kind) {
      case "native":
        ({ to, value } = nativeTransfer(x, b, sender));
        break;
      case "erc20":
        ({ to, data } = erc20Transfer(x, b, sender, token ?? this.coldToken(), recipient));
        break;
      case "swap":
        ({ to, value, data } = swap(x, b, sender, pool ?? this.coldPool()));
        break;
      case "deploy":
        ({ to, data } = deploy(x, b, sender));
        break;
    }

    // Hot touches the main action did not cover: nested calls from the top-level callee.
    for (let k = 0; k < touchCount; k++) {
      const t = touches[k];
      const e = b.access.current(t.slot.contract, t.slot.key);
      if (e === undefined || (t.write && !b.discard && !this.wasWritten(b, t.slot))) hotCall(x, b, sender, to, t.slot, t.write);
    }

    const wantsAccessList = txnType === 1 || (txnType === 2 && rng.chance(this.cfg.transactions.accessListProbability));
    const accessList = wantsAccessList && kind !== "deploy" ? this.accessListFrom(b, sender, to) : [];

    // Intrinsic gas: base, calldata bytes, access list, authorizations, creation.
    let intrinsic = kind === "deploy" ? 53_000 : 21_000;
    for (let i = 0; i < data.length; i++) intrinsic += data[i] === 0 ? 4 : 16;
    for (const e of accessList) intrinsic += 2400 + 1900 * e.keyCount;
    intrinsic += 25_000 * authList.length;

    if (reverted) this.applyRevert(b);
    // Wallets add a margin over the estimate.
    const gasLimit = Math.round((intrinsic + this.estimate(b)) * (1.2 + rng.float() * 0.5));
    const execGas = b.finishGas(gasLimit - intrinsic);
    let gasUsed = intrinsic + execGas;
    if (gasUsed > MAX_TXN_GAS_USED) throw new Error(`simulator bug: a ${kind} transaction used ${gasUsed} gas (max ${MAX_TXN_GAS_USED})`);

    let outcome: TxnOutcome = reverted ? "revert" : "ok";
    let errorCode = 0;
    let errorDomain = 0n;
    if (failure !== "none") {
      // Invalid transactions change nothing; the block they are in fails and is rolled back anyway.
      outcome = failure === "reject" ? "reject" : "evmError";
      errorCode = 1 + rng.int(failure === "reject" ? 12 : 4);
      errorDomain = failure === "reject" ? 0n : EXEC_ERROR_DOMAIN;
      gasUsed = 0;
    } else {
      this.world.setNonce(sender, nonce + 1 + this.selfAuths);
      const fee = BigInt(gasUsed) * (baseFee + tipPerGas);
      this.world.addBalance(sender, sender.balance >= fee ? -fee : -sender.balance);
      // The priority fee goes to the block's fee recipient, which the node lists last.
      b.access.touch(env.beneficiary);
      this.world.addBalance(env.beneficiary, BigInt(gasUsed) * tipPerGas);
    }

    return {
      index,
      hash: rng.bytes(32),
      sender: sender.address,
      txnType,
      chainId: this.chainId,
      nonce,
      gasLimit,
      maxFeePerGas: maxFee,
      maxPriorityFeePerGas: txnType === 0 ? maxFee : tip,
      value,
      to: kind === "deploy" ? ZERO_ADDRESS : to.address,
      isContractCreation: kind === "deploy",
      r: 1n + (rng.bigBits(256) % (SECP256K1_N - 1n)),
      s: 1n + (rng.bigBits(256) % (SECP256K1_N / 2n - 1n)),
      yParity: rng.chance(0.5),
      data,
      accessList,
      authList,
      outcome,
      errorCode,
      errorDomain,
      gasUsed,
      tipPerGas,
      logs: outcome === "ok" ? b.logs : [],
      frames: outcome === "ok" || outcome === "revert" ? b.frames : [],
      accounts: failure === "none" ? b.access.finish() : [],
      execMicros: 8 + gasUsed / 100,
    };
  }

  // ---------------------------------------------------------------- choices

  private pickKind(): Kind {
    let x = this.rng.float() * this.totalWeight;
    for (let i = 0; i < this.kinds.length; i++) {
      x -= this.weights[i];
      if (x < 0) return this.kinds[i];
    }
    return "erc20";
  }

  private pickTxnType(): number {
    const t = this.cfg.transactions;
    if (this.rng.chance(t.eip7702Probability)) return 4;
    const x = this.rng.float();
    if (x < 0.08) return 0; // legacy
    if (x < 0.08 + t.accessListProbability * 0.2) return 1; // EIP-2930 always carries its access list
    return 2;
  }

  private pickSender(): Account {
    const eoas = this.world.eoas;
    for (let tries = 0; tries < 8; tries++) {
      const a = eoas[this.rng.int(eoas.length)];
      if (a.balance >= MIN_SENDER_BALANCE) return a;
    }
    // Everyone we tried is broke (only in very long runs): top one up, as a faucet would.
    const a = eoas[this.rng.int(eoas.length)];
    this.world.addBalance(a, 1000n * ETHER);
    return a;
  }

  private isEoa(a: Account): boolean {
    return this.world.eoas[a.id] === a;
  }

  private coldToken(): Account {
    const t = this.world.tokens;
    return t[this.hot.hotTokens + this.rng.int(t.length - this.hot.hotTokens)];
  }

  private coldPool(): Pool {
    const p = this.world.pools;
    return p[this.hot.hotPools + this.rng.int(p.length - this.hot.hotPools)];
  }

  private wasWritten(b: TxnBody, slot: HotSlot): boolean {
    for (const e of b.access.entries) {
      if (e.account !== slot.contract) continue;
      for (const s of e.storage) if (s.modified && (s.key === slot.key || Buffer.compare(s.key, slot.key) === 0)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- kinds

  private authorizations(b: TxnBody, sender: Account): AuthEntryPlan[] {
    const n = 1 + this.rng.int(2);
    const out: AuthEntryPlan[] = [];
    for (let i = 0; i < n; i++) {
      const authority = i === 0 ? sender : otherEoa(this.kindCtx, sender);
      b.access.touch(authority);
      // The sender's own authorization is checked after its nonce was bumped for the transaction.
      const authNonce = authority === sender ? authority.nonce + 1 : authority.nonce;
      out.push({
        chainId: this.chainId,
        address: this.delegate.address,
        nonce: authNonce,
        yParity: this.rng.chance(0.5),
        r: 1n + (this.rng.bigBits(256) % (SECP256K1_N - 1n)),
        s: 1n + (this.rng.bigBits(256) % (SECP256K1_N / 2n - 1n)),
        authority: authority.address,
        valid: true,
      });
      // Authorizations survive a revert of the execution, but not an invalid transaction.
      if (b.failed) continue;
      if (authority === sender) this.selfAuths++;
      else this.world.setNonce(authority, authority.nonce + 1);
      this.world.setCodeHash(authority, this.delegationCodeHash);
    }
    return out;
  }

  /**
   * An EIP-2930 list as a wallet would build it: the callee with the persistent slots the
   * transaction touches there, sometimes plus one more contract it reaches.
   */
  private accessListFrom(b: TxnBody, sender: Account, to: Account): AccessListEntryPlan[] {
    const out: AccessListEntryPlan[] = [];
    const add = (e: AccessEntry) => {
      const keys = new Uint8Array(32 * e.storage.length);
      e.storage.forEach((s, i) => keys.set(s.key, 32 * i));
      out.push({ address: e.account.address, keys, keyCount: e.storage.length });
    };
    const main = b.access.entries.find((e) => e.account === to);
    if (main !== undefined) add(main);
    const other = b.access.entries.find((e) => e.account !== to && e.account !== sender && e.storage.length > 0);
    if (other !== undefined && this.rng.chance(0.5)) add(other);
    return out;
  }

  /** A reverting transaction stops part-way: later frames never ran, the failing ones report REVERT. */
  private applyRevert(b: TxnBody): void {
    const keep = 1 + this.rng.int(b.frames.length);
    b.frames.length = keep;
    b.selfGas.length = keep;
    const revertData = new Uint8Array(4 + 32 * 3);
    revertData.set(SEL.errorString);
    b.frames[0].status = EVMC_REVERT;
    b.frames[0].output = revertData;
    const last = b.frames[keep - 1];
    last.status = EVMC_REVERT;
    last.output = revertData;
  }

  private estimate(b: TxnBody): number {
    let g = 0;
    for (const x of b.selfGas) g += x;
    return g;
  }
}
