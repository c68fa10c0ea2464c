// Generates, from the layout table, one function per event type that reads a payload into a
// plain object (the object form). All byte fields of a struct are hexed with one native call and
// sliced with substring(), which V8 implements without copying.

import { REC_ACCOUNT_INDEX } from "../ring/event-record.js";
import { compileFunction, int32Expr, P, trailingPrologue, uintExpr } from "./codegen-common.js";
import { hexBytes, uint256Hex } from "./hex.js";
import { FIXED_KIND_SIZE, isFixedField, LAYOUTS, type FieldSpec, type PayloadLayout } from "./layouts.js";
import { i64Value, u128Value, u64Value } from "./numbers.js";

/** (batch buffer, record offset, txn index or null) → payload object with its "type" tag. */
export type PayloadObjectFn = (b: Buffer, r: number, txn: number | null) => Record<string, unknown>;

function hexList(b: Buffer, start: number, count: number): string[] {
  const out = new Array<string>(count);
  const h = count === 0 ? "" : b.toString("hex", start, start + 32 * count);
  for (let i = 0; i < count; i++) out[i] = "0x" + h.substring(64 * i, 64 * i + 64);
  return out;
}

const HELPERS = { hexBytes, uint256Hex, u64Value, i64Value, u128Value, hexList };

const isRaw = (kind: string) => kind === "address" || kind === "bytes32" || kind === "bloom" || kind === "b64" || kind === "pubkey";

/** Byte range [lo, hi) covering every raw-bytes field (hexed once as `h`), if any. */
function rawRange(l: PayloadLayout): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const f of l.fields) {
    if (isFixedField(f) && isRaw(f.kind)) {
      lo = Math.min(lo, f.offset);
      hi = Math.max(hi, f.offset + FIXED_KIND_SIZE[f.kind]);
    }
  }
  return lo === Infinity ? undefined : [lo, hi];
}

function valueExpr(f: FieldSpec, lo: number): string {
  switch (f.kind) {
    case "flow_txn":
      return "txn";
    case "flow_account":
      return `u64Value(b, r + ${REC_ACCOUNT_INDEX})`;
    case "trail_hex":
      return `hexBytes(b, s${f.part}, e${f.part})`;
    case "trail_list":
      return `hexList(b, s${f.part}, c${f.part})`;
  }
  const at = `${P} + ${f.offset}`;
  switch (f.kind) {
    case "u8":
      return uintExpr(at, 1);
    case "u16":
      return uintExpr(at, 2);
    case "u32":
      return uintExpr(at, 4);
    case "i32":
      return int32Expr(at);
    case "bool":
      return `(b[${at}] !== 0)`;
    case "u64":
      return `u64Value(b, ${at})`;
    case "i64":
      return `i64Value(b, ${at})`;
    case "u128":
      return `u128Value(b, ${at})`;
    case "uint256":
      return `uint256Hex(b, ${at})`;
    default: {
      const from = 2 * (f.offset - lo);
      return `"0x" + h.substring(${from}, ${from + 2 * FIXED_KIND_SIZE[f.kind]})`;
    }
  }
}

function compileObject(l: PayloadLayout): PayloadObjectFn {
  const range = rawRange(l);
  const lines = [trailingPrologue(l)];
  if (range !== undefined) lines.push(`const h = b.toString("hex", ${P} + ${range[0]}, ${P} + ${range[1]});`);
  const entries = [`type: ${JSON.stringify(l.eventName)}`, ...l.fields.map((f) => `${JSON.stringify(f.name)}: ${valueExpr(f, range?.[0] ?? 0)}`)];
  lines.push(`return {\n  ${entries.join(",\n  ")}\n};`);
  return compileFunction<PayloadObjectFn>(`object_${l.cName}`, "b, r, txn", lines.join("\n"), HELPERS);
}

/** Payload object readers indexed by event type (undefined for NONE). */
export const PAYLOAD_OBJECT: readonly (PayloadObjectFn | undefined)[] = LAYOUTS.map((l) => (l ? compileObject(l) : undefined));
