// Public API of the exec event encoders. The event types and payload shapes are re-exported so a
// producer needs only this module.
export { BatchBuilder, type BatchEventInput, type AnyBatchEventInput, type RawDescriptor } from "./batch-builder.js";
export { encodePayload, encodePayloadInto, encodedPayloadSize } from "./payload-encoder.js";
export { u256Hex } from "./u256.js";
export { ExecEventType } from "../decode/event-types.js";
export { fieldOffset } from "../decode/layouts.js";
export type * from "../decode/payload-types.js";
