// Closed vocabularies of the wire protocol. The schemas build their enums from these lists, so
// the server code, the validators, the generated types and the docs all share one spelling.

import { EVENT_NAMES, type EventName } from "../decode/event-types.js";

/** Bumped only on breaking changes; additions (new keys, frames, fields) keep it at 1. */
export const WIRE_VERSION = 1;

/** Every event type name, in type-number order (RecordError = 1 … EvmError = 24). */
export const EVENT_NAME_LIST: readonly EventName[] = Object.freeze(EVENT_NAMES.filter((n): n is EventName => n !== undefined));

/** Subscribable items that are not event types: each selects one server frame kind. */
export const META_ITEMS = ["TPS", "ContentionData", "TopAccesses", "Lifecycle"] as const;

/**
 * Pseudo event name kept from the Rust gateway: selects TxnCallFrame events whose `value` is not
 * zero. It is never an `event_name` on the wire.
 */
export const NATIVE_TRANSFER = "NativeTransfer";

/** Everything a subscribe list may name. */
export const SUBSCRIBE_ITEMS: readonly string[] = Object.freeze([...EVENT_NAME_LIST, ...META_ITEMS, NATIVE_TRANSFER]);

/** Names a filter spec may target: the event types plus NativeTransfer. */
export const FILTERABLE_NAMES: readonly string[] = Object.freeze([...EVENT_NAME_LIST, NATIVE_TRANSFER]);

/** Server → client frame kinds: the second key of every frame (the first is server_seqno). */
export const FRAME_KINDS = ["Hello", "Resume", "Events", "TPS", "ContentionData", "TopAccesses", "Lifecycle", "Warning", "Error"] as const;
export type FrameKind = (typeof FRAME_KINDS)[number];

/**
 * Frames that belong to the broadcast stream and are stored for replay. The others are per-connection
 * control frames and are never replayed.
 */
export const STREAM_FRAME_KINDS = ["Events", "TPS", "ContentionData", "TopAccesses", "Lifecycle"] as const satisfies readonly FrameKind[];

/** Client → server message kinds (the single key of every client message). */
export const CLIENT_MESSAGE_KINDS = ["subscribe", "hello"] as const;

/** Public block commit stages in their order; Rejected is terminal and orders last (as in the Rust gateway). */
export const COMMIT_STAGES = ["Proposed", "Voted", "Finalized", "Verified", "Rejected"] as const;

/** WebSocket channels; the route is /v1/ws/<channel> ("all" is /v1/ws and /). */
export const CHANNELS = ["all", "blocks", "txs", "contention", "lifecycle"] as const;
type Channel = (typeof CHANNELS)[number];

/** WebSocket route of each channel. */
export const CHANNEL_ROUTES: Readonly<Record<Channel, readonly string[]>> = Object.freeze({
  all: ["/v1/ws", "/"],
  blocks: ["/v1/ws/blocks"],
  txs: ["/v1/ws/txs"],
  contention: ["/v1/ws/contention"],
  lifecycle: ["/v1/ws/lifecycle"],
});

/**
 * The subscription each channel starts with (the Rust gateway's `ClientSubscription::from_channel`),
 * written out in full: "all" lists every event type rather than relying on "empty means all".
 */
export const CHANNEL_SUBSCRIPTIONS: Readonly<Record<Channel, { readonly events: readonly string[] }>> = Object.freeze({
  all: { events: [...EVENT_NAME_LIST, ...META_ITEMS] },
  blocks: { events: ["BlockStart", "BlockEnd", "BlockQC", "BlockFinalized", "BlockVerified", "BlockReject", "TPS", "Lifecycle"] },
  txs: { events: ["TxnHeaderStart", "TxnEvmOutput", "TxnLog", "TxnCallFrame", "TxnEnd", "TxnReject", NATIVE_TRANSFER] },
  contention: { events: ["ContentionData"] },
  lifecycle: { events: ["Lifecycle"] },
});

/** Why a connection got a snapshot instead of a replay (Resume.reason). */
export const RESUME_REASONS = ["no_cursor", "cursor_too_old", "cursor_in_future", "epoch_mismatch", "buffer_empty"] as const;

/** Warning.type values. */
export const WARNING_TYPES = ["backpressure", "ring_gap", "payload_expired", "writer_gone", "writer_back"] as const;

/**
 * Error codes of Error frames and REST error bodies. Clients must treat unknown codes like a
 * generic error: new codes may be added without a wire version bump.
 */
export const ERROR_CODES = {
  invalid_json: "The client message is not valid JSON.",
  invalid_message: 'The message is not a JSON object with exactly one of the keys "subscribe" or "hello".',
  invalid_subscribe: "The subscribe message is malformed (wrong type, unknown key, invalid min_stage...).",
  unknown_event: "A subscribe list or filter names an event or meta item that does not exist.",
  invalid_filter: "A filter spec is malformed or names a field the event type cannot be filtered on.",
  invalid_hello: "The hello message is malformed.",
  rate_limited: "Too many subscribe messages; the subscription was not changed.",
  message_too_large: "The client message exceeds limits.max_message_bytes; it was not parsed.",
  too_many_connections: "REST/upgrade: the client IP has limits.max_connections_per_ip connections already (HTTP 429).",
  not_found: "REST: no such resource, e.g. a block the lifecycle tracker does not hold (HTTP 404).",
  no_data: "REST: the data does not exist yet, e.g. no block has ended since the gateway started.",
  bad_request: "REST: a path or query parameter is invalid (HTTP 400).",
  internal_error: "An unexpected server-side failure (HTTP 500).",
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Health levels shared by /v1/status and /health. */
export const HEALTH_STATUSES = ["healthy", "degraded", "unhealthy"] as const;

/**
 * Feature flags a Hello may announce. The first six are the Rust gateway's; the list in a Hello is
 * open (clients ignore flags they do not know).
 */
export const KNOWN_FEATURES = {
  lifecycle: "Lifecycle frames and the lifecycle channel.",
  contention: "ContentionData frames and the contention channel.",
  resume: "?resume_from replay from the resume buffer.",
  heartbeat: "WebSocket ping frames every limits.heartbeat_interval_secs.",
  stage_filter: "min_stage in advanced subscribe.",
  backpressure_notify: "Warning frames of type backpressure.",
  epoch: "Resume cursors are qualified by the gateway epoch (?epoch=).",
  error_frames: "Invalid client messages are answered with an Error frame instead of being ignored.",
  extended_filters: "Field filters beyond TxnLog (TxnCallFrame, TxnHeaderStart, state accesses, txn_index on every transaction event).",
  ring_warnings: "Warning frames of types ring_gap, payload_expired, writer_gone and writer_back.",
  contention_schedule: "ContentionData.schedule (greedy conflict-free batches).",
  stage_release: "With min_stage, held events are re-published in one Events frame (new server_seqno) when their block reaches the stage.",
  subscribe_in_url: "?subscribe=<JSON> sets the subscription before the first frame, so a resume replay is filtered exactly.",
} as const;
