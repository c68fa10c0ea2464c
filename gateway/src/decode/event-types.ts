// The exec event types of the Monad execution event ring (schema 8933f907…, 25 types).
//
// Values and C names come from `enum monad_exec_event_type` in exec_event_ctypes.h. Wire names
// are the PascalCase `EventName` spellings of the existing Rust gateway, so clients that
// subscribe by name keep working (note the irregular "BlockQC").

export { EXEC_CONTENT_TYPE as CONTENT_TYPE_EXEC, EXEC_SCHEMA_HASH } from "../ring/exec-schema.js";

/** `MONAD_EXEC_EVENT_COUNT`: valid event types are 0 .. EXEC_EVENT_COUNT-1 (0 itself is invalid). */
export const EXEC_EVENT_COUNT = 25;

export enum ExecEventType {
  NONE = 0,
  RECORD_ERROR = 1,
  BLOCK_START = 2,
  BLOCK_REJECT = 3,
  BLOCK_PERF_EVM_ENTER = 4,
  BLOCK_PERF_EVM_EXIT = 5,
  BLOCK_END = 6,
  BLOCK_QC = 7,
  BLOCK_FINALIZED = 8,
  BLOCK_VERIFIED = 9,
  TXN_HEADER_START = 10,
  TXN_ACCESS_LIST_ENTRY = 11,
  TXN_AUTH_LIST_ENTRY = 12,
  TXN_HEADER_END = 13,
  TXN_REJECT = 14,
  TXN_PERF_EVM_ENTER = 15,
  TXN_PERF_EVM_EXIT = 16,
  TXN_EVM_OUTPUT = 17,
  TXN_LOG = 18,
  TXN_CALL_FRAME = 19,
  TXN_END = 20,
  ACCOUNT_ACCESS_LIST_HEADER = 21,
  ACCOUNT_ACCESS = 22,
  STORAGE_ACCESS = 23,
  EVM_ERROR = 24,
}

/** Wire (JSON) names, exactly as the Rust gateway's `EventName` serializes them. */
export type EventName =
  | "RecordError"
  | "BlockStart"
  | "BlockReject"
  | "BlockPerfEvmEnter"
  | "BlockPerfEvmExit"
  | "BlockEnd"
  | "BlockQC"
  | "BlockFinalized"
  | "BlockVerified"
  | "TxnHeaderStart"
  | "TxnAccessListEntry"
  | "TxnAuthListEntry"
  | "TxnHeaderEnd"
  | "TxnReject"
  | "TxnPerfEvmEnter"
  | "TxnPerfEvmExit"
  | "TxnEvmOutput"
  | "TxnLog"
  | "TxnCallFrame"
  | "TxnEnd"
  | "AccountAccessListHeader"
  | "AccountAccess"
  | "StorageAccess"
  | "EvmError";

/** C names (`g_monad_exec_event_metadata[type].c_name`), indexed by type value. */
export const C_NAMES: readonly string[] = Object.freeze(
  Array.from({ length: EXEC_EVENT_COUNT }, (_, t) => ExecEventType[t] as string),
);

/** Wire names indexed by type value; index 0 (NONE) has no wire name. */
export const EVENT_NAMES: readonly (EventName | undefined)[] = Object.freeze([
  undefined,
  "RecordError",
  "BlockStart",
  "BlockReject",
  "BlockPerfEvmEnter",
  "BlockPerfEvmExit",
  "BlockEnd",
  "BlockQC",
  "BlockFinalized",
  "BlockVerified",
  "TxnHeaderStart",
  "TxnAccessListEntry",
  "TxnAuthListEntry",
  "TxnHeaderEnd",
  "TxnReject",
  "TxnPerfEvmEnter",
  "TxnPerfEvmExit",
  "TxnEvmOutput",
  "TxnLog",
  "TxnCallFrame",
  "TxnEnd",
  "AccountAccessListHeader",
  "AccountAccess",
  "StorageAccess",
  "EvmError",
] as const);

/**
 * sizeof() of each type's fixed payload struct; variable-length trailing data (if any) follows it.
 * -1 marks NONE, which never appears in a valid ring.
 */
export const FIXED_PAYLOAD_SIZE: readonly number[] = Object.freeze([
  -1, // NONE
  16, // RECORD_ERROR (+ truncated copy of the dropped event)
  528, // BLOCK_START
  4, // BLOCK_REJECT
  0, // BLOCK_PERF_EVM_ENTER
  0, // BLOCK_PERF_EVM_EXIT
  360, // BLOCK_END
  56, // BLOCK_QC
  40, // BLOCK_FINALIZED
  8, // BLOCK_VERIFIED
  352, // TXN_HEADER_START (+ data, blob hashes)
  28, // TXN_ACCESS_LIST_ENTRY (+ storage keys)
  168, // TXN_AUTH_LIST_ENTRY
  0, // TXN_HEADER_END
  4, // TXN_REJECT
  0, // TXN_PERF_EVM_ENTER
  0, // TXN_PERF_EVM_EXIT
  24, // TXN_EVM_OUTPUT
  32, // TXN_LOG (+ topics, data)
  128, // TXN_CALL_FRAME (+ input, return)
  0, // TXN_END
  8, // ACCOUNT_ACCESS_LIST_HEADER
  152, // ACCOUNT_ACCESS
  124, // STORAGE_ACCESS
  16, // EVM_ERROR
]);

const BY_WIRE_NAME = new Map<string, ExecEventType>(
  EVENT_NAMES.map((n, t) => [n ?? "", t as ExecEventType] as const).filter(([n]) => n !== ""),
);

/** True for 1..24: the types a valid exec ring can contain. */
export function isValidEventType(t: number): t is ExecEventType {
  return Number.isInteger(t) && t > 0 && t < EXEC_EVENT_COUNT;
}

/** Wire name → type, e.g. "BlockQC" → BLOCK_QC; undefined for unknown names. */
export function eventTypeFromName(name: string): ExecEventType | undefined {
  return BY_WIRE_NAME.get(name);
}
