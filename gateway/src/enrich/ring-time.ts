// Exact arithmetic on ring timestamps (descriptor record_epoch_nanos, CLOCK_REALTIME in ns).
//
// The raw values (~1.7e18) are far above 2^53, so reading them as one double rounds them to
// 256 ns, and BigInt math per event is slow. Instead every timestamp is turned into nanoseconds
// since an origin: the first record's high 32-bit word, i.e. a multiple of 2^32 ns (≈ 4.3 s)
// at or before the first event. The result is a plain number, exact for 2^53 ns (≈ 104 days)
// after the origin; later values degrade gracefully (2 ns steps, then 4 ns …) rather than fail.

import { REC_EPOCH_NANOS } from "../ring/event-record.js";

const TWO_32 = 4294967296;

export class RingTime {
  private originHi = -1;

  /** Nanoseconds since the origin of the timestamp of the record at `r`. */
  ofRecord(buf: Buffer, r: number): number {
    const o = r + REC_EPOCH_NANOS;
    const lo = (buf[o] | (buf[o + 1] << 8) | (buf[o + 2] << 16)) + buf[o + 3] * 0x1000000;
    const hi = (buf[o + 4] | (buf[o + 5] << 8) | (buf[o + 6] << 16)) + buf[o + 7] * 0x1000000;
    if (this.originHi < 0) this.originHi = hi;
    return (hi - this.originHi) * TWO_32 + lo;
  }

  /** The absolute epoch nanoseconds of a relative time (for display / debugging). */
  toEpochNanos(relativeNs: number): bigint {
    return BigInt(Math.max(0, this.originHi)) * BigInt(TWO_32) + BigInt(Math.round(relativeNs));
  }
}

/** Milliseconds between two relative ring times. */
export function msBetween(fromNs: number, toNs: number): number {
  return (toNs - fromNs) / 1e6;
}
