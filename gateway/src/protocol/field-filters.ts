// Which field filters each event type accepts in an advanced subscribe, derived from the layout
// table where a rule exists (every event with an `address` payload field gets an `address`
// filter; every transaction-scoped event gets `txn_index`) plus a short list of explicit extras.
// The subscribe schema, the error messages and the filter engine all read this one table.

import type { EventName } from "../decode/event-types.js";
import { LAYOUTS, type FieldSpec, type PayloadLayout } from "../decode/layouts.js";
import { NATIVE_TRANSFER } from "./constants.js";

/** values: exact match against any listed value; prefix: array prefix match; range: inclusive min/max. */
export type FilterKind = "values" | "prefix" | "range";

export interface FilterField {
  /** The name used in `{"field": ..., "filter": ...}`. */
  readonly field: string;
  readonly kind: FilterKind;
  /** Where the filtered value is read: a payload key, or the envelope's `txn_idx`. */
  readonly reads: { readonly from: "payload" | "envelope"; readonly key: string };
  /** One sentence for the docs and the schema. */
  readonly description: string;
}

/** Every filterable field, in the order error messages and docs list them. */
export const FILTER_FIELDS: readonly FilterField[] = Object.freeze([
  {
    field: "address",
    kind: "values",
    reads: { from: "payload", key: "address" },
    description: "The payload's `address` equals one of `values` (any hex case).",
  },
  {
    field: "topics",
    kind: "prefix",
    reads: { from: "payload", key: "topics" },
    description:
      "The log's topics start with `values`: topic i equals values[i] for every given i (so `[topic0]` matches an event signature). A log with fewer topics than values does not match.",
  },
  {
    field: "txn_index",
    kind: "range",
    reads: { from: "envelope", key: "txn_idx" },
    description: "The event's transaction index lies in [min, max]. Events outside a transaction (txn_index null) never match.",
  },
  { field: "log_index", kind: "range", reads: { from: "payload", key: "log_index" }, description: "The log's index within its transaction lies in [min, max]." },
  { field: "sender", kind: "values", reads: { from: "payload", key: "sender" }, description: "The transaction sender equals one of `values`." },
  { field: "to", kind: "values", reads: { from: "payload", key: "to" }, description: "The transaction recipient equals one of `values`." },
  { field: "caller", kind: "values", reads: { from: "payload", key: "caller" }, description: "The call frame's caller equals one of `values`." },
  { field: "call_target", kind: "values", reads: { from: "payload", key: "call_target" }, description: "The call frame's target equals one of `values`." },
  { field: "depth", kind: "range", reads: { from: "payload", key: "depth" }, description: "The call depth (0 = top-level call) lies in [min, max]." },
]);

const BY_FIELD = new Map(FILTER_FIELDS.map((f) => [f.field, f]));

/** Filters that no rule derives; the Rust gateway had the TxnLog ones only. */
const EXTRAS: Partial<Record<EventName, readonly string[]>> = {
  TxnLog: ["topics", "log_index"],
  TxnCallFrame: ["caller", "call_target", "depth"],
  TxnHeaderStart: ["sender", "to"],
};

/** The layout kinds a filter may read, so a layout change that breaks a filter fails at import. */
const READABLE_KINDS: Readonly<Record<FilterKind, readonly FieldSpec["kind"][]>> = {
  values: ["address"],
  prefix: ["trail_hex"],
  range: ["u8", "u16", "u32", "u64", "flow_txn"],
};

function isTxnScoped(l: PayloadLayout): boolean {
  return l.eventName.startsWith("Txn") || l.fields.some((f) => f.kind === "flow_txn");
}

function fieldsFor(l: PayloadLayout): string[] {
  const names = new Set<string>(EXTRAS[l.eventName] ?? []);
  if (l.fields.some((f) => f.name === "address" && f.kind === "address")) names.add("address");
  if (isTxnScoped(l)) names.add("txn_index");
  for (const name of names) {
    const spec = BY_FIELD.get(name);
    if (spec === undefined) throw new Error(`field-filters: unknown filter field ${name}`);
    if (spec.reads.from === "envelope") continue;
    const f = l.fields.find((x) => x.name === spec.reads.key);
    if (f === undefined || !READABLE_KINDS[spec.kind].includes(f.kind))
      throw new Error(`field-filters: ${l.eventName}.${spec.reads.key} cannot back a ${spec.kind} filter`);
  }
  return FILTER_FIELDS.map((f) => f.field).filter((n) => names.has(n));
}

/**
 * Field filter names each filterable name accepts, in FILTER_FIELDS order. Empty for block-level
 * events. NativeTransfer shares TxnCallFrame's (it is a subset of TxnCallFrame events).
 */
export const FIELD_FILTERS_BY_EVENT: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, readonly string[]> = {};
  for (const l of LAYOUTS) if (l !== undefined) out[l.eventName] = Object.freeze(fieldsFor(l));
  out[NATIVE_TRANSFER] = out.TxnCallFrame;
  return Object.freeze(out);
})();

export function filterField(name: string): FilterField | undefined {
  return BY_FIELD.get(name);
}
