// Keccak-256 (Ethereum's, not NIST SHA3) for the simulator's real topics, selectors, slot keys and
// logs bloom. Used at setup time and through caches, never once per event.
import { keccak_256 } from "@noble/hashes/sha3.js";

const utf8 = new TextEncoder();

/** keccak256 of `data` (bytes, or a string taken as UTF-8). Returns 32 bytes. */
export function keccak256(data: Uint8Array | string): Uint8Array {
  return keccak_256(typeof data === "string" ? utf8.encode(data) : data);
}

/** First 4 bytes of keccak256(signature): the Solidity function selector. */
export function selector(signature: string): Uint8Array {
  return keccak256(signature).subarray(0, 4).slice();
}
