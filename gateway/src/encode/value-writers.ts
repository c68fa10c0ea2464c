// Writers for single payload values (the inverse of decode/hex.ts and decode/numbers.ts).
//
// Every writer validates its input and throws a RangeError/TypeError naming the field: a
// producer bug must fail at the producer, never reach the ring as garbage bytes.

import type { FixedKind } from "../decode/layouts.js";
import { BYTES_KIND_SIZE } from "../decode/layouts.js";

const HEX_RE = /^0x[0-9a-fA-F]+$/;

/** Value of an ASCII hex digit, -1 for anything else (indexed by char code < 128). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE["0123456789abcdef".charCodeAt(i)] = i;
  HEX_VALUE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/** True for "0x" followed by an even number of characters (the digits are checked while parsing). */
function isHexShape(v: string): boolean {
  return v.length >= 2 && v.charCodeAt(0) === 48 && v.charCodeAt(1) === 120 && (v.length & 1) === 0;
}

/** Parses the digits of a "0x" hex string into dst[off..]; throws on a non-hex digit. */
function parseHexInto(dst: Buffer, off: number, v: string, what: string): void {
  for (let i = 2, j = off; i < v.length; i += 2, j++) {
    const a = v.charCodeAt(i);
    const b = v.charCodeAt(i + 1);
    const hi = a < 128 ? HEX_VALUE[a] : -1;
    const lo = b < 128 ? HEX_VALUE[b] : -1;
    if ((hi | lo) < 0) throw new TypeError(`${what}: invalid hex digit in ${describe(v)}`);
    dst[j] = (hi << 4) | lo;
  }
}
const U64_MAX = 0xffffffffffffffffn;
const U128_MAX = (1n << 128n) - 1n;
const U256_MAX = (1n << 256n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** Byte length of a hex string ("0x"-prefixed, even length) or a Uint8Array; validates. */
export function byteLengthOf(v: unknown, what: string): number {
  if (v instanceof Uint8Array) return v.length;
  if (typeof v === "string" && isHexShape(v)) return (v.length - 2) >>> 1;
  throw new TypeError(`${what}: expected "0x"-prefixed even-length hex or Uint8Array, got ${describe(v)}`);
}

/** Writes raw bytes (hex string or Uint8Array) at `off`; the length must be exactly `size`. */
export function writeBytes(dst: Buffer, off: number, v: unknown, size: number, what: string): void {
  const n = byteLengthOf(v, what);
  if (n !== size) throw new RangeError(`${what}: expected ${size} bytes, got ${n}`);
  if (n === 0) return;
  // A JS parse beats the regex + Buffer.write(hex) pair by ~3x for field-sized values.
  if (typeof v === "string") parseHexInto(dst, off, v, what);
  else dst.set(v as Uint8Array, off);
}

/** Writes a variable-length byte part and returns its length. */
export function writeVarBytes(dst: Buffer, off: number, v: unknown, what: string): number {
  const n = byteLengthOf(v, what);
  writeBytes(dst, off, v, n, what);
  return n;
}

function toBigInt(v: unknown, what: string): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new RangeError(`${what}: ${v} is not a safe integer (use a bigint)`);
    return BigInt(v);
  }
  if (typeof v === "string" && HEX_RE.test(v)) return BigInt(v);
  throw new TypeError(`${what}: expected an integer, got ${describe(v)}`);
}

function checkRange(x: bigint, min: bigint, max: bigint, what: string): bigint {
  if (x < min || x > max) throw new RangeError(`${what}: ${x} out of range [${min}, ${max}]`);
  return x;
}

function smallInt(v: unknown, min: number, max: number, what: string): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
  if (typeof v === "bigint" && v >= BigInt(min) && v <= BigInt(max)) return Number(v);
  throw new RangeError(`${what}: expected an integer in [${min}, ${max}], got ${describe(v)}`);
}

/** Writes an unsigned 64-bit value (number or bigint). */
export function writeU64(dst: Buffer, off: number, v: unknown, what: string): void {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) {
    dst.writeUInt32LE(v % 0x100000000, off);
    dst.writeUInt32LE(Math.floor(v / 0x100000000), off + 4);
    return;
  }
  dst.writeBigUInt64LE(checkRange(toBigInt(v, what), 0n, U64_MAX, what), off);
}

/** Writes `v` (number | bigint | hex string) as a 32-byte little-endian uint256. */
export function writeUint256(dst: Buffer, off: number, v: unknown, what: string): void {
  let x = checkRange(toBigInt(v, what), 0n, U256_MAX, what);
  for (let i = 0; i < 4; i++, x >>= 64n) dst.writeBigUInt64LE(x & U64_MAX, off + 8 * i);
}

/** Writes one fixed-struct field of the given kind. Missing values must be handled by the caller. */
export function writeFixed(dst: Buffer, off: number, kind: FixedKind, v: unknown, what: string): void {
  switch (kind) {
    case "u8":
      dst[off] = smallInt(v, 0, 0xff, what);
      return;
    case "u16":
      dst.writeUInt16LE(smallInt(v, 0, 0xffff, what), off);
      return;
    case "u32":
      dst.writeUInt32LE(smallInt(v, 0, 0xffffffff, what), off);
      return;
    case "i32":
      dst.writeInt32LE(smallInt(v, -0x80000000, 0x7fffffff, what), off);
      return;
    case "u64":
      writeU64(dst, off, v, what);
      return;
    case "i64":
      dst.writeBigInt64LE(checkRange(toBigInt(v, what), I64_MIN, I64_MAX, what), off);
      return;
    case "u128": {
      const x = checkRange(toBigInt(v, what), 0n, U128_MAX, what);
      dst.writeBigUInt64LE(x & U64_MAX, off);
      dst.writeBigUInt64LE(x >> 64n, off + 8);
      return;
    }
    case "bool":
      if (typeof v !== "boolean") throw new TypeError(`${what}: expected a boolean, got ${describe(v)}`);
      dst[off] = v ? 1 : 0;
      return;
    case "uint256":
      writeUint256(dst, off, v, what);
      return;
    default:
      writeBytes(dst, off, v, BYTES_KIND_SIZE[kind], what);
  }
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 80 ? v.slice(0, 77) + "..." : v);
  if (typeof v === "bigint") return `${v}n`;
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : String(v);
}
