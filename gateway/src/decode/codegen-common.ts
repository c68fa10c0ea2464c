// Pieces shared by the two code generators (payload-object-codegen.ts, payload-json-codegen.ts).
//
// Why generate code at all: decoding is the gateway's hot loop. A generic interpreter walking the
// layout table pays a dispatch per field; generated functions are straight-line code that V8
// compiles to a handful of loads and stores per field. The table (layouts.ts) stays the only
// description of the format; the generators just translate it.

import { DESCRIPTOR_SIZE } from "../ring/event-record.js";
import type { PayloadLayout } from "./layouts.js";

/** Name of the local holding the payload start in generated code. */
export const P = "q";

/**
 * Statements computing each trailing part's count `cI`, start `sI` and end `eI`. The record must
 * have been validated (record-check.ts), so counts are consistent with payload_size.
 */
export function trailingPrologue(l: PayloadLayout): string {
  const lines = [`const ${P} = r + ${DESCRIPTOR_SIZE};`];
  let start = `${P} + ${l.fixedSize}`;
  l.trailing.forEach((t, i) => {
    const at = `${P} + ${t.countOffset}`;
    const count = t.countKind === "u8" ? `b[${at}]` : t.countKind === "u32" ? `b.readUInt32LE(${at})` : u64Expr(at);
    lines.push(`const c${i} = ${count};`, `const s${i} = ${start};`, `const e${i} = s${i} + c${i} * ${t.unit};`);
    start = `e${i}`;
  });
  return lines.join("\n");
}

/**
 * Builds `function name(params) { body }` with `helpers` as the only free variables it can see
 * (they are parameters of an outer factory; nothing else from this module leaks in).
 */
export function compileFunction<F>(name: string, params: string, body: string, helpers: Record<string, unknown>): F {
  const factory = new Function(...Object.keys(helpers), `"use strict";\nreturn function ${name}(${params}) {\n${body}\n};`);
  return factory(...Object.values(helpers)) as F;
}

/** Expression for an unsigned little-endian integer of `size` bytes at `at` (size <= 4), no calls. */
export function uintExpr(at: string, size: 1 | 2 | 4): string {
  if (size === 1) return `b[${at}]`;
  if (size === 2) return `(b[${at}] | b[${at} + 1] << 8)`;
  return `(b[${at}] + b[${at} + 1] * 256 + b[${at} + 2] * 65536 + b[${at} + 3] * 16777216)`;
}

/**
 * Expression for the u64 at `at` as a number, no calls and no BigInt (numbers.ts u64At inline): exact
 * below 2^53. Used for trailing counts, which record-check.ts has already matched to payload_size.
 */
export function u64Expr(at: string): string {
  return `(${uintExpr(at, 4)} + ${uintExpr(`${at} + 4`, 4)} * 4294967296)`;
}

export function int32Expr(at: string): string {
  return `(b[${at}] | b[${at} + 1] << 8 | b[${at} + 2] << 16 | b[${at} + 3] << 24)`;
}
