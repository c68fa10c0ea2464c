// Client → server messages: everything the Rust gateway's clients send is accepted (the examples
// of existing-gateway.md §4.4 and its SDK's shapes), our extensions are accepted, and bad input
// is rejected with a message that names the value, the place and the valid choices.
import { describe, expect, it } from "vitest";
import {
  CHANNEL_SUBSCRIPTIONS,
  EVENT_NAME_LIST,
  META_ITEMS,
  asAdvancedSubscription,
  describeValidationError,
  parseClientMessage,
  validateClientMessage,
  validatorFor,
  type ClientMessageResult,
  type ErrorDescription,
} from "../src/protocol/index.js";

const ADDR = "0x" + "ab".repeat(20);
const TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

function rejected(msg: unknown): ErrorDescription {
  const r = validateClientMessage(msg);
  if (r.ok) throw new Error(`expected ${JSON.stringify(msg)} to be rejected`);
  return r.error;
}

const accepted = (msg: unknown): Extract<ClientMessageResult, { ok: true }> => {
  const r = validateClientMessage(msg);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(msg)} to be accepted: ${r.error.message}`);
  return r;
};

const advanced = (sub: Record<string, unknown>) => ({ subscribe: sub });
const txnLogFilter = (...fieldFilters: unknown[]) =>
  advanced({ events: ["TxnLog"], filters: [{ event_name: "TxnLog", field_filters: fieldFilters }] });

describe("messages of Rust gateway clients are accepted", () => {
  it("§4.4 simple subscribe", () => {
    expect(accepted({ subscribe: ["BlockFinalized", "BlockStart", "TPS"] }).kind).toBe("subscribe");
  });

  it("§4.4 advanced subscribe (address + topics filters, min_stage)", () => {
    accepted({
      subscribe: {
        events: ["TxnLog"],
        filters: [
          {
            event_name: "TxnLog",
            field_filters: [
              { field: "address", filter: { values: [ADDR] } },
              { field: "topics", filter: { values: [TOPIC] } },
            ],
          },
        ],
        min_stage: "Finalized",
      },
    });
  });

  it("§4.4 hello, with and without the optional keys (and unknown ones)", () => {
    expect(accepted({ hello: { wire_version: 1, client_name: "my-bot", client_version: "1.0.0" } }).kind).toBe("hello");
    accepted({ hello: { wire_version: 1 } });
    accepted({ hello: { wire_version: 2, capabilities: ["x"] } });
  });

  it("every meta item, every event name and NativeTransfer", () => {
    accepted({ subscribe: [...EVENT_NAME_LIST, ...META_ITEMS, "NativeTransfer"] });
    accepted(advanced({ events: [...META_ITEMS] }));
  });

  it("range filters with min, max, both, null bounds or none; field_filters omitted; empty lists", () => {
    accepted(txnLogFilter({ field: "txn_index", filter: { min: 0, max: 10 } }, { field: "log_index", filter: { min: 2 } }));
    accepted(txnLogFilter({ field: "log_index", filter: { max: 3 } }, { field: "txn_index", filter: { min: null, max: null } }));
    accepted(txnLogFilter({ field: "txn_index", filter: {} }));
    accepted(advanced({ events: ["TxnLog"], filters: [{ event_name: "TxnLog" }] }));
    accepted(txnLogFilter({ field: "address", filter: { values: [] } }));
    accepted({ subscribe: [] });
  });

  it("addresses and topics in any hex case", () => {
    accepted(txnLogFilter({ field: "address", filter: { values: ["0xdAC17F958D2ee523a2206206994597C13D831ec7"] } }));
    accepted(txnLogFilter({ field: "topics", filter: { values: [TOPIC.toUpperCase().replace("0X", "0x")] } }));
  });

  it("the channel defaults round-trip as subscribe messages", () => {
    for (const sub of Object.values(CHANNEL_SUBSCRIPTIONS)) accepted({ subscribe: sub });
  });
});

describe("extended filters are accepted", () => {
  it("TxnCallFrame and NativeTransfer: caller, call_target, depth, txn_index", () => {
    const ff = [
      { field: "caller", filter: { values: [ADDR] } },
      { field: "call_target", filter: { values: [ADDR] } },
      { field: "depth", filter: { max: 0 } },
      { field: "txn_index", filter: { min: 1, max: 1 } },
    ];
    accepted(advanced({ events: ["TxnCallFrame"], filters: [{ event_name: "TxnCallFrame", field_filters: ff }] }));
    accepted(advanced({ events: ["NativeTransfer"], filters: [{ event_name: "NativeTransfer", field_filters: ff }] }));
  });

  it("TxnHeaderStart sender/to, state accesses by address, txn_index on any transaction event", () => {
    accepted(
      advanced({
        events: ["TxnHeaderStart", "StorageAccess", "AccountAccess", "TxnEnd", "AccountAccessListHeader"],
        filters: [
          { event_name: "TxnHeaderStart", field_filters: [{ field: "sender", filter: { values: [ADDR] } }, { field: "to", filter: { values: [ADDR] } }] },
          { event_name: "StorageAccess", field_filters: [{ field: "address", filter: { values: [ADDR] } }] },
          { event_name: "AccountAccess", field_filters: [{ field: "address", filter: { values: [ADDR] } }] },
          { event_name: "TxnEnd", field_filters: [{ field: "txn_index", filter: { max: 5 } }] },
          { event_name: "AccountAccessListHeader", field_filters: [{ field: "txn_index", filter: { min: 0 } }] },
        ],
      }),
    );
  });

  it("several specs for one event (OR)", () => {
    accepted(
      advanced({
        events: ["TxnLog"],
        filters: [
          { event_name: "TxnLog", field_filters: [{ field: "address", filter: { values: [ADDR] } }] },
          { event_name: "TxnLog", field_filters: [{ field: "topics", filter: { values: [TOPIC] } }] },
        ],
      }),
    );
  });
});

describe("bad input is rejected with a helpful error", () => {
  it("unknown event name in a simple list", () => {
    const e = rejected({ subscribe: ["BlockStart", "BlockStrat"] });
    expect(e.code).toBe("unknown_event");
    expect(e.path).toBe("subscribe[1]");
    expect(e.message).toMatch(/^unknown event "BlockStrat" at subscribe\[1\]; valid: RecordError, BlockStart, BlockReject, /);
    expect(e.message).toMatch(/\(did you mean "BlockStart"\?\)$/);
    expect(e.valid).toContain("TPS");
    expect(e.valid).toContain("NativeTransfer");
  });

  it("unknown event name in advanced events and in a filter spec", () => {
    expect(rejected(advanced({ events: ["TxnLog", "Lifecylce"] }))).toMatchObject({ code: "unknown_event", path: "subscribe.events[1]" });
    const e = rejected(advanced({ events: ["TxnLog"], filters: [{ event_name: "TxnLgo" }] }));
    expect(e).toMatchObject({ code: "unknown_event", path: "subscribe.filters[0].event_name" });
    expect(e.message).toMatch(/^unknown event "TxnLgo" at subscribe\.filters\[0\]\.event_name; valid: .*NativeTransfer \(did you mean "TxnLog"\?\)$/);
    expect(e.valid).not.toContain("TPS"); // meta items cannot be filtered
  });

  it("wrong case is suggested", () => {
    expect(rejected({ subscribe: ["blockstart"] }).message).toMatch(/did you mean "BlockStart"/);
  });

  it("misspelt field filter names the event and its valid fields", () => {
    const e = rejected(txnLogFilter({ field: "adress", filter: { values: [ADDR] } }));
    expect(e.code).toBe("invalid_filter");
    expect(e.message).toMatch(/^field filter "adress" is not valid for TxnLog; valid: address, topics, txn_index, log_index/);
    expect(e.valid).toEqual(["address", "topics", "txn_index", "log_index"]);
    expect(e.path).toBe("subscribe.filters[0].field_filters[0].field");
  });

  it("a field valid elsewhere but not for this event", () => {
    const e = rejected(advanced({ events: ["TxnCallFrame"], filters: [{ event_name: "TxnCallFrame", field_filters: [{ field: "topics", filter: { values: [] } }] }] }));
    expect(e.message).toBe("field filter \"topics\" is not valid for TxnCallFrame; valid: txn_index, caller, call_target, depth");
  });

  it("field filters on an event that has none", () => {
    const e = rejected(advanced({ events: ["BlockStart"], filters: [{ event_name: "BlockStart", field_filters: [{ field: "txn_index", filter: {} }] }] }));
    expect(e.code).toBe("invalid_filter");
    expect(e.message).toMatch(/BlockStart has no filterable fields/);
  });

  it("wrong filter shapes", () => {
    expect(rejected(txnLogFilter({ field: "address", filter: { min: 1 } }))).toMatchObject({
      code: "invalid_filter",
      message: 'unknown key "min" in subscribe.filters[0].field_filters[0].filter; valid: values',
    });
    expect(rejected(txnLogFilter({ field: "address", filter: {} })).message).toBe('missing "values" in subscribe.filters[0].field_filters[0].filter');
    expect(rejected(txnLogFilter({ field: "address", filter: { values: ADDR } })).message).toMatch(/filter\.values must be array, got string/);
    expect(rejected(txnLogFilter({ field: "address", filter: { values: ["0xzz"] } })).message).toBe(
      '"0xzz" at subscribe.filters[0].field_filters[0].filter.values[0] is not an address: 0x + 40 hex digits',
    );
    expect(rejected(txnLogFilter({ field: "topics", filter: { values: ["0x01"] } })).message).toMatch(/is not a 32-byte word/);
    expect(rejected(txnLogFilter({ field: "topics", filter: { values: Array(5).fill(TOPIC) } })).message).toMatch(/more than 4 items/);
    expect(rejected(txnLogFilter({ field: "log_index", filter: { min: "1" } })).message).toMatch(/filter\.min must be integer or null, got string/);
    expect(rejected(txnLogFilter({ field: "log_index", filter: { min: -1 } })).message).toMatch(/filter\.min must be >= 0/);
    expect(rejected(txnLogFilter({ field: "log_index", filter: { values: [1] } })).message).toMatch(/unknown key "values".*valid: min, max/);
    expect(rejected(txnLogFilter({ filter: {} })).message).toMatch(/missing or non-string "field"/);
    expect(rejected(txnLogFilter("address")).code).toBe("invalid_filter");
    expect(rejected(advanced({ events: ["TxnLog"], filters: [{ field_filters: [] }] })).message).toMatch(/missing or non-string "event_name"/);
    expect(rejected(advanced({ events: ["TxnLog"], filters: { event_name: "TxnLog" } })).message).toMatch(/subscribe\.filters must be array/);
  });

  it("rules beyond the schema: filter target must be subscribed, ranges must not be empty", () => {
    expect(rejected(advanced({ events: ["TxnLog"], filters: [{ event_name: "TxnCallFrame" }] }))).toMatchObject({
      code: "invalid_filter",
      path: "subscribe.filters[0].event_name",
    });
    expect(rejected(txnLogFilter({ field: "log_index", filter: { min: 5, max: 1 } }))).toMatchObject({
      code: "invalid_filter",
      message: "empty range at subscribe.filters[0].field_filters[0].filter: min 5 > max 1",
    });
  });

  it("invalid min_stage", () => {
    const e = rejected(advanced({ events: ["BlockStart"], min_stage: "Final" }));
    expect(e).toMatchObject({ code: "invalid_subscribe", path: "subscribe.min_stage", valid: ["Proposed", "Voted", "Finalized", "Verified", "Rejected"] });
    expect(e.message).toBe('invalid min_stage "Final" at subscribe.min_stage; valid: Proposed, Voted, Finalized, Verified, Rejected');
    expect(rejected(advanced({ events: ["BlockStart"], min_stage: 2 })).code).toBe("invalid_subscribe");
  });

  it("extra keys", () => {
    const meta = rejected(advanced({ events: ["BlockStart"], meta: ["TPS"] }));
    expect(meta).toMatchObject({ code: "invalid_subscribe", path: "subscribe.meta", valid: ["events", "filters", "min_stage"] });
    expect(meta.message).toMatch(/meta items such as TPS go in events/);
    expect(rejected(advanced({ event: ["BlockStart"] })).message).toMatch(/unknown key "event" in subscribe.*did you mean "events"/);
    expect(rejected(txnLogFilter({ field: "address", filter: { values: [] }, negate: true })).message).toMatch(/unknown key "negate"/);
    expect(rejected(advanced({ events: ["TxnLog"], filters: [{ event_name: "TxnLog", fields: [] }] })).message).toMatch(/unknown key "fields".*valid: event_name, field_filters/);
    expect(rejected({ subscribe: ["TPS"], hello: { wire_version: 1 } })).toMatchObject({ code: "invalid_message" });
  });

  it("wrong message envelope", () => {
    expect(rejected({ subscirbe: [] }).message).toMatch(/unknown message "subscirbe"; valid: subscribe, hello \(did you mean "subscribe"\?\)/);
    expect(rejected({}).code).toBe("invalid_message");
    expect(rejected([{ subscribe: [] }]).code).toBe("invalid_message");
    expect(rejected("subscribe").code).toBe("invalid_message");
    expect(rejected(null).code).toBe("invalid_message");
    expect(rejected({ subscribe: "BlockStart" }).message).toBe("subscribe must be a list of items or an object {events, filters?, min_stage?}, got string");
    expect(rejected(advanced({ filters: [] })).message).toBe('missing "events" in subscribe');
  });

  it("bad hello", () => {
    expect(rejected({ hello: {} })).toMatchObject({ code: "invalid_hello", message: 'missing "wire_version" in hello' });
    expect(rejected({ hello: { wire_version: "1" } }).message).toBe("hello.wire_version must be integer, got string");
    expect(rejected({ hello: { wire_version: 1, client_name: "x".repeat(200) } }).code).toBe("invalid_hello");
  });

  it("invalid JSON", () => {
    const r = parseClientMessage('{"subscribe": [');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe("invalid_json");
    expect(parseClientMessage('{"subscribe":["TPS"]}').ok).toBe(true);
  });
});

describe("agreement with the schema", () => {
  const samples: unknown[] = [
    { subscribe: ["TPS"] },
    { subscribe: ["Nope"] },
    { hello: { wire_version: 1 } },
    { hello: {} },
    { subscribe: [], hello: { wire_version: 1 } },
    {},
    txnLogFilter({ field: "address", filter: { values: [ADDR] } }),
    txnLogFilter({ field: "adress", filter: { values: [ADDR] } }),
  ];

  it("validateClientMessage accepts exactly what the ClientMessage schema accepts (apart from the semantic rules)", () => {
    const schema = validatorFor("ClientMessage");
    for (const s of samples) expect(validateClientMessage(s).ok, JSON.stringify(s)).toBe(schema(s));
  });

  it("describeValidationError works on raw ajv errors of any validator", () => {
    const v = validatorFor("AdvancedSubscription");
    expect(v({ events: ["TxnLog"], min_stage: "Nope" })).toBe(false);
    const d = describeValidationError(v.errors ?? [], {});
    expect(d.code).toBe("invalid_message"); // no subscribe/hello context at this root
    expect(d.message).toMatch(/invalid min_stage "Nope" at min_stage; valid: Proposed/);
    expect(describeValidationError([])).toMatchObject({ code: "invalid_message" });
  });

  it("asAdvancedSubscription normalizes the simple form", () => {
    expect(asAdvancedSubscription(["TPS"])).toEqual({ events: ["TPS"] });
    const adv = { events: ["TxnLog" as const], min_stage: "Voted" as const };
    expect(asAdvancedSubscription(adv)).toBe(adv);
  });
});
