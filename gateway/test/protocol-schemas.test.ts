// The wire schemas themselves: they compile (strict ajv, and against the draft-07 meta-schema),
// follow the authoring rules the generators rely on, their examples validate, the event payload
// schemas match the layout table field for field, and the frame and REST validators accept and
// reject what the protocol says.
import AjvModule from "ajv";
import { describe, expect, it } from "vitest";
import { EVENT_NAMES } from "../src/decode/event-types.js";
import { LAYOUTS } from "../src/decode/layouts.js";
import { checkAuthoringRules } from "../src/protocol/codegen/bundle.js";
import {
  CHANNEL_SUBSCRIPTIONS,
  CHANNELS,
  FIELD_FILTERS_BY_EVENT,
  FRAME_KINDS,
  SCHEMA_DOCUMENTS,
  frameValidators,
  restValidators,
  schemaRegistry,
  validateAs,
  validateServerFrame,
  validatorFor,
  type Schema,
} from "../src/protocol/index.js";
import { EVENT_DOCS } from "../src/protocol/schemas/payload-docs.js";

const Ajv = AjvModule.default;

describe("schema documents", () => {
  it("every document is valid draft-07 and compiles in strict mode on its own ajv", () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true, discriminator: true });
    for (const d of Object.values(SCHEMA_DOCUMENTS)) {
      expect(ajv.validateSchema(d), `${d.$id}: ${ajv.errorsText()}`).toBe(true);
      ajv.addSchema(d);
    }
    for (const e of schemaRegistry.values()) expect(ajv.getSchema(e.uri), e.uri).toBeTypeOf("function");
  });

  it("every definition has a compiled validator", () => {
    expect(schemaRegistry.size).toBeGreaterThan(80);
    for (const name of schemaRegistry.keys()) expect(validatorFor(name)).toBeTypeOf("function");
  });

  it("follows the authoring rules the generators rely on", () => {
    expect(() => checkAuthoringRules()).not.toThrow();
  });

  it("every example validates against its definition", () => {
    let n = 0;
    for (const [name, e] of schemaRegistry) {
      for (const ex of e.schema.examples ?? []) {
        const r = validateAs(name, ex);
        expect(r.ok, `${name} example ${JSON.stringify(ex)}: ${JSON.stringify(r.ok ? [] : r.errors)}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
  });

  it("every frame kind has an example", () => {
    for (const k of FRAME_KINDS) expect(validatorFor(`${k === "TPS" ? "Tps" : k}Frame`).schema).toHaveProperty("examples");
  });

  it("the channel default subscriptions are valid advanced subscriptions", () => {
    for (const c of CHANNELS) expect(validateAs("AdvancedSubscription", CHANNEL_SUBSCRIPTIONS[c]).ok, c).toBe(true);
  });
});

describe("event payload schemas follow the layout table", () => {
  const events = SCHEMA_DOCUMENTS.events.definitions;

  it("one payload schema per event type, properties = type + layout fields in order, all required", () => {
    for (const l of LAYOUTS) {
      if (l === undefined) continue;
      const s = events[`${l.eventName}Payload`];
      const keys = ["type", ...l.fields.map((f) => f.name)];
      expect(Object.keys(s.properties ?? {}), l.eventName).toEqual(keys);
      expect(s.required, l.eventName).toEqual(keys);
      expect(s.properties?.type.const).toBe(l.eventName);
    }
  });

  it("the prose covers exactly the layout's fields, and legacy fields exist", () => {
    for (const l of LAYOUTS) {
      if (l === undefined) continue;
      const doc = EVENT_DOCS[l.eventName];
      const names = l.fields.map((f) => f.name);
      expect(Object.keys(doc.fields).sort(), l.eventName).toEqual([...names].sort());
      for (const legacy of doc.legacy) expect(names, `${l.eventName}.${legacy}`).toContain(legacy);
    }
  });

  it("new fields are marked, legacy ones are not", () => {
    const s = events.TxnLogPayload.properties ?? {};
    expect(s.topics.description).not.toMatch(/New:/);
    expect(s.topics_list.description).toMatch(/New: not sent by the Rust gateway/);
  });

  it("kinds map to the JSON types the decoders write", () => {
    const ok = (name: string, v: unknown) => validateAs(name, v).ok;
    expect(ok("U256", "0x0")).toBe(true);
    expect(ok("U256", "0x00")).toBe(false); // minimal hex only
    expect(ok("U256", "0x" + "f".repeat(64))).toBe(true);
    expect(ok("U256", "0x1" + "0".repeat(64))).toBe(false); // 257 bits
    expect(ok("Address", "0x" + "ab".repeat(20))).toBe(true);
    expect(ok("Address", "0x" + "AB".repeat(20))).toBe(false); // server output is lowercase
    expect(ok("AddressInput", "0x" + "AB".repeat(20))).toBe(true); // client input is not
    expect(ok("Bytes32Concat", "0x")).toBe(true);
    expect(ok("Bytes32Concat", "0x" + "00".repeat(33))).toBe(false);
    expect(ok("HexData", "0x123")).toBe(false);
    expect(ok("TxnIndex", null)).toBe(true);
    expect(ok("U8", 256)).toBe(false);
    expect(ok("I64", -(2 ** 63))).toBe(true);
    expect(ok("U64", 1769023529012366455)).toBe(true);
    expect(ok("U64", 1.5)).toBe(false);
  });
});

describe("field filter table", () => {
  it("keeps the Rust gateway's TxnLog filters in its order and extends to other events", () => {
    expect(FIELD_FILTERS_BY_EVENT.TxnLog).toEqual(["address", "topics", "txn_index", "log_index"]);
    expect(FIELD_FILTERS_BY_EVENT.TxnCallFrame).toEqual(["txn_index", "caller", "call_target", "depth"]);
    expect(FIELD_FILTERS_BY_EVENT.NativeTransfer).toEqual(FIELD_FILTERS_BY_EVENT.TxnCallFrame);
    expect(FIELD_FILTERS_BY_EVENT.TxnHeaderStart).toEqual(["txn_index", "sender", "to"]);
    expect(FIELD_FILTERS_BY_EVENT.StorageAccess).toEqual(["address", "txn_index"]);
    expect(FIELD_FILTERS_BY_EVENT.AccountAccess).toEqual(["address", "txn_index"]);
    expect(FIELD_FILTERS_BY_EVENT.TxnEnd).toEqual(["txn_index"]);
    expect(FIELD_FILTERS_BY_EVENT.BlockStart).toEqual([]);
  });

  it("covers every event name plus NativeTransfer", () => {
    expect(Object.keys(FIELD_FILTERS_BY_EVENT).sort()).toEqual([...EVENT_NAMES.filter((n) => n !== undefined), "NativeTransfer"].sort());
  });
});

describe("server frame schemas", () => {
  const hello = (SCHEMA_DOCUMENTS.frames.definitions.HelloFrame.examples ?? [])[0] as { server_seqno: number; Hello: Record<string, unknown> };

  it("validateServerFrame picks the schema by kind", () => {
    const r = validateServerFrame(hello);
    expect(r.ok).toBe(true);
    expect(r.kind).toBe("Hello");
    expect(validateServerFrame({ server_seqno: 3, TPS: 2450 })).toMatchObject({ ok: true, kind: "TPS" });
  });

  it("a frame has exactly two keys", () => {
    expect(validateServerFrame({ server_seqno: 3, TPS: 1, extra: 1 }).ok).toBe(false);
    expect(validateServerFrame({ TPS: 1 }).ok).toBe(false);
    expect(validateServerFrame({ server_seqno: 3, Bogus: 1 }).ok).toBe(false);
    expect(validateServerFrame([]).ok).toBe(false);
  });

  it("objects inside frames accept new keys (forward compatibility)", () => {
    expect(validateServerFrame({ ...hello, Hello: { ...hello.Hello, future_field: true } }).ok).toBe(true);
  });

  it("TPS is an integer, as in the Rust gateway", () => {
    expect(frameValidators.TPS({ server_seqno: 1, TPS: 12.5 })).toBe(false);
  });

  it("Resume: snapshot needs a reason, resume needs the cursor", () => {
    const base = { epoch: "e1", oldest_seqno: 5, newest_seqno: 9 };
    expect(frameValidators.Resume({ server_seqno: 9, Resume: { mode: "snapshot", ...base, reason: "cursor_too_old", resume_from: 1 } })).toBe(true);
    expect(frameValidators.Resume({ server_seqno: 9, Resume: { mode: "snapshot", ...base } })).toBe(false);
    expect(frameValidators.Resume({ server_seqno: 9, Resume: { mode: "snapshot", ...base, reason: "because" } })).toBe(false);
    expect(frameValidators.Resume({ server_seqno: 9, Resume: { mode: "resume", ...base } })).toBe(false);
    expect(frameValidators.Resume({ server_seqno: 9, Resume: { mode: "resume", ...base, resume_from: 7 } })).toBe(true);
  });

  it("Warning is a union tagged by type", () => {
    const w = (Warning: unknown) => frameValidators.Warning({ server_seqno: 1, Warning });
    expect(w({ type: "ring_gap", lost_events: 12, message: "writer overwrote 12 events" })).toBe(true);
    expect(w({ type: "payload_expired", lost_events: 1, message: "x" })).toBe(true);
    expect(w({ type: "writer_gone", message: "pid 42 exited" })).toBe(true);
    expect(w({ type: "writer_back", message: "pid 43" })).toBe(true);
    expect(w({ type: "backpressure", dropped: 1000, drop_limit: 10000 })).toBe(false); // ours has the full set of keys
    expect(w({ type: "meteor", message: "x" })).toBe(false);
  });

  it("Lifecycle and TopAccesses shapes", () => {
    expect(frameValidators.Lifecycle({ server_seqno: 1, Lifecycle: { block_hash: "0x" + "11".repeat(32), block_number: 5, to_stage: "Proposed", block_age_ms: 0, txn_count: 0 } })).toBe(true);
    expect(frameValidators.Lifecycle({ server_seqno: 1, Lifecycle: { block_hash: "0x" + "11".repeat(32), block_number: 5, to_stage: "Done", block_age_ms: 0, txn_count: 0 } })).toBe(false);
    const key = ["0x" + "aa".repeat(20), "0x" + "bb".repeat(32)];
    expect(frameValidators.TopAccesses({ server_seqno: 1, TopAccesses: { account: [], storage: [{ key, count: 3 }] } })).toBe(true);
    expect(frameValidators.TopAccesses({ server_seqno: 1, TopAccesses: { account: [], storage: [{ key: [...key, "0x"], count: 3 }] } })).toBe(false);
  });

  it("ContentionData keeps every Rust key and requires the schedule", () => {
    const ex = (SCHEMA_DOCUMENTS.frames.definitions.ContentionDataFrame.examples ?? [])[0] as { ContentionData: Record<string, unknown> };
    const { schedule: _schedule, total_evm_time_ns: _evm, ...legacy } = ex.ContentionData;
    expect(Object.keys(legacy)).toEqual([
      "block_number",
      "block_wall_time_ns",
      "total_tx_time_ns",
      "parallel_efficiency_pct",
      "total_unique_slots",
      "contended_slot_count",
      "contention_ratio",
      "total_txn_count",
      "top_contended_slots",
      "top_contended_contracts",
      "contract_edges",
    ]);
    expect(restValidators.contention(ex.ContentionData)).toBe(true);
    expect(restValidators.contention(legacy)).toBe(false);
  });
});

describe("REST body schemas", () => {
  it("accept the Rust gateway's keys plus ours and reject bodies missing required keys", () => {
    expect(restValidators.tps({ tps: 10, tps_exact: 10.2, window_blocks: 3 })).toBe(true);
    expect(restValidators.tps({ tps: 10 })).toBe(false);
    expect(restValidators.health({ success: true, status: "healthy" })).toBe(true);
    expect(restValidators.health({ success: "yes", status: "healthy" })).toBe(false);
    expect(restValidators.error({ error: "block not found" })).toBe(true);
    expect(restValidators.error({ message: "block not found" })).toBe(false);
    expect(restValidators.blocksLifecycle([])).toBe(true);
    const status = (SCHEMA_DOCUMENTS.rest.definitions.StatusResponse.examples ?? [])[0] as Record<string, unknown>;
    expect(restValidators.status(status)).toBe(true);
    expect(restValidators.status({ ...status, status: "sleepy" })).toBe(false);
    expect(restValidators.status({ ...status, ring: { path: "/x" } })).toBe(false);
  });

  it("every REST body definition has an example or is a plain list", () => {
    for (const [name, s] of Object.entries(SCHEMA_DOCUMENTS.rest.definitions) as [string, Schema][]) {
      if (s.type === "array") continue;
      expect(s.examples?.length ?? 0, name).toBeGreaterThan(0);
    }
  });
});
