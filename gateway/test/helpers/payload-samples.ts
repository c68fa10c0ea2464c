// Hand-written full payloads of every exec event type, for the encoder ↔ decoder tests. Typing them
// with the payload interfaces makes tsc check that every interface field is present and no unknown
// one is; encode-roundtrip.test.ts checks these keys against the layout table, tying interfaces ↔
// table ↔ wire together.
import { EXEC_EVENT_COUNT, ExecEventType as T, type PayloadByType } from "../../src/decode/index.js";

export const hx = (byte: number, n: number) => "0x" + byte.toString(16).padStart(2, "0").repeat(n);
const U64_MAX = 2n ** 64n - 1n;
export const U256_MAX = "0x" + "f".repeat(64);

export type Samples = { [K in keyof PayloadByType]: PayloadByType[K][] };

/** For each type: an all-zero/empty variant and a max/non-empty variant with distinct byte patterns. */
export const SAMPLES: Samples = {
  [T.RECORD_ERROR]: [
    { type: "RecordError", error_type: 0, dropped_event_type: 0, truncated_payload_size: 0, requested_payload_size: 0, truncated_payload: "0x" },
    { type: "RecordError", error_type: 2, dropped_event_type: 65535, truncated_payload_size: 5, requested_payload_size: U64_MAX, truncated_payload: "0x0102030405" },
  ],
  [T.BLOCK_START]: [
    {
      type: "BlockStart", block_number: 0, block_id: hx(0, 32), round: 0, epoch: 0, parent_eth_hash: hx(0, 32), timestamp: 0,
      beneficiary: hx(0, 20), gas_limit: 0, base_fee_per_gas: "0x0", proposal_epoch_nanos: 0, chain_id: "0x0", author: hx(0, 33),
      ommers_hash: hx(0, 32), transactions_root: hx(0, 32), difficulty: 0, eth_block_number: 0, extra_data: hx(0, 32),
      extra_data_length: 0, prev_randao: hx(0, 32), nonce: hx(0, 8), withdrawals_root: hx(0, 32), txn_count: 0,
      base_fee_trend: "0x0", base_fee_moment: "0x0",
    },
    {
      type: "BlockStart", block_number: U64_MAX, block_id: hx(0x11, 32), round: 2 ** 53 - 1, epoch: 2n ** 53n, parent_eth_hash: hx(0x12, 32),
      timestamp: 1_700_000_000, beneficiary: hx(0x13, 20), gas_limit: 30_000_000, base_fee_per_gas: U256_MAX,
      proposal_epoch_nanos: 2n ** 128n - 1n, chain_id: "0x8f", author: "0x02" + "14".repeat(32), ommers_hash: hx(0x15, 32),
      transactions_root: hx(0x16, 32), difficulty: 17, eth_block_number: 15_000_001, extra_data: hx(0x18, 32), extra_data_length: 32,
      prev_randao: hx(0x19, 32), nonce: hx(0x1a, 8), withdrawals_root: hx(0x1b, 32), txn_count: 229,
      base_fee_trend: "0x1" + "0".repeat(63), base_fee_moment: "0x1c",
    },
  ],
  [T.BLOCK_REJECT]: [
    { type: "BlockReject", reason: 0 },
    { type: "BlockReject", reason: 4294967295 },
  ],
  [T.BLOCK_PERF_EVM_ENTER]: [{ type: "BlockPerfEvmEnter" }],
  [T.BLOCK_PERF_EVM_EXIT]: [{ type: "BlockPerfEvmExit" }],
  [T.BLOCK_END]: [
    { type: "BlockEnd", eth_block_hash: hx(0, 32), state_root: hx(0, 32), receipts_root: hx(0, 32), logs_bloom: hx(0, 256), gas_used: 0 },
    { type: "BlockEnd", eth_block_hash: hx(0x21, 32), state_root: hx(0x22, 32), receipts_root: hx(0x23, 32), logs_bloom: hx(0x24, 256), gas_used: U64_MAX },
  ],
  [T.BLOCK_QC]: [
    { type: "BlockQC", block_id: hx(0, 32), block_number: 0, round: 0, epoch: 0 },
    { type: "BlockQC", block_id: hx(0x31, 32), block_number: 15_000_001, round: U64_MAX, epoch: 9 },
  ],
  [T.BLOCK_FINALIZED]: [
    { type: "BlockFinalized", block_id: hx(0, 32), block_number: 0 },
    { type: "BlockFinalized", block_id: hx(0x41, 32), block_number: U64_MAX },
  ],
  [T.BLOCK_VERIFIED]: [
    { type: "BlockVerified", block_number: 0 },
    { type: "BlockVerified", block_number: 2n ** 63n },
  ],
  [T.TXN_HEADER_START]: [
    {
      type: "TxnHeaderStart", txn_index: 0, txn_hash: hx(0, 32), sender: hx(0, 20), txn_type: 0, chain_id: "0x0", nonce: 0, gas_limit: 0,
      max_fee_per_gas: "0x0", max_priority_fee_per_gas: "0x0", value: "0x0", data: "0x", to: hx(0, 20), is_contract_creation: false,
      r: "0x0", s: "0x0", y_parity: false, access_list_count: 0, auth_list_count: 0, max_fee_per_blob_gas: "0x0", blob_versioned_hashes: [],
    },
    {
      type: "TxnHeaderStart", txn_index: 4_000_000_000, txn_hash: hx(0x51, 32), sender: hx(0x52, 20), txn_type: 4, chain_id: "0x1",
      nonce: U64_MAX, gas_limit: 21000, max_fee_per_gas: "0xabcdef0123456789abcdef", max_priority_fee_per_gas: "0x1", value: U256_MAX,
      data: "0x" + "c0ffee".repeat(100), to: hx(0x53, 20), is_contract_creation: true, r: "0x" + "7".repeat(64), s: "0x1" + "0".repeat(32),
      y_parity: true, access_list_count: 4294967295, auth_list_count: 7, max_fee_per_blob_gas: "0x10",
      blob_versioned_hashes: [hx(0x54, 32), hx(0x55, 32), hx(0x56, 32)],
    },
  ],
  [T.TXN_ACCESS_LIST_ENTRY]: [
    { type: "TxnAccessListEntry", txn_index: 0, address: hx(0, 20), storage_keys: "0x", index: 0, storage_keys_list: [] },
    {
      type: "TxnAccessListEntry", txn_index: 3, address: hx(0x61, 20), storage_keys: hx(0x62, 32) + hx(0x63, 32).slice(2), index: 4294967295,
      storage_keys_list: [hx(0x62, 32), hx(0x63, 32)],
    },
  ],
  [T.TXN_AUTH_LIST_ENTRY]: [
    {
      type: "TxnAuthListEntry", txn_index: 0, address: hx(0, 20), index: 0, chain_id: "0x0", nonce: 0, y_parity: false, r: "0x0", s: "0x0",
      authority: hx(0, 20), is_valid_authority: false,
    },
    {
      type: "TxnAuthListEntry", txn_index: 12, address: hx(0x71, 20), index: 9, chain_id: U256_MAX, nonce: U64_MAX, y_parity: true,
      r: "0x72", s: "0x7300000000000000000000000000000001", authority: hx(0x74, 20), is_valid_authority: true,
    },
  ],
  [T.TXN_HEADER_END]: [{ type: "TxnHeaderEnd" }],
  [T.TXN_REJECT]: [
    { type: "TxnReject", txn_index: 0, reason: 0 },
    { type: "TxnReject", txn_index: 1, reason: 4294967295 },
  ],
  [T.TXN_PERF_EVM_ENTER]: [{ type: "TxnPerfEvmEnter" }],
  [T.TXN_PERF_EVM_EXIT]: [{ type: "TxnPerfEvmExit" }],
  [T.TXN_EVM_OUTPUT]: [
    { type: "TxnEvmOutput", txn_index: 0, log_count: 0, status: false, gas_used: 0, call_frame_count: 0 },
    { type: "TxnEvmOutput", txn_index: 2, log_count: 4294967295, status: true, gas_used: U64_MAX, call_frame_count: 4294967295 },
  ],
  [T.TXN_LOG]: [
    { type: "TxnLog", txn_index: 0, log_index: 0, address: hx(0, 20), topics: "0x", data: "0x", topics_list: [] },
    {
      type: "TxnLog", txn_index: 5, log_index: 4294967295, address: hx(0x81, 20),
      topics: "0x" + [0x82, 0x83, 0x84, 0x85].map((b) => hx(b, 32).slice(2)).join(""), data: "0x" + "9a".repeat(1000),
      topics_list: [0x82, 0x83, 0x84, 0x85].map((b) => hx(b, 32)),
    },
  ],
  [T.TXN_CALL_FRAME]: [
    {
      type: "TxnCallFrame", txn_index: 0, depth: 0, caller: hx(0, 20), call_target: hx(0, 20), value: "0x0", input: "0x", output: "0x",
      index: 0, opcode: 0, gas: 0, gas_used: 0, evmc_status: 0,
    },
    {
      type: "TxnCallFrame", txn_index: 6, depth: 1024, caller: hx(0x91, 20), call_target: hx(0x92, 20), value: "0xde0b6b3a7640000",
      input: "0xa9059cbb" + "00".repeat(64), output: "0x" + "01".padStart(64, "0"), index: 77, opcode: 0xf1, gas: U64_MAX,
      gas_used: 2n ** 53n + 1n, evmc_status: -2147483648,
    },
  ],
  [T.TXN_END]: [{ type: "TxnEnd" }],
  [T.ACCOUNT_ACCESS_LIST_HEADER]: [
    { type: "AccountAccessListHeader", txn_index: null, entry_count: 0, access_context: 0 },
    { type: "AccountAccessListHeader", txn_index: 8, entry_count: 4294967295, access_context: 2 },
  ],
  [T.ACCOUNT_ACCESS]: [
    {
      type: "AccountAccess", txn_index: null, address: hx(0, 20), balance: "0x0", nonce: 0, code_hash: hx(0, 32), index: 0,
      access_context: 0, is_balance_modified: false, is_nonce_modified: false, modified_balance: "0x0", modified_nonce: 0,
      storage_key_count: 0, transient_count: 0,
    },
    {
      type: "AccountAccess", txn_index: 9, address: hx(0xa1, 20), balance: U256_MAX, nonce: U64_MAX, code_hash: hx(0xa2, 32), index: 4294967295,
      access_context: 1, is_balance_modified: true, is_nonce_modified: true, modified_balance: "0xa3", modified_nonce: 2n ** 53n,
      storage_key_count: 4294967295, transient_count: 1,
    },
  ],
  [T.STORAGE_ACCESS]: [
    {
      type: "StorageAccess", txn_index: null, account_index: 0, key: hx(0, 32), value: hx(0, 32), address: hx(0, 20), index: 0,
      access_context: 0, modified: false, transient: false, end_value: hx(0, 32),
    },
    {
      type: "StorageAccess", txn_index: 10, account_index: U64_MAX, key: hx(0xb1, 32), value: hx(0xb2, 32), address: hx(0xb3, 20),
      index: 4294967295, access_context: 2, modified: true, transient: true, end_value: hx(0xb4, 32),
    },
  ],
  [T.EVM_ERROR]: [
    { type: "EvmError", domain_id: 0, status_code: 0 },
    { type: "EvmError", domain_id: U64_MAX, status_code: -(2n ** 63n) },
    { type: "EvmError", domain_id: 1, status_code: -5 },
  ],
};

export const ALL_TYPES = Array.from({ length: EXEC_EVENT_COUNT - 1 }, (_, i) => (i + 1) as keyof PayloadByType);