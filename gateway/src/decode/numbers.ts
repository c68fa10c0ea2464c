// Reading 64/128-bit integers from ring bytes without allocating.
//
// u64At is for values a ring keeps below 2^53 (seqnos, counts, gas): a plain number. The object
// form (u64Value and the rest) returns a number when the value is exactly representable
// (|v| <= 2^53-1) and a bigint otherwise, so nothing is ever rounded while the common small values
// stay plain numbers.
// (The JSON path writes digits directly: json-writer.ts.)

/**
 * u64 at `o` as a number. Exact below 2^53, which covers every seqno, block number, gas and
 * count a ring can hold in practice; larger (corrupt) values come back rounded, never thrown.
 */
export function u64At(b: Buffer, o: number): number {
  const lo = (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
  const hi = (b[o + 4] | (b[o + 5] << 8) | (b[o + 6] << 16)) + b[o + 7] * 0x1000000;
  return hi * 4294967296 + lo;
}

/** u64 at `o`: a number when < 2^53, else a bigint. */
export function u64Value(b: Buffer, o: number): number | bigint {
  const hi = b[o + 4] + b[o + 5] * 0x100 + b[o + 6] * 0x10000 + b[o + 7] * 0x1000000;
  if (hi < 0x200000) return hi * 0x100000000 + (b[o] + b[o + 1] * 0x100 + b[o + 2] * 0x10000 + b[o + 3] * 0x1000000);
  return b.readBigUInt64LE(o);
}

/** i64 at `o`: a number when -2^53 <= v < 2^53, else a bigint. */
export function i64Value(b: Buffer, o: number): number | bigint {
  const hi = b.readInt32LE(o + 4);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + b.readUInt32LE(o);
  return b.readBigInt64LE(o);
}

/** u128 at `o`: a number when < 2^53, else a bigint. */
export function u128Value(b: Buffer, o: number): number | bigint {
  if ((b.readUInt32LE(o + 8) | b.readUInt32LE(o + 12)) === 0) return u64Value(b, o);
  return (b.readBigUInt64LE(o + 8) << 64n) | b.readBigUInt64LE(o);
}
