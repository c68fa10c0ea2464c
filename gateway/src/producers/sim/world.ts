// The simulated state the transactions act on: accounts, token and DEX contracts, validators.
//
// Everything is derived from the seed at construction. Values that transactions change (nonces,
// native balances) are mutated through World so each change is journaled and a failed block can
// be rolled back (see journal.ts).

import { Journal } from "./journal.js";
import { keccak256 } from "./keccak.js";
import type { Prng } from "./prng.js";

export const ZERO_ADDRESS: Uint8Array = new Uint8Array(20);
/** keccak256 of empty code: the code hash of every account without code. */
export const EMPTY_CODE_HASH: Uint8Array = keccak256(new Uint8Array(0));
/** 1 ether (or MON) in wei. */
export const ETHER = 10n ** 18n;
export const GWEI = 10n ** 9n;

export interface Account {
  /** Dense id, unique per world; used for de-duplication and caches. */
  readonly id: number;
  readonly address: Uint8Array;
  codeHash: Uint8Array;
  nonce: number;
  balance: bigint;
  /** Cached keccak(pad32(address) ‖ pad32(0)): this account's slot in an ERC-20 `balances` mapping at slot 0. */
  balanceKey?: Uint8Array;
  /** Cached slot of `allowances[this][router]` (mapping at slot 1). */
  routerAllowanceKey?: Uint8Array;
  /** Cached 32-byte topic form of the address (see addressTopic). */
  topicWord?: Uint8Array;
}

export interface Pool {
  readonly account: Account;
  readonly token0: Account;
  readonly token1: Account;
}

export interface Validator {
  /** 33-byte compressed secp256k1 public key (BLOCK_START.author). */
  readonly author: Uint8Array;
  /** Fee recipient (BLOCK_START.beneficiary). */
  readonly beneficiary: Account;
}

export interface WorldSize {
  accounts: number;
  tokens: number;
  pools: number;
}

/** Uniswap-V2-style pool storage slots, so keys look like the real thing. */
export const POOL_SLOT_RESERVES = 8;
export const POOL_SLOT_PRICE0_CUMULATIVE = 9;
export const POOL_SLOT_PRICE1_CUMULATIVE = 10;

/**
 * The address as a 32-byte log topic (left-padded), cached on the account: one stable instance
 * per account also lets the logs-bloom cache hit.
 */
export function addressTopic(a: Account): Uint8Array {
  if (a.topicWord === undefined) {
    a.topicWord = new Uint8Array(32);
    a.topicWord.set(a.address, 12);
  }
  return a.topicWord;
}

export function slotKey(n: number): Uint8Array {
  const k = new Uint8Array(32);
  new DataView(k.buffer).setUint32(28, n);
  return k;
}

/** keccak(pad32(addr) ‖ slot): the storage key of `mapping[addr]` for a mapping declared at `slot`. */
export function mappingKey(addr: Uint8Array, slot: Uint8Array): Uint8Array {
  const pre = new Uint8Array(64);
  pre.set(addr, 12);
  pre.set(slot, 32);
  return keccak256(pre);
}

const SLOT0 = slotKey(0);
const SLOT1 = slotKey(1);

export class World {
  readonly journal = new Journal();
  readonly eoas: Account[] = [];
  readonly tokens: Account[] = [];
  readonly pools: Pool[] = [];
  readonly wrappedNative: Account;
  readonly router: Account;
  /** EIP-2935 history storage contract, written in every block prologue. */
  readonly historyStorage: Account;
  readonly validators: Validator[] = [];
  private nextId = 0;

  constructor(rng: Prng, size: WorldSize) {
    for (let i = 0; i < size.accounts; i++) {
      // Spread balances over orders of magnitude (0.1 … 100k MON) like a real holder distribution.
      const balance = (ETHER / 10n) * BigInt(1 + rng.int(1_000_000));
      this.eoas.push(this.account(rng.bytes(20), EMPTY_CODE_HASH, rng.int(50), balance));
    }
    for (let i = 0; i < size.tokens; i++) this.tokens.push(this.contract(rng));
    this.wrappedNative = this.contract(rng, 1_000_000n * ETHER);
    this.router = this.contract(rng);
    const history = new Uint8Array(20);
    history.set([0x00, 0x00, 0xf9, 0x08, 0x27, 0xf1, 0xc5, 0x3a, 0x10, 0xcb, 0x7a, 0x02, 0x33, 0x5b, 0x17, 0x53, 0x20, 0x00, 0x29, 0x35]);
    this.historyStorage = this.account(history, rng.bytes(32), 1, 0n);
    for (let p = 0; p < size.pools; p++) {
      // Pool i pairs token i with the wrapped native token for the first pools (the hot ones are
      // token0/pool0, token1/pool1, …, so a hot pool's swaps also hit its hot token), then random pairs.
      const token0 = p < size.tokens ? this.tokens[p] : this.tokens[rng.int(size.tokens)];
      let token1 = p < size.tokens ? this.wrappedNative : this.tokens[rng.int(size.tokens)];
      if (token1 === token0) token1 = this.wrappedNative;
      this.pools.push({ account: this.contract(rng), token0, token1 });
    }
    for (let v = 0; v < 16; v++) {
      const author = rng.bytes(33);
      author[0] = 2 + (author[0] & 1); // compressed point prefix 0x02 / 0x03
      this.validators.push({ author, beneficiary: this.account(rng.bytes(20), EMPTY_CODE_HASH, 0, 0n) });
    }
  }

  /** A one-off account (e.g. a freshly deployed contract); not part of the sender population. */
  account(address: Uint8Array, codeHash: Uint8Array, nonce: number, balance: bigint): Account {
    return { id: this.nextId++, address, codeHash, nonce, balance };
  }

  private contract(rng: Prng, balance = 0n): Account {
    return this.account(rng.bytes(20), rng.bytes(32), 1, balance);
  }

  setNonce(a: Account, nonce: number): void {
    const old = a.nonce;
    this.journal.record(() => (a.nonce = old));
    a.nonce = nonce;
  }

  setCodeHash(a: Account, codeHash: Uint8Array): void {
    const old = a.codeHash;
    this.journal.record(() => (a.codeHash = old));
    a.codeHash = codeHash;
  }

  addBalance(a: Account, delta: bigint): void {
    const old = a.balance;
    this.journal.record(() => (a.balance = old));
    a.balance = old + delta;
  }

  /** An ERC-20 balance slot key of `holder` (all simulated tokens keep balances at slot 0). */
  balanceKey(holder: Account): Uint8Array {
    return (holder.balanceKey ??= mappingKey(holder.address, SLOT0));
  }

  /** The key of `allowances[owner][router]` (allowances mapping at slot 1), cached per owner. */
  routerAllowanceKey(owner: Account): Uint8Array {
    return (owner.routerAllowanceKey ??= this.allowanceKey(owner, this.router));
  }

  /** The key of `allowances[owner][spender]` (two keccaks; not cached). */
  allowanceKey(owner: Account, spender: Account): Uint8Array {
    return mappingKey(spender.address, mappingKey(owner.address, SLOT1));
  }

  validatorForRound(round: number): Validator {
    return this.validators[round % this.validators.length];
  }
}
