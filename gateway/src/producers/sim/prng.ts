// Seedable pseudo-random numbers for the simulator.
//
// Math.random cannot be seeded, and the simulator's contract is "same seed, same event stream", so
// every random choice goes through this generator. xoshiro128** works on 32-bit integers, which V8
// keeps unboxed, so a draw costs a few integer ops and allocates nothing. The four state words
// are filled by splitmix32 so that nearby seeds (1, 2, 3…) still give unrelated streams.

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

export class Prng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /**
   * `seed` is any safe integer; its high and low 32 bits both feed the state. `stream` selects
   * one of several independent sequences for the same seed.
   */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Prng seed must be a safe integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) >>> 0;
    const st = { s: lo ^ Math.imul(hi, 0x27d4eb2d) ^ Math.imul(stream, 0x165667b1) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1; // the all-zero state is a fixed point
  }

  /** Uniform uint32. */
  u32(): number {
    const b = this.b;
    const x = Math.imul(b, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (plenty for probabilities and jitter). */
  float(): number {
    return this.u32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n), n ≤ 2^32. */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** Picks one element uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Uniform bigint in [0, 2^bits), bits a multiple of 32 or less than 32. */
  bigBits(bits: number): bigint {
    let v = 0n;
    let left = bits;
    while (left >= 32) {
      v = (v << 32n) | BigInt(this.u32());
      left -= 32;
    }
    if (left > 0) v = (v << BigInt(left)) | BigInt(this.u32() >>> (32 - left));
    return v;
  }

  /** Overwrites out[offset, offset+length) with random bytes. */
  fill(out: Uint8Array, offset = 0, length = out.length - offset): Uint8Array {
    const end = offset + length;
    let i = offset;
    while (i + 4 <= end) {
      const v = this.u32();
      out[i] = v;
      out[i + 1] = v >>> 8;
      out[i + 2] = v >>> 16;
      out[i + 3] = v >>> 24;
      i += 4;
    }
    if (i < end) {
      let v = this.u32();
      while (i < end) {
        out[i++] = v;
        v >>>= 8;
      }
    }
    return out;
  }

  /** A fresh random byte array (for values that outlive the current event, e.g. an address). */
  bytes(length: number): Uint8Array {
    return this.fill(new Uint8Array(length));
  }

  /**
   * An independent generator derived from this one. Subsystems get their own stream so that,
   * e.g., changing the consensus jitter does not reshuffle every transaction that follows.
   */
  fork(): Prng {
    return new Prng(this.u32() * 2097152 + (this.u32() >>> 11));
  }
}
