// Growing typed arrays by doubling: the per-block tables are sized by the largest block seen,
// then reused, so steady-state processing allocates nothing.

type Typed = Int32Array | Float64Array | Uint8Array;

/** `arr` if it holds at least `min` elements, else a copy at least twice as large. */
export function ensureLength<T extends Typed>(arr: T, min: number): T {
  if (min <= arr.length) return arr;
  let n = Math.max(16, arr.length * 2);
  while (n < min) n *= 2;
  const next = new (arr.constructor as new (n: number) => T)(n);
  next.set(arr);
  return next;
}

/** Like ensureLength, but new elements are set to `fill` (e.g. -1 for "none", NaN for "unset"). */
export function ensureLengthFilled<T extends Int32Array | Float64Array>(arr: T, min: number, fill: number): T {
  if (min <= arr.length) return arr;
  const old = arr.length;
  const next = ensureLength(arr, min);
  next.fill(fill, old);
  return next;
}
