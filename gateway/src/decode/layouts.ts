// Payload layouts of all exec event types: the ONE table both the decoders (object and JSON
// string) and the encoder are derived from, so they cannot disagree about an offset or a name.
//
// Offsets are bytes from the payload start (x86-64 natural C alignment, little-endian), from
// exec_event_ctypes.h / event_ring.h at the supported schema hash. `fields` is listed in JSON
// key order: first the keys the existing Rust gateway emits, in its order and with its names,
// then the fields it omitted. Bytes not covered by a field are struct padding and are always 0.

import { EVENT_NAMES, EXEC_EVENT_COUNT, ExecEventType, FIXED_PAYLOAD_SIZE, type EventName } from "./event-types.js";

/** Fixed-size numeric/boolean kinds. u64/i64/u128 are exact in JSON (never rounded). */
export type NumberKind = "u8" | "u16" | "u32" | "i32" | "u64" | "i64" | "u128" | "bool";
/** `monad_c_uint256_ne`: 4 little-endian u64 limbs; JSON "0x" + minimal hex like alloy U256. */
export type Uint256Kind = "uint256";
/** Raw byte strings; JSON "0x" + lowercase hex of every byte. */
export type BytesKind = "address" | "bytes32" | "bloom" | "b64" | "pubkey";
export type FixedKind = NumberKind | Uint256Kind | BytesKind;

export const BYTES_KIND_SIZE: Readonly<Record<BytesKind, number>> = {
  address: 20,
  bytes32: 32,
  bloom: 256,
  b64: 8, // monad_c_b64 (the eth block nonce)
  pubkey: 33, // monad_c_secp256k1_pubkey: compressed SEC1 key (prefix byte + x)
};

export const FIXED_KIND_SIZE: Readonly<Record<FixedKind, number>> = {
  u8: 1,
  u16: 2,
  u32: 4,
  i32: 4,
  u64: 8,
  i64: 8,
  u128: 16,
  bool: 1,
  uint256: 32,
  ...BYTES_KIND_SIZE,
};

/** A field stored in the fixed struct at `offset`. */
export interface FixedField {
  readonly name: string;
  readonly kind: FixedKind;
  readonly offset: number;
}

/**
 * A field taken from the descriptor, not the payload. The Rust gateway puts these inside the
 * payload object: `txn_index` (content_ext[1]-1, JSON null when content_ext[1]==0) and
 * `account_index` (content_ext[2], STORAGE_ACCESS only).
 */
export interface FlowField {
  readonly name: string;
  readonly kind: "flow_txn" | "flow_account";
}

/**
 * A view of one variable-length trailing part: "trail_hex" renders the whole part as one hex
 * string (the Rust gateway's `Bytes`), "trail_list" as an array of 32-byte hex strings.
 */
export interface TrailField {
  readonly name: string;
  readonly kind: "trail_hex" | "trail_list";
  readonly part: number;
}

export type FieldSpec = FixedField | FlowField | TrailField;

/** True for fields stored in the fixed struct. */
export function isFixedField(f: FieldSpec): f is FixedField {
  return (f as FixedField).offset !== undefined;
}

/**
 * Variable-length trailing data after the fixed struct. Parts follow each other in array order;
 * part i holds `count * unit` bytes, where `count` is stored in the fixed struct at `countOffset`.
 */
export interface TrailingPart {
  readonly name: string;
  readonly unit: 1 | 32;
  readonly countOffset: number;
  readonly countKind: "u8" | "u32" | "u64";
}

export interface PayloadLayout {
  readonly type: ExecEventType;
  readonly cName: string;
  readonly eventName: EventName;
  readonly fixedSize: number;
  readonly fields: readonly FieldSpec[];
  readonly trailing: readonly TrailingPart[];
}

// Terse constructors keep the table below readable.
const fx = (name: string, kind: FixedKind, offset: number): FixedField => ({ name, kind, offset });
const txnIndex: FlowField = { name: "txn_index", kind: "flow_txn" };
const hexOf = (name: string, part: number): TrailField => ({ name, kind: "trail_hex", part });
const listOf = (name: string, part: number): TrailField => ({ name, kind: "trail_list", part });
const part = (name: string, unit: 1 | 32, countOffset: number, countKind: TrailingPart["countKind"]): TrailingPart => ({
  name,
  unit,
  countOffset,
  countKind,
});

type Spec = { fields?: FieldSpec[]; trailing?: TrailingPart[] };

const SPECS: Record<Exclude<ExecEventType, ExecEventType.NONE>, Spec> = {
  [ExecEventType.RECORD_ERROR]: {
    // truncated_payload_size doubles as the length of the truncated copy that follows.
    fields: [
      fx("error_type", "u16", 0),
      fx("dropped_event_type", "u16", 2),
      fx("truncated_payload_size", "u32", 4),
      fx("requested_payload_size", "u64", 8),
      hexOf("truncated_payload", 0),
    ],
    trailing: [part("truncated_payload", 1, 4, "u32")],
  },
  [ExecEventType.BLOCK_START]: {
    fields: [
      fx("block_number", "u64", 32),
      fx("block_id", "bytes32", 0),
      fx("round", "u64", 40),
      fx("epoch", "u64", 48),
      fx("parent_eth_hash", "bytes32", 145),
      fx("timestamp", "u64", 296),
      fx("beneficiary", "address", 216),
      fx("gas_limit", "u64", 288),
      fx("base_fee_per_gas", "uint256", 384),
      // Added (omitted by the Rust gateway):
      fx("proposal_epoch_nanos", "u128", 64),
      fx("chain_id", "uint256", 80),
      fx("author", "pubkey", 112),
      fx("ommers_hash", "bytes32", 184),
      fx("transactions_root", "bytes32", 236),
      fx("difficulty", "u64", 272),
      fx("eth_block_number", "u64", 280),
      fx("extra_data", "bytes32", 304),
      fx("extra_data_length", "u64", 336),
      fx("prev_randao", "bytes32", 344),
      fx("nonce", "b64", 376),
      fx("withdrawals_root", "bytes32", 416),
      fx("txn_count", "u64", 448),
      fx("base_fee_trend", "uint256", 456),
      fx("base_fee_moment", "uint256", 488),
    ],
  },
  [ExecEventType.BLOCK_REJECT]: { fields: [fx("reason", "u32", 0)] },
  [ExecEventType.BLOCK_PERF_EVM_ENTER]: {},
  [ExecEventType.BLOCK_PERF_EVM_EXIT]: {},
  [ExecEventType.BLOCK_END]: {
    fields: [
      fx("eth_block_hash", "bytes32", 0),
      fx("state_root", "bytes32", 32),
      fx("receipts_root", "bytes32", 64),
      fx("logs_bloom", "bloom", 96),
      fx("gas_used", "u64", 352),
    ],
  },
  [ExecEventType.BLOCK_QC]: {
    fields: [fx("block_id", "bytes32", 0), fx("block_number", "u64", 32), fx("round", "u64", 40), fx("epoch", "u64", 48)],
  },
  [ExecEventType.BLOCK_FINALIZED]: { fields: [fx("block_id", "bytes32", 0), fx("block_number", "u64", 32)] },
  [ExecEventType.BLOCK_VERIFIED]: { fields: [fx("block_number", "u64", 0)] },
  [ExecEventType.TXN_HEADER_START]: {
    fields: [
      txnIndex,
      fx("txn_hash", "bytes32", 0),
      fx("sender", "address", 32),
      fx("txn_type", "u8", 56),
      fx("chain_id", "uint256", 64),
      fx("nonce", "u64", 96),
      fx("gas_limit", "u64", 104),
      fx("max_fee_per_gas", "uint256", 112),
      fx("max_priority_fee_per_gas", "uint256", 144),
      fx("value", "uint256", 176),
      hexOf("data", 0),
      fx("to", "address", 208),
      fx("is_contract_creation", "bool", 228),
      fx("r", "uint256", 232),
      fx("s", "uint256", 264),
      fx("y_parity", "bool", 296),
      fx("access_list_count", "u32", 344),
      fx("auth_list_count", "u32", 348),
      // Added:
      fx("max_fee_per_blob_gas", "uint256", 304),
      listOf("blob_versioned_hashes", 1),
    ],
    trailing: [part("data", 1, 336, "u32"), part("blob_versioned_hashes", 32, 340, "u32")],
  },
  [ExecEventType.TXN_ACCESS_LIST_ENTRY]: {
    fields: [
      txnIndex,
      fx("address", "address", 4),
      hexOf("storage_keys", 0),
      // Added:
      fx("index", "u32", 0),
      listOf("storage_keys_list", 0),
    ],
    trailing: [part("storage_keys", 32, 24, "u32")],
  },
  [ExecEventType.TXN_AUTH_LIST_ENTRY]: {
    fields: [
      txnIndex,
      fx("address", "address", 40),
      // Added:
      fx("index", "u32", 0),
      fx("chain_id", "uint256", 8),
      fx("nonce", "u64", 64),
      fx("y_parity", "bool", 72),
      fx("r", "uint256", 80),
      fx("s", "uint256", 112),
      fx("authority", "address", 144),
      fx("is_valid_authority", "bool", 164),
    ],
  },
  [ExecEventType.TXN_HEADER_END]: {},
  [ExecEventType.TXN_REJECT]: { fields: [txnIndex, fx("reason", "u32", 0)] },
  [ExecEventType.TXN_PERF_EVM_ENTER]: {},
  [ExecEventType.TXN_PERF_EVM_EXIT]: {},
  [ExecEventType.TXN_EVM_OUTPUT]: {
    fields: [
      txnIndex,
      fx("log_count", "u32", 4),
      fx("status", "bool", 0),
      fx("gas_used", "u64", 8),
      // Added:
      fx("call_frame_count", "u32", 16),
    ],
  },
  [ExecEventType.TXN_LOG]: {
    fields: [
      txnIndex,
      fx("log_index", "u32", 0),
      fx("address", "address", 4),
      hexOf("topics", 0),
      hexOf("data", 1),
      // Added:
      listOf("topics_list", 0),
    ],
    trailing: [part("topics", 32, 24, "u8"), part("data", 1, 28, "u32")],
  },
  [ExecEventType.TXN_CALL_FRAME]: {
    fields: [
      txnIndex,
      // The Rust gateway filled `depth` from `index` (a bug); here it is the real depth field.
      fx("depth", "u64", 104),
      fx("caller", "address", 4),
      fx("call_target", "address", 24),
      fx("value", "uint256", 48),
      hexOf("input", 0),
      hexOf("output", 1),
      // Added:
      fx("index", "u32", 0),
      fx("opcode", "u8", 44),
      fx("gas", "u64", 80),
      fx("gas_used", "u64", 88),
      fx("evmc_status", "i32", 96),
    ],
    trailing: [part("input", 1, 112, "u64"), part("output", 1, 120, "u64")],
  },
  [ExecEventType.TXN_END]: {},
  [ExecEventType.ACCOUNT_ACCESS_LIST_HEADER]: {
    fields: [
      txnIndex,
      fx("entry_count", "u32", 0),
      // Added:
      fx("access_context", "u8", 4),
    ],
  },
  [ExecEventType.ACCOUNT_ACCESS]: {
    // balance / nonce / code_hash are the prestate, as in the Rust gateway.
    fields: [
      txnIndex,
      fx("address", "address", 4),
      fx("balance", "uint256", 40),
      fx("nonce", "u64", 32),
      fx("code_hash", "bytes32", 72),
      // Added:
      fx("index", "u32", 0),
      fx("access_context", "u8", 24),
      fx("is_balance_modified", "bool", 25),
      fx("is_nonce_modified", "bool", 26),
      fx("modified_balance", "uint256", 104),
      fx("modified_nonce", "u64", 136),
      fx("storage_key_count", "u32", 144),
      fx("transient_count", "u32", 148),
    ],
  },
  [ExecEventType.STORAGE_ACCESS]: {
    // `value` is start_value, as in the Rust gateway.
    fields: [
      txnIndex,
      { name: "account_index", kind: "flow_account" },
      fx("key", "bytes32", 27),
      fx("value", "bytes32", 59),
      // Added:
      fx("address", "address", 0),
      fx("index", "u32", 20),
      fx("access_context", "u8", 24),
      fx("modified", "bool", 25),
      fx("transient", "bool", 26),
      fx("end_value", "bytes32", 91),
    ],
  },
  [ExecEventType.EVM_ERROR]: { fields: [fx("domain_id", "u64", 0), fx("status_code", "i64", 8)] },
};

/** Layouts indexed by event type value; index 0 (NONE) is undefined. */
export const LAYOUTS: readonly (PayloadLayout | undefined)[] = Object.freeze(
  Array.from({ length: EXEC_EVENT_COUNT }, (_, t): PayloadLayout | undefined => {
    if (t === 0) return undefined;
    const spec = SPECS[t as Exclude<ExecEventType, ExecEventType.NONE>];
    const layout: PayloadLayout = {
      type: t,
      cName: ExecEventType[t] as string,
      eventName: EVENT_NAMES[t] as EventName,
      fixedSize: FIXED_PAYLOAD_SIZE[t],
      fields: Object.freeze(spec.fields ?? []),
      trailing: Object.freeze(spec.trailing ?? []),
    };
    checkLayout(layout);
    return Object.freeze(layout);
  }),
);

export function getLayout(type: number): PayloadLayout | undefined {
  return LAYOUTS[type];
}

/** Offset of a fixed field, for producers that write payload bytes directly. Throws on typos. */
export function fieldOffset(type: ExecEventType, name: string): number {
  const f = LAYOUTS[type]?.fields.find((x) => x.name === name);
  if (f === undefined || !isFixedField(f)) throw new Error(`no fixed field "${name}" in ${ExecEventType[type]}`);
  return f.offset;
}

/**
 * Load-time sanity check of the table itself: fixed fields and count fields must lie inside the
 * struct and not overlap, names must be unique, and trail views must refer to existing parts.
 * A mistake here would silently corrupt both directions, so it fails loudly at import.
 */
function checkLayout(l: PayloadLayout): void {
  const owner = new Array<string | undefined>(l.fixedSize).fill(undefined);
  const claim = (name: string, offset: number, size: number) => {
    if (offset < 0 || offset + size > l.fixedSize) throw new Error(`${l.cName}.${name} outside the ${l.fixedSize}-byte struct`);
    for (let i = offset; i < offset + size; i++) {
      const prev = owner[i];
      // A count field may also be exposed as a JSON field (RECORD_ERROR.truncated_payload_size).
      if (prev !== undefined && prev !== name && !prev.endsWith("#count")) throw new Error(`${l.cName}.${name} overlaps ${prev}`);
      owner[i] = name;
    }
  };
  const names = new Set<string>();
  for (const f of l.fields) {
    if (names.has(f.name)) throw new Error(`${l.cName}: duplicate field ${f.name}`);
    names.add(f.name);
  }
  l.trailing.forEach((p) => claim(`${p.name}#count`, p.countOffset, FIXED_KIND_SIZE[p.countKind]));
  for (const f of l.fields) {
    if (isFixedField(f)) {
      claim(f.name, f.offset, FIXED_KIND_SIZE[f.kind]);
    } else if (f.kind === "trail_hex" || f.kind === "trail_list") {
      const p = l.trailing[f.part];
      if (p === undefined) throw new Error(`${l.cName}.${f.name}: no trailing part ${f.part}`);
      if (f.kind === "trail_list" && p.unit !== 32) throw new Error(`${l.cName}.${f.name}: list view needs 32-byte units`);
    }
  }
}
