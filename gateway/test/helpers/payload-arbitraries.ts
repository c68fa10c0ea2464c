// fast-check arbitraries and helpers derived from the layout table, for fuzzing the encoder ↔ decoder
// (the hand-written samples in payload-samples.ts and the spot checks are what tie the table to the
// reference).
import fc from "fast-check";
import { FIXED_KIND_SIZE, type ExecPayload, type FieldSpec, type PayloadLayout, type U64 } from "../../src/decode/index.js";
import { hx, U256_MAX } from "./payload-samples.js";

const normU64 = (v: bigint): U64 => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
const toHex = (a: Uint8Array) => "0x" + Buffer.from(a).toString("hex");
const edgeBig = (max: bigint, min = 0n) => fc.oneof(fc.bigInt({ min, max }), fc.constantFrom(min, max, 0n, 2n ** 53n - 1n, 2n ** 53n).filter((v) => v >= min && v <= max));

function fixedArbitrary(kind: string): fc.Arbitrary<unknown> {
  switch (kind) {
    case "u8":
      return fc.integer({ min: 0, max: 255 });
    case "u16":
      return fc.integer({ min: 0, max: 65535 });
    case "u32":
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case "i32":
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case "u64":
      return edgeBig(2n ** 64n - 1n).map(normU64);
    case "i64":
      return edgeBig(2n ** 63n - 1n, -(2n ** 63n)).map(normU64);
    case "u128":
      return edgeBig(2n ** 128n - 1n).map(normU64);
    case "bool":
      return fc.boolean();
    case "uint256":
      return edgeBig(2n ** 256n - 1n).map((v) => "0x" + v.toString(16));
    default:
      return fc.uint8Array({ minLength: FIXED_KIND_SIZE[kind as "address"], maxLength: FIXED_KIND_SIZE[kind as "address"] }).map(toHex);
  }
}

export function payloadArbitrary(l: PayloadLayout): fc.Arbitrary<ExecPayload> {
  const fixed: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of l.fields) if ("offset" in f) fixed[f.name] = fixedArbitrary(f.kind);
  const parts = l.trailing.map((p) => (p.unit === 32 ? fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 5 }) : fc.array(fc.uint8Array({ minLength: 1, maxLength: 1 }), { maxLength: 300 })));
  const flowTxn = fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: null });
  return fc.record({ fixed: fc.record(fixed), parts: fc.tuple(...parts), txn: flowTxn, acct: edgeBig(2n ** 64n - 1n).map(normU64) }).map(({ fixed: fv, parts: pv, txn, acct }) => {
    const out: Record<string, unknown> = { type: l.eventName };
    for (const f of l.fields) out[f.name] = fieldValue(l, f, fv, pv as Uint8Array[][], txn, acct);
    return out as unknown as ExecPayload;
  });
}

function fieldValue(l: PayloadLayout, f: FieldSpec, fv: Record<string, unknown>, pv: Uint8Array[][], txn: number | null, acct: U64): unknown {
  switch (f.kind) {
    case "flow_txn":
      return txn;
    case "flow_account":
      return acct;
    case "trail_hex":
      return toHex(Buffer.concat(pv[f.part]));
    case "trail_list":
      return pv[f.part].map(toHex);
    default: {
      // A fixed field that is also a trailing count (RECORD_ERROR.truncated_payload_size) must agree with the data.
      const part = l.trailing.findIndex((p) => p.countOffset === f.offset);
      return part >= 0 ? Buffer.concat(pv[part]).length / l.trailing[part].unit : fv[f.name];
    }
  }
}

/** Byte offsets of the fixed struct owned by a field or a count. */
export function ownedBytes(l: PayloadLayout): Set<number> {
  const owned = new Set<number>();
  for (const f of l.fields) if ("offset" in f) for (let i = 0; i < FIXED_KIND_SIZE[f.kind]; i++) owned.add(f.offset + i);
  for (const p of l.trailing) for (let i = 0; i < FIXED_KIND_SIZE[p.countKind]; i++) owned.add(p.countOffset + i);
  return owned;
}

/** Every fixed field at its maximum (all bits set), every trailing part non-empty. */
export function maxPayload(l: PayloadLayout): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of l.fields) {
    if (!("offset" in f)) continue;
    const k = f.kind;
    out[f.name] =
      k === "bool" ? true
      : k === "u8" ? 255
      : k === "u16" ? 65535
      : k === "u32" ? 2 ** 32 - 1
      : k === "i32" ? -1
      : k === "u64" ? 2n ** 64n - 1n
      : k === "i64" ? -1
      : k === "u128" ? 2n ** 128n - 1n
      : k === "uint256" ? U256_MAX
      : hx(0xff, FIXED_KIND_SIZE[k]);
  }
  l.trailing.forEach((p, i) => {
    const view = l.fields.find((f) => (f.kind === "trail_hex" || f.kind === "trail_list") && f.part === i)!;
    out[view.name] = view.kind === "trail_list" ? [hx(0xee, 32)] : hx(0xee, p.unit === 32 ? 32 : 3);
  });
  return out;
}
