// Generates, from the layout table, one function per event type that writes the event's complete
// JSON text (envelope + payload) as bytes into a JsonWriter. Constant text becomes immediate
// 4-byte DataView stores; values go through the writers of json-writer.ts.
//
// Generated signature: (b, r, w, bn, txn, hs, st) with b = batch Buffer, r = record offset,
// w = JsonWriter (capacity ensured by the caller, see JSON_MAX_FIXED), bn = block number or
// undefined, txn = txn index or null, hs = FlowTracker hash store holding this txn's hash text at
// txn*66 (or undefined), st = commit stage or undefined.

import { REC_ACCOUNT_INDEX, REC_EPOCH_NANOS, REC_SEQNO } from "../ring/event-record.js";
import { compileFunction, int32Expr, P, trailingPrologue, uintExpr } from "./codegen-common.js";
import { TXN_HASH_TEXT_LEN } from "./flow-tracker.js";
import { HEX_PAIR, writeAsciiString, writeHex, writeI64, writeInt, writeU128, writeU64, writeUint, writeUint256Digits, type JsonWriter } from "./json-writer.js";
import { FIXED_KIND_SIZE, LAYOUTS, type FieldSpec, type PayloadLayout } from "./layouts.js";

export type EventJsonFn = (
  b: Buffer,
  r: number,
  w: JsonWriter,
  bn: number | bigint | undefined,
  txn: number | null,
  hs: Buffer | undefined,
  st: string | undefined,
) => void;

function copyBytes(o: Uint8Array, p: number, src: Uint8Array, at: number, n: number): number {
  for (let i = 0; i < n; i++) o[p + i] = src[at + i];
  return p + n;
}

const HELPERS = { HEX_PAIR, writeUint, writeInt, writeU64, writeI64, writeU128, writeHex, writeUint256Digits, writeAsciiString, copyBytes };

/** A literal to emit, or code with an upper bound on the bytes it writes. */
type Piece = { lit: string } | { code: string; max: number };

const lit = (s: string): Piece => ({ lit: s });
const code = (c: string, max: number): Piece => ({ code: c, max });

/** Straight-line stores of a constant ASCII string: 4 bytes per DataView store. */
function emitLiteral(s: string): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 4 <= s.length; i += 4) {
    const word = (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24)) >>> 0;
    out.push(`dv.setUint32(p + ${i}, ${word}, true);`);
  }
  for (; i < s.length; i++) out.push(`o[p + ${i}] = ${s.charCodeAt(i)};`);
  out.push(`p += ${s.length}; // ${JSON.stringify(s).replace(/\*\//g, "* /")}`);
  return out.join(" ");
}

/** Emits pieces (merging adjacent literals) and returns [code, max bytes written]. */
function emit(pieces: Piece[]): [string, number] {
  const lines: string[] = [];
  let max = 0;
  let pending = "";
  const flush = () => {
    if (pending !== "") lines.push(emitLiteral(pending));
    max += pending.length;
    pending = "";
  };
  for (const piece of pieces) {
    if ("lit" in piece) pending += piece.lit;
    else {
      flush();
      lines.push(piece.code);
      max += piece.max;
    }
  }
  flush();
  return [lines.join("\n"), max];
}

/** A conditional block: `if (cond) { pieces }`, with its own literal merging. */
function branch(cond: string, pieces: Piece[], elsePieces?: Piece[]): Piece {
  const [thenCode, thenMax] = emit(pieces);
  if (elsePieces === undefined) return code(`if (${cond}) {\n${thenCode}\n}`, thenMax);
  const [elseCode, elseMax] = emit(elsePieces);
  return code(`if (${cond}) {\n${thenCode}\n} else {\n${elseCode}\n}`, Math.max(thenMax, elseMax));
}

const HEX_LOOP = (at: string, size: number) =>
  `for (let i = ${at}, e = i + ${size}; i < e; i++, p += 2) dv.setUint16(p, HEX_PAIR[b[i]], true);`;

/** Pieces writing one payload field's JSON value (without its key). */
function valuePieces(f: FieldSpec): Piece[] {
  switch (f.kind) {
    case "flow_txn":
      return [branch("txn === null", [lit("null")], [code("p = writeUint(o, p, txn);", 16)])];
    case "flow_account":
      return [code(`p = writeU64(o, p, b, r + ${REC_ACCOUNT_INDEX});`, 20)];
    case "trail_hex":
      // Variable bytes are budgeted by the caller (see JSON_MAX_FIXED).
      return [lit('"0x'), code(`p = writeHex(o, dv, p, b, s${f.part}, e${f.part});`, 0), lit('"')];
    case "trail_list":
      return [
        lit("["),
        code(
          `for (let k = 0; k < c${f.part}; k++) {\n` +
            `if (k !== 0) o[p++] = 44;\n` +
            `o[p] = 34; o[p + 1] = 48; o[p + 2] = 120; p += 3;\n` +
            `p = writeHex(o, dv, p, b, s${f.part} + 32 * k, s${f.part} + 32 * k + 32);\n` +
            `o[p++] = 34;\n}`,
          0,
        ),
        lit("]"),
      ];
  }
  const at = `${P} + ${f.offset}`;
  switch (f.kind) {
    case "u8":
      return [code(`p = writeUint(o, p, ${uintExpr(at, 1)});`, 3)];
    case "u16":
      return [code(`p = writeUint(o, p, ${uintExpr(at, 2)});`, 5)];
    case "u32":
      return [code(`p = writeUint(o, p, ${uintExpr(at, 4)});`, 10)];
    case "i32":
      return [code(`p = writeInt(o, p, ${int32Expr(at)});`, 11)];
    case "u64":
      return [code(`p = writeU64(o, p, b, ${at});`, 20)];
    case "i64":
      return [code(`p = writeI64(o, p, b, ${at});`, 20)];
    case "u128":
      return [code(`p = writeU128(o, p, b, ${at});`, 39)];
    case "bool":
      return [branch(`b[${at}] !== 0`, [lit("true")], [lit("false")])];
    case "uint256":
      return [lit('"0x'), code(`p = writeUint256Digits(o, dv, p, b, ${at});`, 64), lit('"')];
    default: {
      const size = FIXED_KIND_SIZE[f.kind];
      const body = size > 64 ? `p = writeHex(o, dv, p, b, ${at}, ${at} + ${size});` : HEX_LOOP(at, size);
      return [lit('"0x'), code(body, 2 * size), lit('"')];
    }
  }
}

function compileEvent(l: PayloadLayout): [EventJsonFn, number] {
  const name = l.eventName;
  const pieces: Piece[] = [
    lit(`{"event_name":"${name}"`),
    branch("bn !== undefined", [lit(',"block_number":'), code('p = typeof bn === "number" ? writeUint(o, p, bn) : writeAsciiString(o, p, bn.toString());', 20)]),
    branch("txn !== null", [
      lit(',"txn_idx":'),
      code("p = writeUint(o, p, txn);", 16),
      branch("hs !== undefined", [
        lit(',"txn_hash":"'),
        code(`p = copyBytes(o, p, hs, txn * ${TXN_HASH_TEXT_LEN}, ${TXN_HASH_TEXT_LEN});`, TXN_HASH_TEXT_LEN),
        lit('"'),
      ]),
    ]),
    // The stage text is budgeted by the caller (its length is only known at run time).
    branch("st !== undefined", [lit(',"commit_stage":"'), code("p = writeAsciiString(o, p, st);", 0), lit('"')]),
    lit(`,"payload":{"type":"${name}"`),
  ];
  for (const f of l.fields) pieces.push(lit(`,"${f.name}":`), ...valuePieces(f));
  pieces.push(
    lit('},"seqno":'),
    code(`p = writeU64(o, p, b, r + ${REC_SEQNO});`, 20),
    lit(',"timestamp_ns":'),
    code(`p = writeU64(o, p, b, r + ${REC_EPOCH_NANOS});`, 20),
    lit("}"),
  );
  const [body, max] = emit(pieces);
  const src = [trailingPrologue(l), "const o = w.buf, dv = w.dv;", "let p = w.pos;", body, "w.pos = p;"].join("\n");
  const fn = compileFunction<EventJsonFn>(`json_${l.cName}`, "b, r, w, bn, txn, hs, st", src, HELPERS);
  return [fn, max];
}

const COMPILED = LAYOUTS.map((l) => (l ? compileEvent(l) : undefined));

/** Whole-event JSON writers indexed by event type (undefined for NONE). */
export const EVENT_JSON: readonly (EventJsonFn | undefined)[] = COMPILED.map((c) => c?.[0]);

/**
 * Upper bound of the bytes an event of each type writes, excluding trailing data and the commit
 * stage text. Trailing data is at most 2 hex digits per byte per view plus list punctuation, so
 * callers ensure JSON_MAX_FIXED[type] + 5 * payload_size + stage length.
 */
export const JSON_MAX_FIXED: readonly number[] = COMPILED.map((c) => c?.[1] ?? 0);
