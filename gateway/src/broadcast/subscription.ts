// What a client wants: event types, meta frames, per-event field filters and a minimum commit stage,
// compiled once per subscribe into bit masks and predicates over raw ring records, so deciding what
// a frame holds for a client reads a few bytes and allocates nothing.
import { EVENT_NAMES, ExecEventType, eventTypeFromName, FIXED_PAYLOAD_SIZE } from "../decode/event-types.js";
import { fieldOffset, LAYOUTS } from "../decode/layouts.js";
import { u64At } from "../decode/numbers.js";
import { CHANNEL_SUBSCRIPTIONS, CHANNELS, FILTERABLE_NAMES, META_ITEMS, SUBSCRIBE_ITEMS } from "../protocol/constants.js";
import { FIELD_FILTERS_BY_EVENT, filterField } from "../protocol/field-filters.js";
import { DESCRIPTOR_SIZE, REC_TXN_ID } from "../ring/event-record.js";
import { FrameKind, NATIVE_TRANSFER_BIT } from "./frame.js";
import { Stage, stageFromName, STAGE_NAMES } from "./stage.js";

export type StageName = "Proposed" | "Voted" | "Finalized" | "Verified";

export { CHANNELS };
export type Channel = (typeof CHANNELS)[number];
type MetaItem = (typeof META_ITEMS)[number];
const META_KIND: Record<MetaItem, FrameKind> = {
  TPS: FrameKind.TPS,
  ContentionData: FrameKind.ContentionData,
  TopAccesses: FrameKind.TopAccesses,
  Lifecycle: FrameKind.Lifecycle,
};

export interface FieldFilterSpec {
  field: string;
  filter: { values?: string[]; min?: number | null; max?: number | null };
}
export interface FilterSpec {
  event_name: string;
  field_filters: FieldFilterSpec[];
}
/** The advanced subscribe form; the simple form (a list of names) is `{ events: list }`. */
export interface SubscribeSpec {
  events: string[];
  filters?: FilterSpec[];
  min_stage?: StageName;
}

/** A subscribe request that cannot be honoured, with what is valid. */
export class SubscriptionError extends Error {
  constructor(
    readonly code: "unknown_event" | "invalid_filter" | "invalid_subscribe",
    message: string,
    readonly valid?: readonly string[],
  ) {
    super(message);
  }
}

type Predicate = (raw: Buffer, rec: number) => boolean;

export interface Subscription {
  /** Canonical text: equal keys select exactly the same bytes, so clients share variants. */
  readonly key: string;
  readonly spec: SubscribeSpec;
  /** Bit per ExecEventType, plus NATIVE_TRANSFER_BIT. */
  readonly eventMask: number;
  /** Bit per FrameKind for meta frames. */
  readonly kindMask: number;
  /** Events of blocks below this stage are held (Proposed: nothing is held). */
  readonly minStage: Stage;
  /** Per event type: any-of (specs) all-of (field filters). Absent type: no filter. */
  readonly filters: ReadonlyMap<number, Predicate[]>;
}

export function channelDefault(channel: Channel): SubscribeSpec {
  return { events: [...CHANNEL_SUBSCRIPTIONS[channel].events] };
}

export function compileSubscription(spec: SubscribeSpec): Subscription {
  let eventMask = 0;
  let kindMask = 0;
  for (const [i, name] of spec.events.entries()) {
    if ((META_ITEMS as readonly string[]).includes(name)) kindMask |= 1 << META_KIND[name as MetaItem];
    else if (name === "NativeTransfer") eventMask |= NATIVE_TRANSFER_BIT;
    else {
      const t = eventTypeFromName(name);
      if (t === undefined || t === ExecEventType.NONE)
        throw new SubscriptionError("unknown_event", `unknown event "${name}" at subscribe[${i}]`, SUBSCRIBE_ITEMS);
      eventMask |= 1 << t;
    }
  }
  if (eventMask !== 0) kindMask |= 1 << FrameKind.Events;
  let minStage: Stage = Stage.Proposed; // every event is at least Proposed: no hold
  if (spec.min_stage !== undefined) {
    const s = stageFromName(spec.min_stage);
    if (s === undefined || s === Stage.Rejected)
      throw new SubscriptionError("invalid_subscribe", `min_stage "${spec.min_stage}" is not a stage`, STAGE_NAMES.slice(0, 4));
    minStage = s;
  }
  const filters = new Map<number, Predicate[]>();
  for (const [i, f] of (spec.filters ?? []).entries()) {
    const t = f.event_name === "NativeTransfer" ? ExecEventType.TXN_CALL_FRAME : eventTypeFromName(f.event_name);
    if (t === undefined || t === ExecEventType.NONE)
      throw new SubscriptionError("unknown_event", `unknown event "${f.event_name}" in filters[${i}]`, FILTERABLE_NAMES);
    const checks = f.field_filters.map((ff, j) => compileFieldFilter(t, ff, `filters[${i}].field_filters[${j}]`));
    const all: Predicate = checks.length === 1 ? checks[0] : (raw, rec) => checks.every((c) => c(raw, rec));
    const list = filters.get(t) ?? [];
    list.push(all);
    filters.set(t, list);
  }
  const key = canonicalKey(spec, minStage);
  return { key, spec, eventMask, kindMask, minStage, filters };
}

function canonicalKey(spec: SubscribeSpec, minStage: Stage): string {
  const events = [...new Set(spec.events)].sort();
  return JSON.stringify([events, spec.filters ?? [], minStage]);
}

/** True when event `type` at record `rec` of `raw` passes the subscription's type and field filters. */
export function wantsEvent(sub: Subscription, type: number, raw: Buffer, rec: number): boolean {
  let wanted = (sub.eventMask & (1 << type)) !== 0;
  if (!wanted && type === ExecEventType.TXN_CALL_FRAME && (sub.eventMask & NATIVE_TRANSFER_BIT) !== 0) wanted = movesValue(raw, rec);
  if (!wanted) return false;
  const preds = sub.filters.get(type);
  if (!preds) return true;
  for (const p of preds) if (p(raw, rec)) return true;
  return false;
}

const CALL_FRAME_VALUE = DESCRIPTOR_SIZE + fieldOffset(ExecEventType.TXN_CALL_FRAME, "value");

/** A call frame that moves native value (the old gateway's NativeTransfer). */
export function movesValue(raw: Buffer, rec: number): boolean {
  for (let i = 0; i < 32; i += 4) if (raw.readUInt32LE(rec + CALL_FRAME_VALUE + i) !== 0) return true;
  return false;
}

const TXN_LOG_TOPIC_COUNT = DESCRIPTOR_SIZE + LAYOUTS[ExecEventType.TXN_LOG]!.trailing.find((p) => p.name === "topics")!.countOffset;
const TXN_LOG_TOPICS = DESCRIPTOR_SIZE + FIXED_PAYLOAD_SIZE[ExecEventType.TXN_LOG];
const WIDTH: Partial<Record<string, number>> = { u8: 1, u16: 2, u32: 4, u64: 8 };

/**
 * A field filter as a predicate over a raw record. Which fields an event accepts and how each is read
 * come from the protocol's filter table (the same table the subscribe schema and its errors use).
 */
function compileFieldFilter(type: ExecEventType, ff: FieldFilterSpec, where: string): Predicate {
  const name = EVENT_NAMES[type]!;
  const allowed = FIELD_FILTERS_BY_EVENT[name] ?? [];
  const spec = filterField(ff.field);
  if (!spec || !allowed.includes(ff.field))
    throw new SubscriptionError("invalid_filter", `${where}: field filter "${ff.field}" is not valid for ${name}`, allowed);
  if (spec.kind === "values") {
    const wanted = hexValues(ff, 20, where);
    if (wanted.length === 0) return () => true; // an empty list matches everything (as the Rust gateway)
    const at = DESCRIPTOR_SIZE + fieldOffset(type, spec.reads.key);
    return (raw, rec) => wanted.some((w) => raw.compare(w, 0, 20, rec + at, rec + at + 20) === 0);
  }
  if (spec.kind === "prefix") {
    const prefix = hexValues(ff, 32, where);
    // Array prefix: topic i must equal values[i] for every given i.
    return (raw, rec) => {
      if (raw[rec + TXN_LOG_TOPIC_COUNT] < prefix.length) return false;
      for (let i = 0; i < prefix.length; i++) {
        const at = rec + TXN_LOG_TOPICS + 32 * i;
        if (raw.compare(prefix[i], 0, 32, at, at + 32) !== 0) return false;
      }
      return true;
    };
  }
  const { min, max } = range(ff, where);
  if (spec.reads.from === "envelope") {
    return (raw, rec) => {
      const id = u64At(raw, rec + REC_TXN_ID);
      return id !== 0 && id - 1 >= min && id - 1 <= max;
    };
  }
  const field = LAYOUTS[type]!.fields.find((f) => f.name === spec.reads.key);
  const width = field ? WIDTH[field.kind] : undefined;
  if (!field || width === undefined) throw new SubscriptionError("invalid_filter", `${where}: field "${ff.field}" cannot be filtered by range on ${name}`, allowed);
  const at = DESCRIPTOR_SIZE + fieldOffset(type, spec.reads.key);
  const read =
    width === 1 ? (raw: Buffer, rec: number) => raw[rec + at]
    : width === 2 ? (raw: Buffer, rec: number) => raw.readUInt16LE(rec + at)
    : width === 4 ? (raw: Buffer, rec: number) => raw.readUInt32LE(rec + at)
    : (raw: Buffer, rec: number) => u64At(raw, rec + at);
  return (raw, rec) => {
    const v = read(raw, rec);
    return v >= min && v <= max;
  };
}

function hexValues(ff: FieldFilterSpec, bytes: number, where: string): Buffer[] {
  const values = ff.filter.values ?? [];
  return values.map((v, k) => {
    if (typeof v !== "string" || !new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`).test(v))
      throw new SubscriptionError("invalid_filter", `${where}.values[${k}]: expected 0x and ${bytes * 2} hex digits, got ${JSON.stringify(v)}`);
    return Buffer.from(v.slice(2), "hex");
  });
}

function range(ff: FieldFilterSpec, where: string): { min: number; max: number } {
  const min = ff.filter.min ?? 0;
  const max = ff.filter.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min)
    throw new SubscriptionError("invalid_filter", `${where}: field "${ff.field}" needs integers {"min", "max"} with 0 <= min <= max`);
  return { min, max };
}

