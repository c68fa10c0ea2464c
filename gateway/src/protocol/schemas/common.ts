// Scalar types and vocabularies shared by every other schema document.
//
// Server output is exact: hex is lowercase, uint256 is minimal ("0x0" for zero), as alloy's serde
// writes it (the Rust gateway's format). Client input is lenient about hex case (*Input types).

import { CHANNELS, COMMIT_STAGES, EVENT_NAME_LIST, FILTERABLE_NAMES, META_ITEMS, SUBSCRIBE_ITEMS } from "../constants.js";
import { schemaDocument, type Schema } from "./schema.js";

const BIG_INT_NOTE = "Written as exact JSON digits; values above 2^53 need a BigInt-aware JSON parser in JavaScript.";

const hexBytes = (bytes: number, what: string, example: string): Schema => ({
  type: "string",
  pattern: `^0x[0-9a-f]{${2 * bytes}}$`,
  description: `${what}: "0x" + ${2 * bytes} lowercase hex digits (${bytes} bytes).`,
  examples: [example],
});

const uint = (bits: 8 | 16 | 32, description: string): Schema => ({
  type: "integer",
  minimum: 0,
  maximum: 2 ** bits - 1,
  description,
});

export const COMMON = schemaDocument(
  "common",
  "Common types",
  "Scalar types, hex encodings and name vocabularies used by every message.",
  {
    U8: uint(8, "Unsigned 8-bit integer."),
    U16: uint(16, "Unsigned 16-bit integer."),
    U32: uint(32, "Unsigned 32-bit integer."),
    I32: { type: "integer", minimum: -(2 ** 31), maximum: 2 ** 31 - 1, description: "Signed 32-bit integer." },
    U64: { type: "integer", minimum: 0, description: `Unsigned 64-bit integer. ${BIG_INT_NOTE}` },
    I64: { type: "integer", description: `Signed 64-bit integer. ${BIG_INT_NOTE}` },
    U128: { type: "integer", minimum: 0, description: `Unsigned 128-bit integer. ${BIG_INT_NOTE}` },
    U256: {
      type: "string",
      pattern: "^0x(0|[1-9a-f][0-9a-f]{0,63})$",
      description: 'Unsigned 256-bit integer as "0x" + minimal lowercase hex ("0x0" for zero), like alloy\'s U256.',
      examples: ["0x0", "0x3b9aca00"],
    },
    Address: hexBytes(20, "Account address", "0x1ad91ee08f21be3de0ba2ba6918e714da6b45836"),
    Bytes32: hexBytes(32, "32-byte hash or word", "0x9a71a95be3fe957457b11817587e5af4c7e24836d5b383c430ff25b9286a457f"),
    Bytes8: hexBytes(8, "8-byte value", "0x0000000000000000"),
    Pubkey: hexBytes(33, "Compressed secp256k1 public key", "0x02" + "00".repeat(32)),
    Bloom: { type: "string", pattern: "^0x[0-9a-f]{512}$", description: 'Logs bloom filter: "0x" + 512 lowercase hex digits (256 bytes).' },
    HexData: {
      type: "string",
      pattern: "^0x([0-9a-f]{2})*$",
      description: 'Variable-length bytes: "0x" + lowercase hex, two digits per byte ("0x" when empty).',
      examples: ["0x", "0xa9059cbb"],
    },
    Bytes32Concat: {
      type: "string",
      pattern: "^0x([0-9a-f]{64})*$",
      description: 'Zero or more 32-byte words concatenated into one hex string ("0x" when empty), as the Rust gateway sent topic and storage-key lists.',
    },
    TxnIndex: {
      type: ["integer", "null"],
      minimum: 0,
      description: "Index of the transaction in its block, or null for events outside any transaction (block prologue/epilogue).",
    },
    AddressInput: {
      type: "string",
      pattern: "^0x[0-9a-fA-F]{40}$",
      description: "Address in client input: 0x + 40 hex digits, any case (no checksum check).",
      examples: ["0xdAC17F958D2ee523a2206206994597C13D831ec7"],
    },
    Bytes32Input: {
      type: "string",
      pattern: "^0x[0-9a-fA-F]{64}$",
      description: "32-byte word in client input: 0x + 64 hex digits, any case.",
    },
    EventName: {
      enum: EVENT_NAME_LIST,
      description: "Name of an execution event type (the `event_name` of an event and the `type` of its payload).",
    },
    MetaItem: {
      enum: META_ITEMS,
      description: "A subscribable item that is not an event type: selects the server frame of the same name.",
    },
    SubscribeItem: {
      enum: SUBSCRIBE_ITEMS,
      description:
        'Anything a subscribe list can name: an event type, a meta item (TPS, ContentionData, TopAccesses, Lifecycle), or "NativeTransfer" (TxnCallFrame events with a non-zero value).',
    },
    FilterableName: {
      enum: FILTERABLE_NAMES,
      description: 'What a filter spec can target: an event type or "NativeTransfer".',
    },
    CommitStage: {
      enum: COMMIT_STAGES,
      description:
        "Public commit stage of a block, in order: Proposed (BlockStart) < Voted (BlockQC) < Finalized (BlockFinalized) < Verified (BlockVerified). Rejected (BlockReject) is terminal, may follow any stage, and orders after Verified.",
    },
    Channel: {
      enum: CHANNELS,
      description: "WebSocket channel: the route the client connected to, which sets its initial subscription.",
    },
  },
);
