// What one transaction read and wrote, from debug_traceTransaction with the prestate tracer, as the
// resources Monad's optimistic parallel execution can conflict on: storage slots, account balances
// and account nonces. The same reading of the traces as the gateway's devnet bridge
// (gateway/src/producers/bridge/access-mapper.ts), so the two analyses count the same things:
//   - plain mode lists every account and slot touched (reads included) with its value before;
//   - diff mode lists what changed: `pre` and `post` of modified fields (a slot set to zero is only
//     in `pre`, unchanged fields are left out);
//   - touched = plain ∪ diff.pre ∪ diff.post; a slot is written when it is in the diff; a balance
//     or nonce is written when its post value differs from its pre value.
// Every touched account counts as a read of its balance and nonce (the gateway treats each
// ACCOUNT_ACCESS that way). A resource both read and written counts as written.
import type { Hex, PublicClient } from "viem";

export type ResourceKind = "storage" | "balance" | "nonce";
export const RESOURCE_KINDS: readonly ResourceKind[] = ["storage", "balance", "nonce"];

interface AccountState {
  balance?: string;
  nonce?: number | string;
  storage?: Record<string, string>;
}
type Prestate = Record<string, AccountState | null>;

export interface TxAccess {
  hash: Hex;
  block: number;
  index: number;
  /** Resource key (see resourceKey) → written by this transaction. */
  resources: Map<string, boolean>;
}

/** "storage:<address>:<slot>", "balance:<address>", "nonce:<address>" (lowercase hex). */
export function resourceKey(kind: ResourceKind, address: string, slot?: string): string {
  return kind === "storage" ? `storage:${address}:${slot}` : `${kind}:${address}`;
}

export function parseResourceKey(key: string): { kind: ResourceKind; address: string; slot?: string } {
  const [kind, address, slot] = key.split(":");
  return { kind: kind as ResourceKind, address, ...(slot !== undefined ? { slot } : {}) };
}

export async function traceAccess(client: PublicClient, hash: Hex, block: number, index: number): Promise<TxAccess> {
  const trace = (config: object) => client.request({ method: "debug_traceTransaction" as never, params: [hash, { tracer: "prestateTracer", ...config }] as never });
  const plain = (await trace({})) as Prestate;
  const diff = (await trace({ tracerConfig: { diffMode: true } })) as { pre?: Prestate; post?: Prestate };
  return { hash, block, index, resources: accessedResources(plain, diff.pre ?? {}, diff.post ?? {}) };
}

/** The resources of one transaction's plain and diff prestate traces (exported for tests). */
export function accessedResources(plainIn: Prestate, preIn: Prestate, postIn: Prestate): Map<string, boolean> {
  const plain = lowerKeys(plainIn);
  const pre = lowerKeys(preIn);
  const post = lowerKeys(postIn);
  const out = new Map<string, boolean>();
  const add = (key: string, written: boolean) => out.set(key, (out.get(key) ?? false) || written);
  for (const address of new Set([...Object.keys(plain), ...Object.keys(pre), ...Object.keys(post)])) {
    const before: AccountState = { ...plain[address], ...pre[address] };
    const after = post[address] ?? {};
    const preBalance = big(before.balance);
    const preNonce = big(before.nonce);
    add(resourceKey("balance", address), after.balance !== undefined && big(after.balance) !== preBalance);
    add(resourceKey("nonce", address), after.nonce !== undefined && big(after.nonce) !== preNonce);
    const changed = new Set([...Object.keys(pre[address]?.storage ?? {}), ...Object.keys(after.storage ?? {})].map(normalizeSlot));
    for (const slot of new Set([...Object.keys(plain[address]?.storage ?? {}).map(normalizeSlot), ...changed])) add(resourceKey("storage", address, slot), changed.has(slot));
  }
  return out;
}

function big(v: string | number | undefined): bigint {
  return v === undefined || v === null ? 0n : BigInt(v);
}

/** Storage keys as lowercase 0x + 64 hex, so the plain and diff traces' spellings agree. */
function normalizeSlot(k: string): string {
  const body = /^0x/i.test(k) ? k.slice(2) : k;
  return `0x${body.toLowerCase().padStart(64, "0")}`;
}

function lowerKeys(p: Prestate): Record<string, AccountState> {
  const out: Record<string, AccountState> = {};
  for (const [k, v] of Object.entries(p)) out[k.toLowerCase()] = v ?? {};
  return out;
}
