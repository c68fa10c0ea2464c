// The accounts and storage slots one transaction (or a block prologue/epilogue) touches, in the
// order they are reported.
//
// Each account is listed once, with its prestate captured at first touch and its post-state read
// when the set is finished, so balances/nonces in ACCOUNT_ACCESS always agree with the world.
// Each storage key is listed once per account: a read followed by a write becomes one modified
// access from the first start value to the last end value. Transient (EIP-1153) accesses are kept
// apart because the ring reports them after the persistent ones.

import type { Account } from "./world.js";

export interface StorageEntry {
  key: Uint8Array;
  start: bigint;
  end: bigint;
  modified: boolean;
  transient: boolean;
}

export interface AccountEntry {
  account: Account;
  preNonce: number;
  preBalance: bigint;
  preCodeHash: Uint8Array;
  postNonce: number;
  postBalance: bigint;
  nonceModified: boolean;
  balanceModified: boolean;
  storage: StorageEntry[];
  transient: StorageEntry[];
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  for (let i = 31; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

export class AccessSet {
  readonly entries: AccountEntry[] = [];
  private readonly byId = new Map<number, AccountEntry>();

  /** Lists `account` (once); its prestate is its state now. */
  touch(account: Account): AccountEntry {
    let e = this.byId.get(account.id);
    if (e === undefined) {
      e = {
        account,
        preNonce: account.nonce,
        preBalance: account.balance,
        preCodeHash: account.codeHash,
        postNonce: account.nonce,
        postBalance: account.balance,
        nonceModified: false,
        balanceModified: false,
        storage: [],
        transient: [],
      };
      this.byId.set(account.id, e);
      this.entries.push(e);
    }
    return e;
  }

  /** Records a storage access; `end === undefined` means a pure read. Returns the entry. */
  storage(account: Account, key: Uint8Array, start: bigint, end?: bigint, transient = false): StorageEntry {
    const list = transient ? this.touch(account).transient : this.touch(account).storage;
    for (const s of list) {
      if (sameKey(s.key, key)) {
        if (end !== undefined) {
          s.end = end;
          s.modified = true;
        }
        return s;
      }
    }
    const s: StorageEntry = { key, start, end: end ?? start, modified: end !== undefined, transient };
    list.push(s);
    return s;
  }

  /** Current value of a slot if this set already saw it (so a second access starts from it). */
  current(account: Account, key: Uint8Array): bigint | undefined {
    const e = this.byId.get(account.id);
    if (e === undefined) return undefined;
    for (const s of e.storage) if (sameKey(s.key, key)) return s.end;
    return undefined;
  }

  /** Reads the post-state of every listed account; call once all state changes are applied. */
  finish(): AccountEntry[] {
    for (const e of this.entries) {
      e.postNonce = e.account.nonce;
      e.postBalance = e.account.balance;
      e.nonceModified = e.postNonce !== e.preNonce;
      e.balanceModified = e.postBalance !== e.preBalance;
    }
    return this.entries;
  }
}
