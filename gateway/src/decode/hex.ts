// Hex rendering of ring bytes, in the formats alloy's serde uses (the Rust gateway's output):
// raw bytes as "0x" + lowercase hex of every byte, uint256 as "0x" + minimal lowercase hex.

/** "0x" + lowercase hex of buf[start, end); "0x" when empty. One native call. */
export function hexBytes(buf: Buffer, start: number, end: number): string {
  return "0x" + buf.toString("hex", start, end);
}

// Scratch space for byte reversal; decoding is synchronous, so one shared buffer is safe.
const SCRATCH = Buffer.alloc(32);

/**
 * A `monad_c_uint256_ne` at `o` (4 native-endian u64 limbs, least significant first, i.e. a
 * 32-byte little-endian integer) as "0x" + minimal lowercase hex; "0x0" for zero.
 *
 * Reverses the significant bytes into a scratch buffer and hexes them in one native call.
 * (Number.prototype.toString(16) looked simpler but costs ~100 ns per call in V8, which made a
 * full-width value such as a signature's r or s cost over 1 µs.)
 */
export function uint256Hex(b: Buffer, o: number): string {
  let top = o + 31;
  while (top >= o && b[top] === 0) top--;
  if (top < o) return "0x0";
  const n = top - o + 1;
  for (let i = 0; i < n; i++) SCRATCH[i] = b[top - i];
  const h = SCRATCH.toString("hex", 0, n);
  // Minimal form: drop the leading zero nibble of the top byte.
  return b[top] < 16 ? "0x" + h.substring(1) : "0x" + h;
}
