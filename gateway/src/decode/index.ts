// Public API of the exec event decoders (see each module for details).
export * from "./event-types.js";
export * from "./payload-types.js";
export { LAYOUTS, getLayout, fieldOffset, FIXED_KIND_SIZE, BYTES_KIND_SIZE } from "./layouts.js";
export type { PayloadLayout, FieldSpec, FixedField, FlowField, TrailField, TrailingPart, FixedKind } from "./layouts.js";
export { hexBytes, uint256Hex } from "./hex.js";
export { u64Value } from "./numbers.js";
export { EventDecodeError, checkRecord, type DecodeErrorReason } from "./record-check.js";
export { FlowTracker } from "./flow-tracker.js";
export type { CommitStageArg } from "./event-flow.js";
export { eventToJson, renderEventJson, txnHashKnown, writeEventJson, writeSeenEventJson } from "./event-json.js";
export { JsonWriter } from "./json-writer.js";
export { decodeEvent, renderEventObject, eventObjectToJson, type ExecEventObject } from "./event-object.js";
export { walkBatch, batchToNdjson, batchToJson, decodeBatch, type BatchOptions, type BatchResult, type NdjsonBatch } from "./batch-decode.js";
