// geth prestateTracer output → ACCOUNT_ACCESS / STORAGE_ACCESS plans of one transaction.
//
// Two traces of the same transaction are combined:
//   - plain mode lists every account and storage slot the transaction touched (reads included)
//     with its value before the transaction;
//   - diffMode lists only what changed: `pre` (before) and `post` (after) of modified fields.
//     A slot written to zero appears in `pre` but not in `post`, and unchanged fields are left out.
// So: touched = plain ∪ diff.pre ∪ diff.post; modified = present in diff.pre or diff.post;
// end value = diff.post, else 0 when only in diff.pre. Transient storage is invisible to both
// tracers, so bridged blocks carry none.

import type { AccountEntry, StorageEntry } from "../sim/access-set.js";
import { keccak256 } from "../sim/keccak.js";
import { EMPTY_CODE_HASH, type Account } from "../sim/world.js";
import { data, optionalQuantity, quantity, word, type RpcAccountState, type RpcPrestate, type RpcPrestateDiff } from "./rpc-types.js";

/** Gives each distinct address one Account object (the access plans need stable identities). */
export class AccountBook {
  private readonly byAddress = new Map<string, Account>();

  get(address: string): Account {
    const key = address.toLowerCase();
    let a = this.byAddress.get(key);
    if (a === undefined) {
      a = { id: this.byAddress.size, address: data(key, "account address", 20), codeHash: EMPTY_CODE_HASH, nonce: 0, balance: 0n };
      this.byAddress.set(key, a);
    }
    return a;
  }
}

export function mapAccountAccesses(plain: RpcPrestate, diff: RpcPrestateDiff, book: AccountBook): AccountEntry[] {
  const pre = lowerKeys(diff.pre ?? {});
  const post = lowerKeys(diff.post ?? {});
  const touched = lowerKeys(plain);
  // Accounts created by the transaction are only in diff.post.
  for (const addr of [...Object.keys(pre), ...Object.keys(post)]) touched[addr] ??= {};

  const entries: AccountEntry[] = [];
  for (const [addr, state] of Object.entries(touched)) {
    const before: RpcAccountState = { ...state, ...pre[addr] };
    const after = post[addr] ?? {};
    const what = `prestate[${addr}]`;
    const preNonce = Number(optionalQuantity(before.nonce, `${what}.nonce`));
    const preBalance = optionalQuantity(before.balance, `${what}.balance`);
    const postNonce = after.nonce === undefined ? preNonce : Number(quantity(after.nonce, `${what}.post.nonce`));
    const postBalance = after.balance === undefined ? preBalance : quantity(after.balance, `${what}.post.balance`);
    const account = book.get(addr);
    entries.push({
      account,
      preNonce,
      preBalance,
      preCodeHash: codeHash(before, what),
      postNonce,
      postBalance,
      nonceModified: postNonce !== preNonce,
      balanceModified: postBalance !== preBalance,
      storage: storageEntries(state, pre[addr], post[addr], what),
      transient: [],
    });
  }
  return entries;
}

function storageEntries(plain: RpcAccountState, pre: RpcAccountState | undefined, post: RpcAccountState | undefined, what: string): StorageEntry[] {
  const start = new Map<string, string>();
  const end = new Map<string, string>();
  const changed = new Set<string>();
  for (const [k, v] of Object.entries(plain.storage ?? {})) start.set(normalizeKey(k), v);
  for (const [k, v] of Object.entries(pre?.storage ?? {})) {
    const key = normalizeKey(k);
    start.set(key, v);
    changed.add(key);
  }
  for (const [k, v] of Object.entries(post?.storage ?? {})) {
    const key = normalizeKey(k);
    end.set(key, v);
    changed.add(key);
    if (!start.has(key)) start.set(key, "0x0");
  }
  const out: StorageEntry[] = [];
  for (const [key, startHex] of start) {
    const s = quantity(startHex, `${what}.storage[${key}]`);
    const modified = changed.has(key);
    const e = modified ? (end.has(key) ? quantity(end.get(key), `${what}.post.storage[${key}]`) : 0n) : s;
    out.push({ key: word(key, `${what}.storage key`), start: s, end: e, modified, transient: false });
  }
  return out;
}

function codeHash(state: RpcAccountState, what: string): Uint8Array {
  if (state.codeHash) return data(state.codeHash, `${what}.codeHash`, 32);
  if (state.code && state.code !== "0x") return keccak256(data(state.code, `${what}.code`));
  return EMPTY_CODE_HASH;
}

/** Storage keys as lowercase 0x + 64 hex, so the plain and diff traces' spellings agree. */
function normalizeKey(k: string): string {
  const body = k.startsWith("0x") || k.startsWith("0X") ? k.slice(2) : k;
  return "0x" + body.toLowerCase().padStart(64, "0");
}

function lowerKeys(p: RpcPrestate): RpcPrestate {
  const out: RpcPrestate = {};
  for (const [k, v] of Object.entries(p)) out[k.toLowerCase()] = v ?? {};
  return out;
}
