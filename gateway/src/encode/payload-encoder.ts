// Payload encoder: object (the decoder's payload shape) → payload bytes, driven by the same
// layout table as the decoders, so encode(decode(x)) and decode(encode(x)) are the identity.

import { ExecEventType } from "../decode/event-types.js";
import { isFixedField, LAYOUTS, type FixedKind, type PayloadLayout, type TrailField } from "../decode/layouts.js";
import { byteLengthOf, writeBytes, writeFixed, writeVarBytes } from "./value-writers.js";

type PayloadObject = Readonly<Record<string, unknown>>;

/** Per-type encoding plan precomputed from the table (field lists and error labels). */
interface Plan {
  readonly layout: PayloadLayout;
  readonly fixed: readonly { readonly name: string; readonly kind: FixedKind; readonly offset: number; readonly what: string }[];
  /** For each trailing part, its views in preference order. */
  readonly sources: readonly (readonly TrailField[])[];
  /** Error label ("TXN_LOG.topics") of every field, precomputed to keep the hot path allocation-free. */
  readonly what: Readonly<Record<string, string>>;
}

const PLANS: readonly (Plan | undefined)[] = LAYOUTS.map((l) =>
  l === undefined
    ? undefined
    : {
        layout: l,
        fixed: l.fields.filter(isFixedField).map((f) => ({ name: f.name, kind: f.kind, offset: f.offset, what: `${l.cName}.${f.name}` })),
        sources: l.trailing.map((_, i) => l.fields.filter((f): f is TrailField => (f.kind === "trail_hex" || f.kind === "trail_list") && f.part === i)),
        what: Object.fromEntries([...l.fields, ...l.trailing].map((f) => [f.name, `${l.cName}.${f.name}`])),
      },
);

function planFor(type: number): Plan {
  const plan = PLANS[type];
  if (plan === undefined) throw new RangeError(`cannot encode event type ${type}: not an exec event type (1..24)`);
  return plan;
}

/** Layout for `type`, or a clear error for NONE / out-of-range types. */
export function layoutForEncode(type: number): PayloadLayout {
  return planFor(type).layout;
}

/**
 * The field that supplies trailing part `part`: the first view of it (in table order) that the
 * input defines. E.g. TxnLog topics come from `topics` (one hex string) or else `topics_list`.
 */
function trailSource(plan: Plan, part: number, payload: PayloadObject): TrailField | undefined {
  for (const f of plan.sources[part]) if (payload[f.name] !== undefined) return f;
  return undefined;
}

/** Byte length of one trailing part as given by the input (validates the values). */
function trailLength(plan: Plan, part: number, payload: PayloadObject): number {
  const l = plan.layout;
  const f = trailSource(plan, part, payload);
  if (f === undefined) return 0;
  const v = payload[f.name];
  const what = plan.what[f.name];
  if (f.kind === "trail_hex") {
    const n = byteLengthOf(v, what);
    if (n % l.trailing[part].unit !== 0) throw new RangeError(`${what}: ${n} bytes is not a multiple of ${l.trailing[part].unit}`);
    return n;
  }
  if (!Array.isArray(v)) throw new TypeError(`${what}: expected an array of 32-byte hex strings`);
  return v.length * 32;
}

/** Total payload size the input encodes to: fixed struct + trailing parts. */
export function encodedPayloadSize(type: number, payload: PayloadObject = {}): number {
  const plan = planFor(type);
  let size = plan.layout.fixedSize;
  for (let i = 0; i < plan.sources.length; i++) size += trailLength(plan, i, payload);
  return size;
}

const COUNT_MAX = { u8: 0xff, u32: 0xffffffff, u64: Number.MAX_SAFE_INTEGER } as const;

/**
 * Writes the payload of `type` at dst[off..]. The destination bytes must already be zero (struct
 * padding is not written, and the ABI requires it be 0). Returns the payload size. Descriptor-
 * derived fields (txn_index, account_index) are ignored here; the record writer places them.
 */
export function encodePayloadInto(dst: Buffer, off: number, type: number, payload: PayloadObject = {}): number {
  const plan = planFor(type);
  const l = plan.layout;
  for (const f of plan.fixed) {
    const v = payload[f.name];
    if (v !== undefined) writeFixed(dst, off + f.offset, f.kind, v, f.what);
  }
  // Trailing parts last: their counts overwrite any count the input stated as a plain field
  // (RECORD_ERROR.truncated_payload_size), so the size always matches the bytes written.
  let pos = off + l.fixedSize;
  for (let i = 0; i < l.trailing.length; i++) {
    const p = l.trailing[i];
    const src = trailSource(plan, i, payload);
    let n = 0;
    if (src !== undefined) {
      const v = payload[src.name];
      const what = plan.what[src.name];
      if (src.kind === "trail_hex") {
        n = writeVarBytes(dst, pos, v, what);
      } else {
        const items = v as unknown[];
        for (let k = 0; k < items.length; k++) writeBytes(dst, pos + 32 * k, items[k], 32, what);
        n = items.length * 32;
      }
    }
    const count = n / p.unit;
    if (count > COUNT_MAX[p.countKind]) throw new RangeError(`${l.cName}.${p.name}: ${count} items exceed the ${p.countKind} count field`);
    writeFixed(dst, off + p.countOffset, p.countKind, count, plan.what[p.name]);
    pos += n;
  }
  return pos - off;
}

/** Convenience: encode a payload into a fresh zeroed Buffer of exactly its size. */
export function encodePayload(type: ExecEventType, payload: PayloadObject = {}): Buffer {
  const out = Buffer.alloc(encodedPayloadSize(type, payload));
  encodePayloadInto(out, 0, type, payload);
  return out;
}
