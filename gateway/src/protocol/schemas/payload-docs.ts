// Prose for the event payload schemas. The layout table (decode/layouts.ts) says which fields
// exist and how they are encoded; this file only says what they mean. protocol-schemas.test.ts
// checks that every documented field exists in the layout table and that every layout field is
// documented, so the two cannot drift apart.

import type { EventName } from "../../decode/event-types.js";

export interface EventDoc {
  /** What the event means, one or two sentences. */
  readonly summary: string;
  /** Payload fields the Rust gateway already sent; every other field is marked as new in the docs. */
  readonly legacy: readonly string[];
  readonly fields: Readonly<Record<string, string>>;
}

const TXN_INDEX = "Index of the transaction in its block.";
const TXN_INDEX_NULLABLE = "Index of the transaction in its block; null for the block prologue and epilogue.";
const ACCESS_CONTEXT = "Which list this access belongs to: 0 block prologue, 1 transaction, 2 block epilogue.";
const PERF = "(timing marker; no fields)";

export const EVENT_DOCS: Readonly<Record<EventName, EventDoc>> = {
  RecordError: {
    summary: "The event ring could not record an event (its payload was too large); that event is lost and this record replaces it.",
    legacy: ["error_type", "dropped_event_type", "truncated_payload_size", "requested_payload_size"],
    fields: {
      error_type: "Why the event was lost: 0 NONE, 1 OVERFLOW_4GB, 2 OVERFLOW_EXPIRE, 3 MISSING_EVENT.",
      dropped_event_type: "Type number of the lost event (RecordError = 1 ... EvmError = 24).",
      truncated_payload_size: "Length in bytes of truncated_payload.",
      requested_payload_size: "Payload size in bytes the lost event needed.",
      truncated_payload: "The beginning of the lost event's payload, as much as fit.",
    },
  },
  BlockStart: {
    summary: "Execution of a proposed block begins; its commit stage becomes Proposed.",
    legacy: ["block_number", "block_id", "round", "epoch", "parent_eth_hash", "timestamp", "beneficiary", "gas_limit", "base_fee_per_gas"],
    fields: {
      block_number: "Block number (height).",
      block_id: "Consensus block id (hash of the proposal). It identifies the block in every later stage; Lifecycle.block_hash is this value.",
      round: "Consensus round of the proposal.",
      epoch: "Consensus epoch.",
      parent_eth_hash: "Ethereum-style hash of the parent block.",
      timestamp: "Block timestamp, UNIX seconds.",
      beneficiary: "Fee recipient (coinbase).",
      gas_limit: "Block gas limit.",
      base_fee_per_gas: "Base fee per gas, in wei.",
      proposal_epoch_nanos: "Time of the proposal, UNIX nanoseconds.",
      chain_id: "Chain id.",
      author: "Public key of the block's author (proposer).",
      ommers_hash: "Ommers hash of the Ethereum header (constant: there are no ommers).",
      transactions_root: "Transactions root of the Ethereum header.",
      difficulty: "Difficulty of the Ethereum header (0).",
      eth_block_number: "Number in the Ethereum header input; normally equal to block_number.",
      extra_data: "Extra data of the Ethereum header: all 32 stored bytes; only the first extra_data_length are meaningful.",
      extra_data_length: "Number of meaningful bytes in extra_data.",
      prev_randao: "prevRandao (mix hash) of the Ethereum header.",
      nonce: "Nonce of the Ethereum header.",
      withdrawals_root: "Withdrawals root of the Ethereum header.",
      txn_count: "Number of transactions in the block.",
      base_fee_trend: "State of the base fee controller: trend term.",
      base_fee_moment: "State of the base fee controller: moment term.",
    },
  },
  BlockReject: {
    summary: "Execution rejected the block as invalid; its commit stage becomes Rejected.",
    legacy: ["reason"],
    fields: { reason: "BlockError code of the execution client's block validation." },
  },
  BlockPerfEvmEnter: { summary: `The block's EVM execution phase starts ${PERF}.`, legacy: [], fields: {} },
  BlockPerfEvmExit: { summary: `The block's EVM execution phase ends ${PERF}.`, legacy: [], fields: {} },
  BlockEnd: {
    summary: "Execution of the block finished; carries the execution results of the header.",
    legacy: ["eth_block_hash", "state_root", "receipts_root", "logs_bloom", "gas_used"],
    fields: {
      eth_block_hash: "Ethereum-style hash of the executed block.",
      state_root: "State root after the block.",
      receipts_root: "Receipts root of the block.",
      logs_bloom: "Logs bloom of the block.",
      gas_used: "Gas used by the whole block.",
    },
  },
  BlockQC: {
    summary: "A quorum certificate for the block was received; its commit stage becomes Voted.",
    legacy: ["block_id", "block_number", "round"],
    fields: {
      block_id: "Consensus block id (as in BlockStart).",
      block_number: "Block number.",
      round: "Consensus round of the certified proposal.",
      epoch: "Consensus epoch.",
    },
  },
  BlockFinalized: {
    summary: "The block was finalized (committed to the canonical chain); its commit stage becomes Finalized.",
    legacy: ["block_id", "block_number"],
    fields: { block_id: "Consensus block id (as in BlockStart).", block_number: "Block number." },
  },
  BlockVerified: {
    summary: "The block's state root was verified; its commit stage becomes Verified (terminal).",
    legacy: ["block_number"],
    fields: { block_number: "Block number." },
  },
  TxnHeaderStart: {
    summary:
      "A transaction starts: its signed fields. Its access list and authorization list entries follow, then TxnHeaderEnd.",
    legacy: [
      "txn_index",
      "txn_hash",
      "sender",
      "txn_type",
      "chain_id",
      "nonce",
      "gas_limit",
      "max_fee_per_gas",
      "max_priority_fee_per_gas",
      "value",
      "data",
      "to",
      "is_contract_creation",
      "r",
      "s",
      "y_parity",
      "access_list_count",
      "auth_list_count",
    ],
    fields: {
      txn_index: TXN_INDEX,
      txn_hash: "Transaction hash.",
      sender: "Recovered sender.",
      txn_type: "Transaction type: 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844, 4 EIP-7702.",
      chain_id: "Chain id the transaction is signed for.",
      nonce: "Sender nonce.",
      gas_limit: "Gas limit.",
      max_fee_per_gas: "Max fee per gas in wei (the gas price of legacy and EIP-2930 transactions).",
      max_priority_fee_per_gas: "Max priority fee per gas in wei.",
      value: "Wei transferred.",
      data: "Calldata (init code for contract creation).",
      to: "Recipient; the zero address for contract creation.",
      is_contract_creation: "True when the transaction creates a contract.",
      r: "Signature r.",
      s: "Signature s.",
      y_parity: "Signature y parity.",
      access_list_count: "Number of TxnAccessListEntry events that follow.",
      auth_list_count: "Number of TxnAuthListEntry events that follow.",
      max_fee_per_blob_gas: "Max fee per blob gas in wei (EIP-4844; 0 otherwise).",
      blob_versioned_hashes: "Blob versioned hashes (EIP-4844; empty otherwise).",
    },
  },
  TxnAccessListEntry: {
    summary: "One entry of the transaction's EIP-2930 access list.",
    legacy: ["txn_index", "address", "storage_keys"],
    fields: {
      txn_index: TXN_INDEX,
      address: "Account of the entry.",
      storage_keys: "The entry's storage keys concatenated into one hex string (Rust gateway format).",
      index: "Position of the entry in the access list.",
      storage_keys_list: "The same storage keys as an array.",
    },
  },
  TxnAuthListEntry: {
    summary: "One entry of the transaction's EIP-7702 authorization list.",
    legacy: ["txn_index", "address"],
    fields: {
      txn_index: TXN_INDEX,
      address: "Address the authority delegates its code to.",
      index: "Position of the entry in the authorization list.",
      chain_id: "Chain id of the authorization (0 = any chain).",
      nonce: "Authority nonce.",
      y_parity: "Signature y parity.",
      r: "Signature r.",
      s: "Signature s.",
      authority: "Recovered signer of the authorization.",
      is_valid_authority: "True when the signer could be recovered and the authorization is valid.",
    },
  },
  TxnHeaderEnd: { summary: "The transaction's header is complete (all list entries were sent).", legacy: [], fields: {} },
  TxnReject: {
    summary: "The transaction was rejected as invalid; no output follows.",
    legacy: ["txn_index", "reason"],
    fields: { txn_index: TXN_INDEX, reason: "TransactionError code of the execution client's validation." },
  },
  TxnPerfEvmEnter: { summary: `The transaction's EVM execution starts ${PERF}.`, legacy: [], fields: {} },
  TxnPerfEvmExit: { summary: `The transaction's EVM execution ends ${PERF}.`, legacy: [], fields: {} },
  TxnEvmOutput: {
    summary: "The transaction's execution result; its logs, call frames and state accesses follow.",
    legacy: ["txn_index", "log_count", "status", "gas_used"],
    fields: {
      txn_index: TXN_INDEX,
      log_count: "Number of TxnLog events that follow.",
      status: "True when the transaction succeeded.",
      gas_used: "Gas used by this transaction alone (not cumulative).",
      call_frame_count: "Number of TxnCallFrame events that follow.",
    },
  },
  TxnLog: {
    summary: "One log emitted by the transaction.",
    legacy: ["txn_index", "log_index", "address", "topics", "data"],
    fields: {
      txn_index: TXN_INDEX,
      log_index: "Index of the log within its transaction.",
      address: "Contract that emitted the log.",
      topics: "All topics concatenated into ONE hex string (Rust gateway format); see topics_list.",
      data: "Log data.",
      topics_list: "The same topics as an array of 32-byte words.",
    },
  },
  TxnCallFrame: {
    summary: "One call frame (message call or contract creation) executed by the transaction, in execution order.",
    legacy: ["txn_index", "depth", "caller", "call_target", "value", "input", "output"],
    fields: {
      txn_index: TXN_INDEX,
      depth: "Call depth, 0 for the top-level call. (The Rust gateway wrongly sent the frame index here.)",
      caller: "Caller of the frame.",
      call_target: "Called or created account.",
      value: "Wei transferred by the call.",
      input: "Call input.",
      output: "Return data.",
      index: "Position of the frame in the transaction's call frames.",
      opcode: "Opcode that opened the frame, e.g. 241 (0xf1) CALL, 244 (0xf4) DELEGATECALL, 250 (0xfa) STATICCALL, 240 (0xf0) CREATE, 245 (0xf5) CREATE2.",
      gas: "Gas available to the frame.",
      gas_used: "Gas used by the frame.",
      evmc_status: "evmc_status_code of the frame: 0 success, 2 revert, others are failures.",
    },
  },
  TxnEnd: { summary: "Last event of the transaction.", legacy: [], fields: {} },
  AccountAccessListHeader: {
    summary: "Starts a list of account accesses: of a transaction, or of the block prologue or epilogue (txn_index null).",
    legacy: ["txn_index", "entry_count"],
    fields: {
      txn_index: TXN_INDEX_NULLABLE,
      entry_count: "Number of AccountAccess events that follow.",
      access_context: ACCESS_CONTEXT,
    },
  },
  AccountAccess: {
    summary: "One account read or written, with its state before the access and, when modified, after it.",
    legacy: ["txn_index", "address", "balance", "nonce", "code_hash"],
    fields: {
      txn_index: TXN_INDEX_NULLABLE,
      address: "The account.",
      balance: "Balance before the access, in wei.",
      nonce: "Nonce before the access.",
      code_hash: "Code hash of the account.",
      index: "Position in the current access list; StorageAccess.account_index refers to it.",
      access_context: ACCESS_CONTEXT,
      is_balance_modified: "True when the balance changed.",
      is_nonce_modified: "True when the nonce changed.",
      modified_balance: "Balance after the access (meaningful when is_balance_modified).",
      modified_nonce: "Nonce after the access (meaningful when is_nonce_modified).",
      storage_key_count: "Number of StorageAccess events (persistent storage) that follow for this account.",
      transient_count: "Number of StorageAccess events (transient storage) that follow for this account.",
    },
  },
  StorageAccess: {
    summary: "One storage slot of the preceding AccountAccess that was read or written.",
    legacy: ["txn_index", "account_index", "key", "value"],
    fields: {
      txn_index: TXN_INDEX_NULLABLE,
      account_index: "Index of the owning AccountAccess in the current list.",
      key: "Storage slot.",
      value: "Value before the access (start value), as in the Rust gateway.",
      address: "Account that owns the slot.",
      index: "Position in the account's storage accesses.",
      access_context: ACCESS_CONTEXT,
      modified: "True when the slot was written.",
      transient: "True for transient storage (EIP-1153).",
      end_value: "Value after the access (meaningful when modified).",
    },
  },
  EvmError: {
    summary: "An internal error of the execution client.",
    legacy: ["domain_id", "status_code"],
    fields: { domain_id: "Error domain.", status_code: "Error code within the domain." },
  },
};
