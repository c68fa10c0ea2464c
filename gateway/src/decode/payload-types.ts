// TypeScript shapes of the decoded payloads: one interface per event type, field for field the
// JSON `payload` object (same keys, same order). The object decoder returns these, and the
// encoder (BatchBuilder.add) accepts them (every field optional there; missing = zero/empty).
//
// The byte layout itself lives in layouts.ts; encode-roundtrip.test.ts checks that every key of
// these interfaces is a field of that table and vice versa.

import { ExecEventType } from "./event-types.js";

/**
 * A u64/i64/u128 value. Decoders return a `number` when it is exactly representable
 * (|v| <= 2^53-1) and a `bigint` otherwise, so nothing is ever rounded; encoders accept both.
 * In JSON it is always a plain number with exact digits.
 */
export type U64 = number | bigint;
/** "0x" + lowercase hex of raw bytes (addresses, hashes, calldata...). */
export type Hex = string;
/** uint256 as "0x" + minimal lowercase hex, "0x0" for zero (alloy U256 serde). */
export type U256 = string;
/** Descriptor flow index: content_ext[1]-1, or null when the event is not inside a transaction. */
export type TxnIndex = number | null;

export interface RecordErrorPayload {
  type: "RecordError";
  /** 0 NONE, 1 OVERFLOW_4GB, 2 OVERFLOW_EXPIRE, 3 MISSING_EVENT */
  error_type: number;
  dropped_event_type: number;
  /** Bytes of `truncated_payload` (computed by the encoder). */
  truncated_payload_size: number;
  requested_payload_size: U64;
  /** Added: the dropped event's fixed struct + as much of its trailing data as fit. */
  truncated_payload: Hex;
}

export interface BlockStartPayload {
  type: "BlockStart";
  block_number: U64;
  /** Consensus block id. */
  block_id: Hex;
  round: U64;
  epoch: U64;
  parent_eth_hash: Hex;
  /** Seconds. */
  timestamp: U64;
  beneficiary: Hex;
  gas_limit: U64;
  base_fee_per_gas: U256;
  // Added fields:
  /** u128 UNIX nanoseconds of the proposal. */
  proposal_epoch_nanos: U64;
  chain_id: U256;
  /** 33-byte compressed secp256k1 public key of the block author. */
  author: Hex;
  ommers_hash: Hex;
  transactions_root: Hex;
  difficulty: U64;
  /** eth_block_input.number (normally equal to block_number). */
  eth_block_number: U64;
  /** All 32 bytes as stored; only the first `extra_data_length` are meaningful. */
  extra_data: Hex;
  extra_data_length: U64;
  prev_randao: Hex;
  /** 8-byte block nonce. */
  nonce: Hex;
  withdrawals_root: Hex;
  txn_count: U64;
  base_fee_trend: U256;
  base_fee_moment: U256;
}

export interface BlockRejectPayload {
  type: "BlockReject";
  /** BlockError code (validate_block.hpp). */
  reason: number;
}

export interface BlockPerfEvmEnterPayload {
  type: "BlockPerfEvmEnter";
}

export interface BlockPerfEvmExitPayload {
  type: "BlockPerfEvmExit";
}

export interface BlockEndPayload {
  type: "BlockEnd";
  eth_block_hash: Hex;
  state_root: Hex;
  receipts_root: Hex;
  /** 256 bytes. */
  logs_bloom: Hex;
  gas_used: U64;
}

export interface BlockQCPayload {
  type: "BlockQC";
  block_id: Hex;
  block_number: U64;
  round: U64;
  /** Added. */
  epoch: U64;
}

export interface BlockFinalizedPayload {
  type: "BlockFinalized";
  block_id: Hex;
  block_number: U64;
}

export interface BlockVerifiedPayload {
  type: "BlockVerified";
  block_number: U64;
}

export interface TxnHeaderStartPayload {
  type: "TxnHeaderStart";
  txn_index: TxnIndex;
  txn_hash: Hex;
  sender: Hex;
  /** 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4 EIP-7702 */
  txn_type: number;
  chain_id: U256;
  nonce: U64;
  gas_limit: U64;
  /** gasPrice for legacy transactions. */
  max_fee_per_gas: U256;
  max_priority_fee_per_gas: U256;
  value: U256;
  /** Calldata (trailing data). */
  data: Hex;
  to: Hex;
  is_contract_creation: boolean;
  r: U256;
  s: U256;
  y_parity: boolean;
  access_list_count: number;
  auth_list_count: number;
  // Added fields:
  max_fee_per_blob_gas: U256;
  /** 32-byte hashes (trailing data). */
  blob_versioned_hashes: Hex[];
}

export interface TxnAccessListEntryPayload {
  type: "TxnAccessListEntry";
  txn_index: TxnIndex;
  address: Hex;
  /** All storage keys concatenated into one hex string (Rust gateway format). */
  storage_keys: Hex;
  // Added fields:
  /** Position of this entry in the transaction's access list. */
  index: number;
  /** The same keys as an array of 32-byte hex strings. */
  storage_keys_list: Hex[];
}

export interface TxnAuthListEntryPayload {
  type: "TxnAuthListEntry";
  txn_index: TxnIndex;
  address: Hex;
  // Added fields:
  /** Position of this entry in the transaction's authorization list. */
  index: number;
  chain_id: U256;
  nonce: U64;
  y_parity: boolean;
  r: U256;
  s: U256;
  /** Recovered signer of the authorization. */
  authority: Hex;
  is_valid_authority: boolean;
}

export interface TxnHeaderEndPayload {
  type: "TxnHeaderEnd";
}

export interface TxnRejectPayload {
  type: "TxnReject";
  txn_index: TxnIndex;
  /** TransactionError code (validate_transaction.hpp). */
  reason: number;
}

export interface TxnPerfEvmEnterPayload {
  type: "TxnPerfEvmEnter";
}

export interface TxnPerfEvmExitPayload {
  type: "TxnPerfEvmExit";
}

export interface TxnEvmOutputPayload {
  type: "TxnEvmOutput";
  txn_index: TxnIndex;
  log_count: number;
  status: boolean;
  /** Gas used by this transaction only (not cumulative). */
  gas_used: U64;
  /** Added: number of TxnCallFrame events that follow. */
  call_frame_count: number;
}

export interface TxnLogPayload {
  type: "TxnLog";
  txn_index: TxnIndex;
  log_index: number;
  address: Hex;
  /** All topics concatenated into ONE hex string (Rust gateway format). */
  topics: Hex;
  data: Hex;
  /** Added: the same topics as an array of 32-byte hex strings. */
  topics_list: Hex[];
}

export interface TxnCallFramePayload {
  type: "TxnCallFrame";
  txn_index: TxnIndex;
  /** The real call depth (the Rust gateway wrongly put the frame index here). */
  depth: U64;
  caller: Hex;
  call_target: Hex;
  value: U256;
  input: Hex;
  /** Return data. */
  output: Hex;
  // Added fields:
  /** Position of this frame in the transaction's call frame list. */
  index: number;
  /** e.g. 0xf1 CALL, 0xf4 DELEGATECALL, 0xf0 CREATE. */
  opcode: number;
  gas: U64;
  gas_used: U64;
  /** evmc_status_code (0 success, 2 revert, ...). */
  evmc_status: number;
}

export interface TxnEndPayload {
  type: "TxnEnd";
}

export interface AccountAccessListHeaderPayload {
  type: "AccountAccessListHeader";
  /** null for the block prologue/epilogue lists. */
  txn_index: TxnIndex;
  entry_count: number;
  /** Added: 0 block prologue, 1 transaction, 2 block epilogue. */
  access_context: number;
}

export interface AccountAccessPayload {
  type: "AccountAccess";
  txn_index: TxnIndex;
  address: Hex;
  /** Prestate balance. */
  balance: U256;
  /** Prestate nonce. */
  nonce: U64;
  /** Prestate code hash. */
  code_hash: Hex;
  // Added fields:
  /** Position in the current access list (STORAGE_ACCESS.account_index refers to it). */
  index: number;
  access_context: number;
  is_balance_modified: boolean;
  is_nonce_modified: boolean;
  modified_balance: U256;
  modified_nonce: U64;
  storage_key_count: number;
  transient_count: number;
}

export interface StorageAccessPayload {
  type: "StorageAccess";
  txn_index: TxnIndex;
  /** Index of the owning AccountAccess in the current list (descriptor content_ext[2]). */
  account_index: U64;
  key: Hex;
  /** start_value (the value before the access), as in the Rust gateway. */
  value: Hex;
  // Added fields:
  address: Hex;
  index: number;
  access_context: number;
  modified: boolean;
  transient: boolean;
  /** Meaningful only when `modified`. */
  end_value: Hex;
}

export interface EvmErrorPayload {
  type: "EvmError";
  domain_id: U64;
  status_code: U64;
}

/** Payload interface of each event type. */
export interface PayloadByType {
  [ExecEventType.RECORD_ERROR]: RecordErrorPayload;
  [ExecEventType.BLOCK_START]: BlockStartPayload;
  [ExecEventType.BLOCK_REJECT]: BlockRejectPayload;
  [ExecEventType.BLOCK_PERF_EVM_ENTER]: BlockPerfEvmEnterPayload;
  [ExecEventType.BLOCK_PERF_EVM_EXIT]: BlockPerfEvmExitPayload;
  [ExecEventType.BLOCK_END]: BlockEndPayload;
  [ExecEventType.BLOCK_QC]: BlockQCPayload;
  [ExecEventType.BLOCK_FINALIZED]: BlockFinalizedPayload;
  [ExecEventType.BLOCK_VERIFIED]: BlockVerifiedPayload;
  [ExecEventType.TXN_HEADER_START]: TxnHeaderStartPayload;
  [ExecEventType.TXN_ACCESS_LIST_ENTRY]: TxnAccessListEntryPayload;
  [ExecEventType.TXN_AUTH_LIST_ENTRY]: TxnAuthListEntryPayload;
  [ExecEventType.TXN_HEADER_END]: TxnHeaderEndPayload;
  [ExecEventType.TXN_REJECT]: TxnRejectPayload;
  [ExecEventType.TXN_PERF_EVM_ENTER]: TxnPerfEvmEnterPayload;
  [ExecEventType.TXN_PERF_EVM_EXIT]: TxnPerfEvmExitPayload;
  [ExecEventType.TXN_EVM_OUTPUT]: TxnEvmOutputPayload;
  [ExecEventType.TXN_LOG]: TxnLogPayload;
  [ExecEventType.TXN_CALL_FRAME]: TxnCallFramePayload;
  [ExecEventType.TXN_END]: TxnEndPayload;
  [ExecEventType.ACCOUNT_ACCESS_LIST_HEADER]: AccountAccessListHeaderPayload;
  [ExecEventType.ACCOUNT_ACCESS]: AccountAccessPayload;
  [ExecEventType.STORAGE_ACCESS]: StorageAccessPayload;
  [ExecEventType.EVM_ERROR]: EvmErrorPayload;
}

/** Any decoded payload; narrow on `payload.type`. */
export type ExecPayload = PayloadByType[keyof PayloadByType];

/**
 * A field value the encoder accepts where the decoder produces `V`: hex strings may also be given
 * as a Uint8Array (byte fields, trailing data) or a bigint (uint256 fields); lists of hashes may
 * hold Uint8Arrays. Which of these applies depends on the field's kind; a wrong one is rejected
 * at run time with an error naming the field.
 */
export type InputValue<V> = V extends string ? string | Uint8Array | bigint : V extends string[] ? (string | Uint8Array)[] : V;

/**
 * What the encoder accepts for type T: the decoded shape with every field optional. Missing
 * fixed fields are written as zero, missing trailing parts as empty. The `type` tag and the
 * descriptor-derived `txn_index` / `account_index` are optional too (see BatchBuilder.add).
 */
export type PayloadInput<T extends keyof PayloadByType> = {
  [K in keyof PayloadByType[T]]?: K extends "type" ? PayloadByType[T][K] : InputValue<PayloadByType[T][K]>;
};

/** Public commit stage of a block, as in the Rust gateway's `BlockStage`. */
export type CommitStage = "Proposed" | "Voted" | "Finalized" | "Verified" | "Rejected";
