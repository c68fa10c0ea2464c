// Ethereum logs bloom (2048 bits, 3 bits per log address and per topic).
//
// BLOCK_END carries the real bloom of the block's logs so a consumer that tests membership gets
// right answers. Hashing every log item would cost a keccak each; addresses and topics repeat
// (the same tokens, accounts and event signatures), so the bit positions are cached per item.
// Items must be stable instances (account addresses, cached topic words) for the cache to hit.

import { keccak256 } from "./keccak.js";

export const BLOOM_BYTES = 256;

const cache = new WeakMap<Uint8Array, Uint16Array>();

function bitsOf(item: Uint8Array): Uint16Array {
  let bits = cache.get(item);
  if (bits === undefined) {
    const h = keccak256(item);
    bits = new Uint16Array(3);
    for (let i = 0; i < 3; i++) bits[i] = ((h[2 * i] << 8) | h[2 * i + 1]) & 2047;
    cache.set(item, bits);
  }
  return bits;
}

/** ORs `item`'s three bits into `bloom` (256 bytes, big-endian bit order as in Ethereum). */
export function bloomAdd(bloom: Uint8Array, item: Uint8Array): void {
  const bits = bitsOf(item);
  for (let i = 0; i < 3; i++) {
    const bit = bits[i];
    bloom[BLOOM_BYTES - 1 - (bit >> 3)] |= 1 << (bit & 7);
  }
}

/** True if all of `item`'s bits are set (may be a false positive, never a false negative). */
export function bloomHas(bloom: Uint8Array, item: Uint8Array): boolean {
  const bits = bitsOf(item);
  for (let i = 0; i < 3; i++) {
    const bit = bits[i];
    if ((bloom[BLOOM_BYTES - 1 - (bit >> 3)] & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
