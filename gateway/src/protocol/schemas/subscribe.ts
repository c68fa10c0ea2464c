// Client → server messages: subscribe (simple list or advanced object with filters) and hello.
// Every client object is closed (additionalProperties: false) so a misspelt key is an error, not
// a silently ignored option; the one exception is ClientHello (see there).

import { META_ITEMS, WIRE_VERSION } from "../constants.js";
import { FIELD_FILTERS_BY_EVENT, FILTER_FIELDS, type FilterField, type FilterKind } from "../field-filters.js";
import { described, objectOf, ref, schemaDocument, taggedUnion, type Schema } from "./schema.js";

const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_m, _u: string, c: string) => c.toUpperCase());

export const fieldFilterDefName = (field: string): string => `${pascal(field)}FieldFilter`;
export const filterSpecDefName = (name: string): string => `${name}FilterSpec`;

const FILTER_SHAPE: Readonly<Record<FilterKind, string>> = {
  values: "AddressValuesFilter",
  prefix: "TopicsPrefixFilter",
  range: "RangeFilter",
};

function fieldFilterDef(f: FilterField): Schema {
  return {
    description: f.description,
    ...objectOf({ field: { const: f.field }, filter: ref("subscribe", FILTER_SHAPE[f.kind]) }, { closed: true }),
  };
}

function filterSpecDef(name: string): Schema {
  const fields = FIELD_FILTERS_BY_EVENT[name];
  const fieldFilters: Schema =
    fields.length === 0
      ? { type: "array", maxItems: 0, description: `${name} has no filterable fields: omit field_filters or leave it empty.` }
      : {
          type: "array",
          description: `Conditions that must all hold (AND). Valid fields: ${fields.join(", ")}.`,
          items: taggedUnion(
            "field",
            fields.map((f) => ref("subscribe", fieldFilterDefName(f))),
          ),
        };
  return {
    description: `Filter spec for ${name} events.`,
    ...objectOf({ event_name: { const: name }, field_filters: fieldFilters }, { optional: ["field_filters"], closed: true }),
  };
}

const filterables = Object.keys(FIELD_FILTERS_BY_EVENT);

const SUBSCRIBE_ITEMS_LIST: Schema = { type: "array", items: ref("common", "SubscribeItem") };

const ADDR = "0xdac17f958d2ee523a2206206994597c13d831ec7";
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

export const SUBSCRIBE = schemaDocument(
  "subscribe",
  "Client messages",
  "Messages a client sends on the WebSocket: subscribe (which frames and events it wants) and an optional hello. Each is a JSON object with exactly one key.",
  {
    ClientMessage: {
      description: "Any client message. The server answers an invalid one with an Error frame and keeps the previous subscription.",
      oneOf: [ref("subscribe", "SubscribeMessage"), ref("subscribe", "HelloMessage")],
    },
    SubscribeMessage: {
      description:
        "Replaces the connection's subscription (the channel's default until the first subscribe). Sending the subscription already in effect changes nothing.",
      examples: [
        { subscribe: ["BlockFinalized", "BlockStart", "TPS"] },
        {
          subscribe: {
            events: ["TxnLog"],
            filters: [
              {
                event_name: "TxnLog",
                field_filters: [
                  { field: "address", filter: { values: [ADDR] } },
                  { field: "topics", filter: { values: [TRANSFER_TOPIC] } },
                ],
              },
            ],
            min_stage: "Finalized",
          },
        },
      ],
      ...objectOf(
        {
          subscribe: {
            description: "A simple list of items, or an advanced subscription with filters and a minimum stage.",
            oneOf: [ref("subscribe", "SimpleSubscription"), ref("subscribe", "AdvancedSubscription")],
          },
        },
        { closed: true },
      ),
    },
    SimpleSubscription: {
      ...SUBSCRIBE_ITEMS_LIST,
      description: "The items to receive: event names, meta items and NativeTransfer. Same as an advanced subscription with only `events`.",
      examples: [["BlockStart", "BlockFinalized", "TPS"]],
    },
    AdvancedSubscription: {
      description:
        "Events and meta items to receive, optionally narrowed by field filters and a minimum commit stage. Meta items go in `events`, as with the Rust gateway; there is no separate meta list.",
      examples: [{ events: ["TxnCallFrame", "TPS"], filters: [{ event_name: "TxnCallFrame", field_filters: [{ field: "depth", filter: { max: 0 } }] }] }],
      ...objectOf(
        {
          events: {
            ...SUBSCRIBE_ITEMS_LIST,
            description: `Event names, meta items (${META_ITEMS.join(", ")}) and NativeTransfer. Only the listed items are delivered.`,
          },
          filters: {
            type: "array",
            items: ref("subscribe", "EventFilterSpec"),
            description:
              "Narrow the events of the names they target. An event whose name has specs is delivered when at least one of them matches (OR); events whose name has no spec are not narrowed. Every spec must target a name listed in `events`.",
          },
          min_stage: described(
            "Deliver only events whose commit_stage is at least this stage; events with no known stage pass. Events below it are dropped, not held back until the block advances.",
            ref("common", "CommitStage"),
          ),
        },
        { optional: ["filters", "min_stage"], closed: true },
      ),
    },
    EventFilterSpec: {
      description: "Conditions on one event type (or NativeTransfer); `event_name` selects which fields can be filtered.",
      ...taggedUnion(
        "event_name",
        filterables.map((n) => ref("subscribe", filterSpecDefName(n))),
      ),
    },
    ...Object.fromEntries(filterables.map((n) => [filterSpecDefName(n), filterSpecDef(n)])),
    ...Object.fromEntries(FILTER_FIELDS.map((f) => [fieldFilterDefName(f.field), fieldFilterDef(f)])),
    AddressValuesFilter: {
      description: "Exact match: the field equals one of the listed addresses (compared case-insensitively). An empty list matches every value, as in the Rust gateway.",
      ...objectOf({ values: { type: "array", items: ref("common", "AddressInput") } }, { closed: true }),
    },
    TopicsPrefixFilter: {
      description: "Prefix match on the log's topics (at most 4). An empty list matches every log.",
      ...objectOf({ values: { type: "array", maxItems: 4, items: ref("common", "Bytes32Input") } }, { closed: true }),
    },
    RangeFilter: {
      description: "Inclusive range; a missing or null bound is open. min must not exceed max.",
      ...objectOf(
        {
          min: { type: ["integer", "null"], minimum: 0, description: "Lowest matching value." },
          max: { type: ["integer", "null"], minimum: 0, description: "Highest matching value." },
        },
        { optional: ["min", "max"], closed: true },
      ),
    },
    HelloMessage: {
      description: "Optional and informational: lets the server log who the client is. The server does not answer it.",
      examples: [{ hello: { wire_version: WIRE_VERSION, client_name: "my-bot", client_version: "1.0.0" } }],
      ...objectOf({ hello: ref("subscribe", "ClientHello") }, { closed: true }),
    },
    ClientHello: {
      description:
        "Client identification. Unlike other client objects it accepts unknown keys, so newer clients can send more without being rejected by older servers.",
      ...objectOf(
        {
          wire_version: { type: "integer", minimum: 1, description: "Wire version the client implements." },
          client_name: { type: "string", maxLength: 128, description: "Free-form client name." },
          client_version: { type: "string", maxLength: 64, description: "Free-form client version." },
        },
        { optional: ["client_name", "client_version"] },
      ),
    },
  },
);
