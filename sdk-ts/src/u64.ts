// Arithmetic on the SDK's 64-bit integers, which are numbers when safe and bigints otherwise (see
// json/parse.ts). Comparisons (<, >, ===) between a number and a bigint already work in JavaScript;
// equality between the two forms of one value and +1 need these helpers.

/** A 64/128-bit integer as the SDK exposes it. */
export type Int = number | bigint;

/** The value as a bigint (exact for both forms). */
export function toBigInt(v: Int): bigint {
  return typeof v === "bigint" ? v : BigInt(v);
}

/** The canonical form: a number when safe, else a bigint. */
export function normalizeInt(v: Int): Int {
  if (typeof v === "number") return v;
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** v + 1 in canonical form. */
export function increment(v: Int): Int {
  return typeof v === "number" && v < Number.MAX_SAFE_INTEGER ? v + 1 : normalizeInt(toBigInt(v) + 1n);
}

/** v − 1 in canonical form. */
export function decrement(v: Int): Int {
  return typeof v === "number" && v > -Number.MAX_SAFE_INTEGER ? v - 1 : normalizeInt(toBigInt(v) - 1n);
}

/** Whether a and b are the same integer, whatever their forms. */
export function intEquals(a: Int, b: Int): boolean {
  return typeof a === typeof b ? a === b : toBigInt(a) === toBigInt(b);
}

/** Parses a decimal integer string (e.g. a CLI argument) into canonical form; undefined if it is not one. */
export function parseInt64(text: string): Int | undefined {
  if (!/^-?\d+$/.test(text)) return undefined;
  return normalizeInt(BigInt(text));
}
