// Encoder ↔ decoder: every event type and field survives BatchBuilder → decode (object and JSON
// forms), including edge values and trailing data; padding is zero; the decoder reports bad
// records without aborting the batch. No fixtures needed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BatchBuilder,
  encodePayload,
  u256Hex,
  type AnyBatchEventInput,
} from "../src/encode/index.js";
import {
  EXEC_EVENT_COUNT,
  EVENT_NAMES,
  EventDecodeError,
  ExecEventType as T,
  FlowTracker,
  LAYOUTS,
  FIXED_PAYLOAD_SIZE,
  batchToJson,
  batchToNdjson,
  decodeBatch,
  decodeEvent,
  eventObjectToJson,
  eventToJson,
  eventTypeFromName,
  fieldOffset,
  type ExecPayload,
  type PayloadByType,
  type PayloadLayout,
} from "../src/decode/index.js";
import { DESCRIPTOR_SIZE, REC_PAYLOAD_SIZE, recordSize } from "../src/ring/event-record.js";
import { maxPayload, ownedBytes, payloadArbitrary } from "./helpers/payload-arbitraries.js";
import { ALL_TYPES, hx, SAMPLES, U256_MAX } from "./helpers/payload-samples.js";


/** Encodes one payload with BatchBuilder (txn index taken from the payload) and decodes it back. */
function roundTrip(type: keyof PayloadByType, payload: ExecPayload, extra: Partial<AnyBatchEventInput> = {}) {
  const bb = new BatchBuilder(256);
  bb.add({ type, payload, seqno: 42, blockSeqno: 0, epochNanos: 1_769_023_528_961_704_761n, ...extra } as AnyBatchEventInput);
  const { items, errors } = decodeBatch(bb.buffer, undefined);
  expect(errors).toEqual([]);
  expect(items).toHaveLength(1);
  return { bb, obj: items[0], json: eventToJson(bb.buffer, 0, undefined) };
}

describe("layout table, interfaces and wire names", () => {
  it("covers the 25 exec event types with the fixed sizes of the reference", () => {
    expect(EXEC_EVENT_COUNT).toBe(25);
    expect(LAYOUTS[0]).toBeUndefined();
    expect(FIXED_PAYLOAD_SIZE).toEqual([-1, 16, 528, 4, 0, 0, 360, 56, 40, 8, 352, 28, 168, 0, 4, 0, 0, 24, 32, 128, 0, 8, 152, 124, 16]);
    expect(EVENT_NAMES.slice(1)).toEqual([
      "RecordError", "BlockStart", "BlockReject", "BlockPerfEvmEnter", "BlockPerfEvmExit", "BlockEnd", "BlockQC", "BlockFinalized",
      "BlockVerified", "TxnHeaderStart", "TxnAccessListEntry", "TxnAuthListEntry", "TxnHeaderEnd", "TxnReject", "TxnPerfEvmEnter",
      "TxnPerfEvmExit", "TxnEvmOutput", "TxnLog", "TxnCallFrame", "TxnEnd", "AccountAccessListHeader", "AccountAccess", "StorageAccess",
      "EvmError",
    ]);
    expect(eventTypeFromName("BlockQC")).toBe(T.BLOCK_QC);
    expect(eventTypeFromName("NativeTransfer")).toBeUndefined();
  });

  it("has interface fields exactly equal to the layout fields, in wire order", () => {
    for (const t of ALL_TYPES) {
      const names = ["type", ...LAYOUTS[t]!.fields.map((f) => f.name)];
      for (const sample of SAMPLES[t]) expect(Object.keys(sample), T[t]).toEqual(names);
    }
  });

  it("keeps the Rust gateway's payload keys first, in its order", () => {
    const first = (t: T, n: number) => LAYOUTS[t]!.fields.slice(0, n).map((f) => f.name);
    expect(first(T.BLOCK_START, 9)).toEqual(["block_number", "block_id", "round", "epoch", "parent_eth_hash", "timestamp", "beneficiary", "gas_limit", "base_fee_per_gas"]);
    expect(first(T.TXN_HEADER_START, 18)).toEqual([
      "txn_index", "txn_hash", "sender", "txn_type", "chain_id", "nonce", "gas_limit", "max_fee_per_gas", "max_priority_fee_per_gas",
      "value", "data", "to", "is_contract_creation", "r", "s", "y_parity", "access_list_count", "auth_list_count",
    ]);
    expect(first(T.TXN_EVM_OUTPUT, 4)).toEqual(["txn_index", "log_count", "status", "gas_used"]);
    expect(first(T.TXN_LOG, 5)).toEqual(["txn_index", "log_index", "address", "topics", "data"]);
    expect(first(T.TXN_CALL_FRAME, 7)).toEqual(["txn_index", "depth", "caller", "call_target", "value", "input", "output"]);
    expect(first(T.ACCOUNT_ACCESS, 5)).toEqual(["txn_index", "address", "balance", "nonce", "code_hash"]);
    expect(first(T.STORAGE_ACCESS, 4)).toEqual(["txn_index", "account_index", "key", "value"]);
    expect(first(T.TXN_AUTH_LIST_ENTRY, 2)).toEqual(["txn_index", "address"]);
  });

  it("places fields at the reference offsets (spot checks independent of the table)", () => {
    const cases: [T, string, number][] = [
      [T.BLOCK_START, "block_number", 32], [T.BLOCK_START, "proposal_epoch_nanos", 64], [T.BLOCK_START, "author", 112],
      [T.BLOCK_START, "parent_eth_hash", 145], [T.BLOCK_START, "beneficiary", 216], [T.BLOCK_START, "base_fee_per_gas", 384],
      [T.BLOCK_START, "txn_count", 448], [T.BLOCK_START, "base_fee_moment", 488], [T.BLOCK_END, "gas_used", 352],
      [T.TXN_HEADER_START, "to", 208], [T.TXN_HEADER_START, "max_fee_per_blob_gas", 304], [T.TXN_AUTH_LIST_ENTRY, "authority", 144],
      [T.TXN_AUTH_LIST_ENTRY, "is_valid_authority", 164], [T.TXN_CALL_FRAME, "depth", 104], [T.TXN_CALL_FRAME, "evmc_status", 96],
      [T.TXN_CALL_FRAME, "opcode", 44], [T.ACCOUNT_ACCESS, "modified_nonce", 136], [T.ACCOUNT_ACCESS, "transient_count", 148],
      [T.STORAGE_ACCESS, "key", 27], [T.STORAGE_ACCESS, "value", 59], [T.STORAGE_ACCESS, "end_value", 91], [T.EVM_ERROR, "status_code", 8],
    ];
    for (const [t, name, off] of cases) expect(fieldOffset(t, name), `${T[t]}.${name}`).toBe(off);
    // And bytes really land there: depth 1024 at +104, r of an auth entry little-endian at +80.
    const frame = encodePayload(T.TXN_CALL_FRAME, { depth: 1024, index: 3 });
    expect(frame.readBigUInt64LE(104)).toBe(1024n);
    expect(frame.readUInt32LE(0)).toBe(3);
    const auth = encodePayload(T.TXN_AUTH_LIST_ENTRY, { r: "0x0102" });
    expect([auth[80], auth[81], auth[82]]).toEqual([2, 1, 0]);
  });
});

describe("encode → decode round trip", () => {
  it("reproduces every field of every event type, edge values included", () => {
    for (const t of ALL_TYPES) {
      for (const sample of SAMPLES[t]) {
        const { obj, json } = roundTrip(t, sample);
        expect(obj.payload, T[t]).toEqual(sample);
        expect(obj.event_name).toBe(sample.type);
        expect(obj.seqno).toBe(42);
        expect(obj.timestamp_ns).toBe(1_769_023_528_961_704_761n);
        const txn = "txn_index" in sample ? sample.txn_index : null;
        if (txn === null) expect(obj).not.toHaveProperty("txn_idx");
        else expect(obj.txn_idx).toBe(txn);
        expect(json).toBe(eventObjectToJson(obj));
        expect(() => JSON.parse(json)).not.toThrow();
      }
    }
  });

  it("writes u64/u128 values above 2^53 with exact digits in JSON", () => {
    const { json } = roundTrip(T.BLOCK_START, { ...SAMPLES[T.BLOCK_START][1] });
    expect(json).toContain('"block_number":18446744073709551615,');
    expect(json).toContain('"epoch":9007199254740992,');
    expect(json).toContain('"round":9007199254740991,');
    expect(json).toContain(`"proposal_epoch_nanos":${2n ** 128n - 1n},`);
    expect(json).toContain('"timestamp_ns":1769023528961704761}');
    const err = roundTrip(T.EVM_ERROR, SAMPLES[T.EVM_ERROR][1]).json;
    expect(err).toContain('"status_code":-9223372036854775808}');
  });

  it("formats uint256 like alloy: minimal lowercase hex, 0x0 for zero", () => {
    const v = (value: string) => roundTrip(T.TXN_CALL_FRAME, { ...SAMPLES[T.TXN_CALL_FRAME][0], value }).obj.payload;
    expect(v("0x0")).toMatchObject({ value: "0x0" });
    expect(v("0x00000F")).toMatchObject({ value: "0xf" });
    expect(v("0x10")).toMatchObject({ value: "0x10" });
    expect(v(U256_MAX)).toMatchObject({ value: U256_MAX });
    expect(u256Hex(255n)).toBe("0xff");
  });

  it("stores the descriptor flow fields and reads them back into the envelope", () => {
    const bb = new BatchBuilder();
    bb.add({ type: T.BLOCK_START, seqno: 7, blockSeqno: 7, payload: { block_number: 99 } });
    bb.add({ type: T.TXN_HEADER_START, seqno: 8, blockSeqno: 7, txnIndex: 3, payload: { txn_hash: hx(0xcd, 32) } });
    bb.add({ type: T.STORAGE_ACCESS, seqno: 9, blockSeqno: 7, txnIndex: 3, accountIndex: 5, payload: {} });
    bb.add({ type: T.BLOCK_VERIFIED, seqno: 10, payload: { block_number: 98 } });
    expect(bb.count).toBe(4);
    expect(bb.buffer.readBigUInt64LE(64 + 528 + 40)).toBe(4n); // txn id = index + 1
    const { items } = decodeBatch(bb.buffer, new FlowTracker());
    expect(items[2]).toMatchObject({ block_number: 99, txn_idx: 3, txn_hash: hx(0xcd, 32), payload: { txn_index: 3, account_index: 5 } });
    expect(items[3]).toMatchObject({ block_number: 98 });
    expect(items[3]).not.toHaveProperty("txn_idx");
    const staged = decodeBatch(bb.buffer, new FlowTracker(), { commitStage: (n) => (n === 99 ? "Voted" : undefined) }).items;
    expect(staged.map((e) => e.commit_stage)).toEqual(["Voted", "Voted", "Voted", undefined]);
    const lines = batchToJson(bb.buffer, new FlowTracker(), { commitStage: "Finalized" }).items;
    expect(Object.keys(JSON.parse(lines[2]))).toEqual(["event_name", "block_number", "txn_idx", "txn_hash", "commit_stage", "payload", "seqno", "timestamp_ns"]);
  });

  it("accepts either view of a trailing part and Uint8Array / bigint inputs", () => {
    const topics = [hx(1, 32), hx(2, 32)];
    const a = roundTrip(T.TXN_LOG, { topics_list: topics, data: new Uint8Array([1, 2]) } as unknown as ExecPayload).obj.payload;
    expect(a).toMatchObject({ topics: hx(1, 32) + hx(2, 32).slice(2), topics_list: topics, data: "0x0102" });
    const b = roundTrip(T.TXN_CALL_FRAME, { value: 10n ** 18n } as unknown as ExecPayload).obj.payload;
    expect(b).toMatchObject({ value: "0xde0b6b3a7640000" });
  });

  it("round-trips random field values of every type (property test)", () => {
    for (const t of ALL_TYPES) {
      fc.assert(
        fc.property(payloadArbitrary(LAYOUTS[t]!), (payload) => {
          const { obj, json } = roundTrip(t, payload);
          expect(obj.payload).toEqual(payload);
          expect(json).toBe(eventObjectToJson(obj));
        }),
        { numRuns: 60 },
      );
    }
  });

  it("keeps every byte the layout does not own zero (struct and record padding), also after reset()", () => {
    const bb = new BatchBuilder(64); // tiny: forces growth too
    const check = () => {
      let r = 0;
      while (r < bb.byteLength) {
        const type = bb.buffer.readUInt16LE(r + 8) as T;
        const size = bb.buffer.readUInt32LE(r + 12);
        const owned = ownedBytes(LAYOUTS[type]!);
        expect(bb.buffer.readUInt16LE(r + 10)).toBe(0);
        expect(bb.buffer.readBigUInt64LE(r + 24)).toBe(0n);
        expect(bb.buffer.readBigUInt64LE(r + 56)).toBe(0n);
        for (let i = 0; i < LAYOUTS[type]!.fixedSize; i++) if (!owned.has(i)) expect(bb.buffer[r + 64 + i], `${T[type]} byte ${i}`).toBe(0);
        const end = r + 64 + ((size + 7) & ~7);
        for (let i = r + 64 + size; i < end; i++) expect(bb.buffer[i], `${T[type]} tail`).toBe(0);
        r = end;
      }
      for (let i = bb.byteLength; i < bb.storage.length; i++) if (bb.storage[i] !== 0) throw new Error(`byte ${i} beyond byteLength is not zero`);
    };
    const allOnes = (l: PayloadLayout) => maxPayload(l);
    for (const t of ALL_TYPES) bb.add({ type: t, payload: allOnes(LAYOUTS[t]!), txnIndex: 1 } as AnyBatchEventInput);
    check();
    bb.reset();
    expect(bb.count).toBe(0);
    expect(bb.byteLength).toBe(0);
    for (const t of ALL_TYPES) bb.add({ type: t, payload: {} } as AnyBatchEventInput);
    check();
    // Every zero payload decodes to zero fields.
    expect(decodeBatch(bb.buffer, undefined).errors).toEqual([]);
  });

  it("rejects invalid input at the producer and leaves the batch unchanged", () => {
    const bb = new BatchBuilder();
    bb.add({ type: T.TXN_END, payload: {} });
    const before = Buffer.from(bb.buffer);
    const bad: AnyBatchEventInput[] = [
      { type: T.TXN_LOG, payload: { address: "0x1234" } },
      { type: T.TXN_LOG, payload: { address: "0x" + "zz".repeat(20) } },
      { type: T.TXN_LOG, payload: { log_index: -1 } },
      { type: T.TXN_LOG, payload: { data: "0xabc" } },
      { type: T.TXN_LOG, payload: { topics: "0x" + "00".repeat(33) } },
      { type: T.BLOCK_START, payload: { block_number: 2 ** 64 } },
      { type: T.BLOCK_START, payload: { base_fee_per_gas: "0x1" + "0".repeat(64) } },
      { type: T.TXN_EVM_OUTPUT, payload: { status: 1 as unknown as boolean } },
      { type: 0 as T.TXN_END, payload: {} },
      { type: 99 as T.TXN_END, payload: {} },
    ];
    for (const ev of bad) expect(() => bb.add(ev), `${T[ev.type]} ${JSON.stringify(ev.payload)}`).toThrow();
    expect(bb.count).toBe(1);
    expect(bb.buffer).toEqual(before);
    for (let i = bb.byteLength; i < bb.storage.length; i++) if (bb.storage[i] !== 0) throw new Error(`dirty byte ${i}`);
  });

  it("offers a low-level path that writes payload bytes in place", () => {
    const bb = new BatchBuilder();
    const p = bb.reserve(T.TXN_EVM_OUTPUT, 24, { blockSeqno: 1, txnIndex: 0, seqno: 5 });
    bb.storage[p + fieldOffset(T.TXN_EVM_OUTPUT, "status")] = 1;
    bb.storage.writeUInt32LE(3, p + fieldOffset(T.TXN_EVM_OUTPUT, "log_count"));
    bb.addRaw(T.BLOCK_REJECT, Uint8Array.of(7, 0, 0, 0), { seqno: 6 });
    const { items } = decodeBatch(bb.buffer, undefined);
    expect(items.map((e) => e.payload)).toEqual([
      { type: "TxnEvmOutput", txn_index: 0, log_count: 3, status: true, gas_used: 0, call_frame_count: 0 },
      { type: "BlockReject", reason: 7 },
    ]);
  });
});

describe("decoder error handling", () => {
  /** A batch: valid, size mismatch (TXN_LOG claiming 2 topics but carrying none), unknown type, NONE, valid. */
  function badBatch(): Buffer {
    const bb = new BatchBuilder();
    bb.add({ type: T.TXN_END, seqno: 1, payload: {} });
    const fixed = Buffer.alloc(32);
    fixed[24] = 2; // topic_count
    bb.addRaw(T.TXN_LOG, fixed, { seqno: 2 });
    bb.addRaw(T.BLOCK_REJECT, Buffer.alloc(4), { seqno: 3 });
    bb.addRaw(T.BLOCK_REJECT, Buffer.alloc(4), { seqno: 4 });
    bb.add({ type: T.BLOCK_REJECT, seqno: 5, payload: { reason: 1 } });
    const out = Buffer.from(bb.buffer);
    const third = 64 + (64 + 32);
    out.writeUInt16LE(99, third + 8); // unknown type
    out.writeUInt16LE(0, third + 64 + 8 + 8); // NONE
    return out;
  }

  it("reports a size mismatch and unknown types with seqno and sizes, and decodes the rest", () => {
    const b = badBatch();
    for (const result of [decodeBatch(b, new FlowTracker()), batchToJson(b, new FlowTracker())]) {
      expect(result.items).toHaveLength(2);
      expect(result.errors.map((e) => [e.reason, e.seqno, e.eventType, e.expectedSize, e.foundSize])).toEqual([
        ["payload_size_mismatch", 2, T.TXN_LOG, 96, 32],
        ["unknown_event_type", 3, 99, undefined, 4],
        ["unknown_event_type", 4, 0, undefined, 4],
      ]);
      expect(result.errors[0].message).toBe("seqno 2 (TXN_LOG): payload_size is 32 but expected 96 (fixed 32 + trailing 64)");
      expect(result.errors[1].message).toContain("seqno 3: unknown exec event type 99");
    }
    const nd = batchToNdjson(b, new FlowTracker());
    expect(nd.count).toBe(2);
    expect(nd.data.toString().trim().split("\n").map((l) => JSON.parse(l).seqno)).toEqual([1, 5]);
  });

  it("reads a call frame's 64-bit input/output lengths exactly, and rejects one past 32 bits", () => {
    const bb = new BatchBuilder();
    bb.add({ type: T.TXN_END, seqno: 1, payload: {} });
    bb.add({ type: T.TXN_CALL_FRAME, seqno: 2, txnIndex: 0, payload: { input: "0x010203", output: "0xaabb" } });
    bb.add({ type: T.TXN_CALL_FRAME, seqno: 3, txnIndex: 0, payload: { input: "0x010203", output: "0xaabb" } });
    bb.add({ type: T.TXN_END, seqno: 4, payload: {} });
    const b = Buffer.from(bb.buffer);
    const good = decodeBatch(b, undefined).items[1].payload as { input: string; output: string };
    expect([good.input, good.output]).toEqual(["0x010203", "0xaabb"]);
    // The second frame claims 2^32 + 3 input bytes: the high half of the u64 count must count.
    const first = recordSize(0); // after the TXN_END
    const second = first + recordSize(b.readUInt32LE(first + REC_PAYLOAD_SIZE));
    const inputCount = second + DESCRIPTOR_SIZE + LAYOUTS[T.TXN_CALL_FRAME]!.trailing[0].countOffset;
    expect(b.readUInt32LE(inputCount)).toBe(3);
    b.writeUInt32LE(1, inputCount + 4);
    for (const result of [decodeBatch(b, undefined), batchToJson(b, undefined)]) {
      const seqnos = result.items.map((e) => (typeof e === "string" ? JSON.parse(e).seqno : e.seqno));
      expect(seqnos).toEqual([1, 2, 4]);
      expect(result.errors.map((e) => [e.reason, e.seqno, e.eventType])).toEqual([["payload_size_mismatch", 3, T.TXN_CALL_FRAME]]);
    }
  });

  it("throws an EventDecodeError from the single-event API", () => {
    const b = badBatch();
    expect(() => eventToJson(b, 64, undefined)).toThrow(EventDecodeError);
    expect(() => decodeEvent(b, 64, undefined)).toThrow(/expected 96/);
    expect(() => decodeEvent(b, 0, undefined)).not.toThrow();
  });

  it("stops at a record cut off by the end of the batch", () => {
    const bb = new BatchBuilder();
    bb.add({ type: T.TXN_END, seqno: 1, payload: {} });
    bb.add({ type: T.TXN_LOG, seqno: 2, payload: { data: "0x" + "11".repeat(100) } });
    for (const cut of [bb.byteLength - 8, 64 + 30]) {
      const { items, errors } = decodeBatch(bb.buffer.subarray(0, cut), undefined);
      expect(items).toHaveLength(1);
      expect(errors).toHaveLength(1);
      expect(errors[0].reason).toBe("truncated_record");
    }
  });
});
