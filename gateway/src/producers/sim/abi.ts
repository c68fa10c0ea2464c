// Solidity ABI pieces the simulated contracts use: selectors, event topics, word encoding.
//
// Computed with keccak at load time rather than pasted, so a typo cannot slip in; sim-prng.test.ts
// pins the well-known ones (Transfer = 0xddf252ad…, transfer = 0xa9059cbb).

import { keccak256, selector } from "./keccak.js";

export const SEL = {
  transfer: selector("transfer(address,uint256)"),
  transferFrom: selector("transferFrom(address,address,uint256)"),
  balanceOf: selector("balanceOf(address)"),
  depositTo: selector("depositTo(address)"),
  withdrawTo: selector("withdrawTo(address,uint256)"),
  getReserves: selector("getReserves()"),
  sync: selector("sync()"),
  swap: selector("swap(uint256,uint256,address,bytes)"),
  swapExactETHForTokens: selector("swapExactETHForTokens(uint256,address[],address,uint256)"),
  swapExactTokensForETH: selector("swapExactTokensForETH(uint256,uint256,address[],address,uint256)"),
  swapExactTokensForTokens: selector("swapExactTokensForTokens(uint256,uint256,address[],address,uint256)"),
  errorString: selector("Error(string)"),
} as const;

export const TOPIC = {
  transfer: keccak256("Transfer(address,address,uint256)"),
  sync: keccak256("Sync(uint112,uint112)"),
  swap: keccak256("Swap(address,uint256,uint256,uint256,uint256,address)"),
} as const;

const wordScratch = new Uint8Array(32);
const wordView = new DataView(wordScratch.buffer);

/** Writes `v` (0 ≤ v < 2^256) as a big-endian 32-byte word at out[offset]. */
export function putWord(out: Uint8Array, offset: number, v: bigint): void {
  // Four 64-bit limbs instead of 32 bigint byte shifts: this runs for every storage value.
  let x = v;
  for (let i = 24; i >= 0; i -= 8) {
    wordView.setBigUint64(i, BigInt.asUintN(64, x));
    x >>= 64n;
  }
  out.set(wordScratch, offset);
}

/** Writes a 20-byte address left-padded to a 32-byte word at out[offset]. */
export function putAddressWord(out: Uint8Array, offset: number, addr: Uint8Array): void {
  out.fill(0, offset, offset + 12);
  out.set(addr, offset + 12);
}

/** A big-endian 32-byte word. */
export function word(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  putWord(out, 0, v);
  return out;
}

/** Calldata: 4-byte selector followed by 32-byte words (addresses are left-padded). */
export function calldata(sel: Uint8Array, ...args: Array<bigint | Uint8Array>): Uint8Array {
  const out = new Uint8Array(4 + 32 * args.length);
  out.set(sel, 0);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a === "bigint") putWord(out, 4 + 32 * i, a);
    else putAddressWord(out, 4 + 32 * i, a);
  }
  return out;
}

/** Concatenates 32-byte words (topics, return data) into one buffer. */
export function words(...parts: Array<bigint | Uint8Array>): Uint8Array {
  const out = new Uint8Array(32 * parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === "bigint") putWord(out, 32 * i, p);
    else if (p.length === 32) out.set(p, 32 * i);
    else putAddressWord(out, 32 * i, p);
  }
  return out;
}

export const RETURN_TRUE: Uint8Array = word(1n);
export const EMPTY: Uint8Array = new Uint8Array(0);
