// The TypeScript SDK's copy of the protocol (sdk-ts/src/generated/): the same types as
// gateway/src/protocol/generated/, except that 64/128-bit integers are `number | bigint` (the SDK's
// JSON parser turns integers above 2^53 into bigints instead of rounding them), plus the protocol's
// vocabularies (channels, their default subscriptions, event names, filterable fields) as values,
// so the SDK never restates what the gateway defines. The SDK package cannot import the gateway's
// sources (it is published on its own and must run in browsers), hence generated copies.

import { FIELD_FILTERS_BY_EVENT } from "../field-filters.js";
import {
  CHANNEL_ROUTES,
  CHANNEL_SUBSCRIPTIONS,
  CHANNELS,
  COMMIT_STAGES,
  EVENT_NAME_LIST,
  FRAME_KINDS,
  KNOWN_FEATURES,
  META_ITEMS,
  NATIVE_TRANSFER,
  RESUME_REASONS,
  STREAM_FRAME_KINDS,
  WARNING_TYPES,
  WIRE_VERSION,
} from "../constants.js";
import { GENERATED_BANNER, generateTypes, type TypeOverrides } from "./types.js";

export const SDK_GENERATED_DIR = "sdk-ts/src/generated";

const EXACT_NOTE = "In the SDK: a number when it is a safe integer (at most Number.MAX_SAFE_INTEGER in magnitude), otherwise a bigint holding the exact value.";

const SDK_TYPE_OVERRIDES: TypeOverrides = {
  U64: { tsType: "number | bigint", description: `Unsigned 64-bit integer. ${EXACT_NOTE}` },
  I64: { tsType: "number | bigint", description: `Signed 64-bit integer. ${EXACT_NOTE}` },
  U128: { tsType: "number | bigint", description: `Unsigned 128-bit integer. ${EXACT_NOTE}` },
};

const list = (xs: readonly string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;

function record(entries: [string, string][]): string {
  return `{\n${entries.map(([k, v]) => `  ${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}: ${v},`).join("\n")}\n}`;
}

function constantsFile(): string {
  const controlKinds = FRAME_KINDS.filter((k) => !(STREAM_FRAME_KINDS as readonly string[]).includes(k));
  const filterable = [...EVENT_NAME_LIST, NATIVE_TRANSFER];
  return `${GENERATED_BANNER}// The protocol's vocabularies as values (gateway/src/protocol/constants.ts, field-filters.ts).

import type { Channel, CommitStage, EventName, FilterableName, MetaItem, SubscribeItem } from "./common.js";

/** Wire protocol version this SDK implements. */
export const WIRE_VERSION = ${WIRE_VERSION};

/** WebSocket channels; each is a route that sets the initial subscription. */
export const CHANNELS = ${list(CHANNELS)} as const satisfies readonly Channel[];

/** WebSocket route of each channel. */
export const CHANNEL_PATHS: Readonly<Record<Channel, string>> = ${record(CHANNELS.map((c) => [c, JSON.stringify(CHANNEL_ROUTES[c][0])]))};

/** The subscription each channel starts with. */
export const CHANNEL_SUBSCRIPTIONS: Readonly<Record<Channel, readonly SubscribeItem[]>> = ${record(
    CHANNELS.map((c) => [c, list(CHANNEL_SUBSCRIPTIONS[c].events)]),
  )};

/** Every event type name, in type-number order. */
export const EVENT_NAMES = ${list(EVENT_NAME_LIST)} as const satisfies readonly EventName[];

/** Subscribable items that select a frame kind rather than an event type. */
export const META_ITEMS = ${list(META_ITEMS)} as const satisfies readonly MetaItem[];

/** Pseudo event name: TxnCallFrame events with a non-zero value. Never an event_name on the wire. */
export const NATIVE_TRANSFER = ${JSON.stringify(NATIVE_TRANSFER)};

/** Commit stages in order (Rejected is terminal and orders last). */
export const COMMIT_STAGES = ${list(COMMIT_STAGES)} as const satisfies readonly CommitStage[];

/** Frame kinds of the broadcast stream: stored, replayed on resume, strictly increasing server_seqno. */
export const STREAM_FRAME_KINDS = ${list(STREAM_FRAME_KINDS)} as const;

/** Per-connection frame kinds: never replayed; they repeat the connection's position. */
export const CONTROL_FRAME_KINDS = ${list(controlKinds)} as const;

/** Why a connection got a snapshot instead of a replay (ResumeSnapshot.reason). */
export const RESUME_REASONS = ${list(RESUME_REASONS)} as const;

/** Warning types. */
export const WARNING_TYPES = ${list(WARNING_TYPES)} as const;

/** Feature flags a Hello may list. */
export const KNOWN_FEATURES = ${list(Object.keys(KNOWN_FEATURES))} as const;

/** Field filters each filterable name accepts in an advanced subscribe. */
export const FIELD_FILTERS_BY_EVENT: Readonly<Record<FilterableName, readonly string[]>> = ${record(
    filterable.map((n) => [n, list(FIELD_FILTERS_BY_EVENT[n] ?? [])]),
  )};
`;
}

/** The SDK's generated files as (repo-relative path → content). */
export async function generateSdk(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [file, text] of await generateTypes(SDK_TYPE_OVERRIDES)) out.set(`${SDK_GENERATED_DIR}/${file}`, text);
  out.set(`${SDK_GENERATED_DIR}/constants.ts`, constantsFile());
  return out;
}
