// Event schemas, generated from the layout table: one payload schema per event type with one
// property per layout field, typed by the field's kind. The decoders are generated from the same
// table, so a field added there appears here (and in the generated types and docs) by itself.

import type { EventName } from "../../decode/event-types.js";
import { LAYOUTS, type FieldSpec, type PayloadLayout } from "../../decode/layouts.js";
import { EVENT_DOCS } from "./payload-docs.js";
import { described, objectOf, ref, schemaDocument, taggedUnion, type Schema } from "./schema.js";

/** Marker appended to fields the Rust gateway did not send, so old clients know what is extra. */
export const NEW_FIELD_NOTE = "(New: not sent by the Rust gateway.)";

export const payloadDefName = (e: EventName): string => `${e}Payload`;

/** The JSON type the decoders write for each layout kind (see decode/payload-json-codegen.ts). */
function kindSchema(f: FieldSpec, l: PayloadLayout): Schema {
  const c = (name: string) => ref("common", name);
  switch (f.kind) {
    case "u8":
      return c("U8");
    case "u16":
      return c("U16");
    case "u32":
      return c("U32");
    case "i32":
      return c("I32");
    case "u64":
      return c("U64");
    case "i64":
      return c("I64");
    case "u128":
      return c("U128");
    case "bool":
      return { type: "boolean" };
    case "uint256":
      return c("U256");
    case "address":
      return c("Address");
    case "bytes32":
      return c("Bytes32");
    case "bloom":
      return c("Bloom");
    case "b64":
      return c("Bytes8");
    case "pubkey":
      return c("Pubkey");
    case "flow_txn":
      return c("TxnIndex");
    case "flow_account":
      return c("U64");
    case "trail_hex":
      // 32-byte-unit parts (topics, storage keys) are whole words; byte parts are any length.
      return l.trailing[f.part].unit === 32 ? c("Bytes32Concat") : c("HexData");
    case "trail_list":
      return { type: "array", items: c("Bytes32") };
  }
}

function fieldSchema(f: FieldSpec, l: PayloadLayout): Schema {
  const doc = EVENT_DOCS[l.eventName];
  const text = doc.fields[f.name];
  if (text === undefined) throw new Error(`payload-docs: ${l.eventName}.${f.name} is not documented`);
  const description = doc.legacy.includes(f.name) ? text : `${text} ${NEW_FIELD_NOTE}`;
  const s = kindSchema(f, l);
  return s.$ref === undefined ? { ...s, description } : described(description, s);
}

function payloadSchema(l: PayloadLayout): Schema {
  const properties: Record<string, Schema> = {
    type: { const: l.eventName, description: "The event type; equals the envelope's event_name." },
  };
  for (const f of l.fields) properties[f.name] = fieldSchema(f, l);
  return { description: EVENT_DOCS[l.eventName].summary, ...objectOf(properties) };
}

const layouts = LAYOUTS.filter((l): l is PayloadLayout => l !== undefined);

const payloadDefs: Record<string, Schema> = {};
for (const l of layouts) payloadDefs[payloadDefName(l.eventName)] = payloadSchema(l);

const EVENT_EXAMPLE = {
  event_name: "TxnLog",
  block_number: 15000001,
  txn_idx: 1,
  txn_hash: "0x192eb28a49cc3b784000038c6a7c108e265d3c9f6739e370c0e6445ea3e87e76",
  payload: {
    type: "TxnLog",
    txn_index: 1,
    log_index: 0,
    address: "0x58124619a4ea38d215d36c962ac5cd73462acdd6",
    topics: "0x0fe4cb1d003e6b2859d9f82ed185534d04565d376652186cbd07c0105fdcc5d8",
    data: "0x00000000000000000000000058124619a4ea38d215d36c962ac5cd73462acdd6",
    topics_list: ["0x0fe4cb1d003e6b2859d9f82ed185534d04565d376652186cbd07c0105fdcc5d8"],
  },
  seqno: 702,
  timestamp_ns: 1769023529012366000,
};

export const EVENTS = schemaDocument(
  "events",
  "Execution events",
  "The event objects of Events frames: an envelope (event_name, block and transaction context, commit stage, ring position) around a payload tagged with `type`. Payload schemas are generated from the gateway's ring layout table.",
  {
    ExecEvent: {
      description:
        "One execution event. Keys appear in this order; optional keys are omitted (never null) when unknown. Payload objects may gain new keys in later versions: ignore keys you do not know.",
      examples: [EVENT_EXAMPLE],
      ...objectOf(
        {
          event_name: described("Event type name; equals payload.type.", ref("common", "EventName")),
          block_number: described(
            "Number of the block the event belongs to. Omitted when the gateway has not seen the block's BlockStart (e.g. right after it started).",
            ref("common", "U64"),
          ),
          txn_idx: described("Index of the transaction in its block. Omitted for events outside a transaction.", ref("common", "U32")),
          txn_hash: described("Hash of that transaction, when its TxnHeaderStart was seen.", ref("common", "Bytes32")),
          commit_stage: described(
            "Commit stage the block had reached when the event was sent, when known. min_stage filters on it.",
            ref("common", "CommitStage"),
          ),
          payload: described("The event's fields, tagged by `type`.", ref("events", "ExecPayload")),
          seqno: described("Sequence number of the event in the execution event ring (not server_seqno).", ref("common", "U64")),
          timestamp_ns: described("Time the event was recorded, UNIX nanoseconds (above 2^53).", ref("common", "U64")),
        },
        { optional: ["block_number", "txn_idx", "txn_hash", "commit_stage"] },
      ),
    },
    ExecPayload: {
      description: "Payload of any event type; `type` selects the variant.",
      ...taggedUnion(
        "type",
        layouts.map((l) => ref("events", payloadDefName(l.eventName))),
      ),
    },
    ...payloadDefs,
  },
);
