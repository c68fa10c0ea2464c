// Hash of a byte key made of up to two ranges of a buffer (e.g. a STORAGE_ACCESS key is the
// address at +0 and the slot at +27: not contiguous). One hash per event is computed by the
// enricher and shared by every table the key goes into.
//
// Murmur3-style mixing of little-endian 32-bit words: addresses and slots are often low-entropy
// in some bytes (small slot numbers, vanity prefixes), so every byte must reach every hash bit.

function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixRange(h: number, b: Buffer | Uint8Array, o: number, n: number): number {
  const end = o + n;
  let i = o;
  for (; i + 4 <= end; i += 4) h = mixWord(h, b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
  if (i < end) {
    let k = 0;
    for (let s = 0; i < end; i++, s += 8) k |= b[i] << s;
    h = mixWord(h, k);
  }
  return h;
}

/** 32-bit hash of b[o1, o1+n1) ++ b[o2, o2+n2) (pass n2 = 0 for a one-range key). */
export function hashKey(b: Buffer | Uint8Array, o1: number, n1: number, o2: number, n2: number): number {
  let h = mixRange(0x2545f491, b, o1, n1);
  if (n2 > 0) h = mixRange(h, b, o2, n2);
  // Final avalanche (fmix32), so the low bits used as a table index depend on every input bit.
  h ^= n1 + n2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
