// Small conveniences for producers building payload objects.

/** A bigint as the decoder's uint256 text: "0x" + minimal lowercase hex ("0x0" for zero). */
export function u256Hex(v: bigint): string {
  if (v < 0n || v >= 1n << 256n) throw new RangeError(`${v} is not a uint256`);
  return "0x" + v.toString(16);
}
