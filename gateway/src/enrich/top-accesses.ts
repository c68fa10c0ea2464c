// The most accessed accounts and storage slots (the Rust gateway's `TopAccesses` frame, sent
// after every BLOCK_END): Space-Saving heavy hitters over every ACCOUNT_ACCESS address and every
// STORAGE_ACCESS (address, slot) key, prologue/epilogue and transient accesses included, as the
// Rust gateway counted them.
//
// The counts restart every `windowMs` (5 minutes) of ring time. The window is checked at
// BLOCK_START so a block's accesses are never split across two windows; the first window starts
// at the first BLOCK_START seen.

import { ExecEventType as T } from "../decode/event-types.js";
import { fieldOffset } from "../decode/layouts.js";
import { SpaceSaving, type CounterEntry } from "./space-saving.js";
import type { AccountAccessCount, StorageAccessCount, TopAccesses } from "../protocol/generated/frames.js";

// Output shapes are the wire protocol's (generated from its JSON Schemas).
export type AccountCount = AccountAccessCount;
export type StorageCount = StorageAccessCount;
export type TopAccessesData = TopAccesses;




export interface TopAccessesOptions {
  /** Entries reported per list. Default 10. */
  k?: number;
  /** Space-Saving counters per list: items seen more than N / capacity times are never missed. Default 1000. */
  capacity?: number;
  /** Length of a counting window in ring time. Default 300,000 ms. */
  windowMs?: number;
}

const ADDRESS = 20;
const SLOT_KEY = 32;
const AA_ADDRESS = fieldOffset(T.ACCOUNT_ACCESS, "address");
const SA_ADDRESS = fieldOffset(T.STORAGE_ACCESS, "address");
const SA_KEY = fieldOffset(T.STORAGE_ACCESS, "key");

export class TopAccessesTracker {
  readonly k: number;
  private readonly windowNs: number;
  private readonly accounts: SpaceSaving;
  private readonly storage: SpaceSaving;
  private windowStart = NaN;
  /** The last snapshot produced by `snapshot()`. */
  latest: TopAccessesData | undefined = undefined;

  constructor(opts: TopAccessesOptions = {}) {
    this.k = opts.k ?? 10;
    const capacity = opts.capacity ?? 1000;
    if (!(this.k >= 0 && this.k <= capacity)) throw new RangeError(`k must be in [0, capacity], got ${this.k}`);
    const windowMs = opts.windowMs ?? 300_000;
    if (!(windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${windowMs}`);
    this.windowNs = windowMs * 1e6;
    this.accounts = new SpaceSaving(ADDRESS, capacity);
    this.storage = new SpaceSaving(ADDRESS + SLOT_KEY, capacity);
  }

  /** BLOCK_START at ring time `t`: starts a new window when the current one is over. */
  blockStart(t: number): void {
    if (Number.isNaN(this.windowStart) || t - this.windowStart >= this.windowNs || t < this.windowStart) {
      this.accounts.reset();
      this.storage.reset();
      this.windowStart = t;
    }
  }

  /** ACCOUNT_ACCESS with payload at `p`; `h` = hashKey(address). */
  accountAccess(b: Buffer, p: number, h: number): void {
    this.accounts.offer(h, b, p + AA_ADDRESS, ADDRESS, 0, 0);
  }

  /** STORAGE_ACCESS with payload at `p`; `h` = hashKey(address ++ key). */
  storageAccess(b: Buffer, p: number, h: number): void {
    this.storage.offer(h, b, p + SA_ADDRESS, ADDRESS, p + SA_KEY, SLOT_KEY);
  }

  /** The top-k lists now (what is sent after BLOCK_END). */
  snapshot(): TopAccessesData {
    const data: TopAccessesData = {
      account: this.accounts.top(this.k).map((e) => ({ key: this.accounts.keyHex(e.id), count: e.count })),
      storage: this.storage.top(this.k).map((e) => ({
        key: [this.storage.keyHex(e.id, 0, ADDRESS), this.storage.keyHex(e.id, ADDRESS, ADDRESS + SLOT_KEY)],
        count: e.count,
      })),
    };
    this.latest = data;
    return data;
  }

  /** The counters themselves (with their error bounds), for diagnostics and tests. */
  counters(): { accounts: SpaceSaving; storage: SpaceSaving } {
    return { accounts: this.accounts, storage: this.storage };
  }

  /** Top entries with error bounds, hex keys. */
  detailed(n = this.k): { account: (CounterEntry & { key: string })[]; storage: (CounterEntry & { key: [string, string] })[] } {
    return {
      account: this.accounts.top(n).map((e) => ({ ...e, key: this.accounts.keyHex(e.id) })),
      storage: this.storage.top(n).map((e) => ({
        ...e,
        key: [this.storage.keyHex(e.id, 0, ADDRESS), this.storage.keyHex(e.id, ADDRESS, ADDRESS + SLOT_KEY)] as [string, string],
      })),
    };
  }
}
