// Decoding the real Monad ring snapshots (../shared/fixtures): completeness, reference counts,
// known block values, exact numbers, agreement of the object and JSON forms, flow context.
// Skips (with the reason) where the fixtures are not available.
import { beforeAll, describe, expect, it } from "vitest";
import {
  C_NAMES,
  decodeBatch,
  eventObjectToJson,
  ExecEventType as T,
  FlowTracker,
  batchToJson,
  batchToNdjson,
  walkBatch,
  type ExecEventObject,
  type TxnCallFramePayload,
} from "../src/decode/index.js";
import { encodePayload } from "../src/encode/index.js";
import { EXEC_SCHEMA_HASH } from "../src/decode/index.js";
import {
  FIXTURE_1B,
  FIXTURE_30B,
  fixturesSkipReason,
  loadSnapshot,
  parseHeader,
  recordOffsets,
  snapshotToBatch,
} from "./helpers/snapshot-js.js";

const skip = fixturesSkipReason();
if (skip !== undefined) console.warn(`decode-fixtures: skipping, ${skip}`);

interface Decoded {
  batch: Buffer;
  offsets: number[];
  lastSeqno: number;
  objects: ExecEventObject[];
  lines: string[];
}

async function decodeFixture(file: string): Promise<Decoded> {
  const snap = await loadSnapshot(file);
  const batch = snapshotToBatch(snap);
  const objects = decodeBatch(batch, new FlowTracker());
  const lines = batchToJson(batch, new FlowTracker());
  expect(objects.errors).toEqual([]);
  expect(lines.errors).toEqual([]);
  return { batch, offsets: recordOffsets(batch), lastSeqno: snap.header.lastSeqno, objects: objects.items, lines: lines.items };
}

/** payload_size computed independently of layouts.ts, from the reference offsets (§2.3). */
function referencePayloadSize(b: Buffer, r: number): number {
  const p = r + 64;
  const fixed = [-1, 16, 528, 4, 0, 0, 360, 56, 40, 8, 352, 28, 168, 0, 4, 0, 0, 24, 32, 128, 0, 8, 152, 124, 16];
  const type = b.readUInt16LE(r + 8);
  switch (type) {
    case T.RECORD_ERROR:
      return 16 + b.readUInt32LE(p + 4);
    case T.TXN_HEADER_START:
      return 352 + b.readUInt32LE(p + 336) + 32 * b.readUInt32LE(p + 340);
    case T.TXN_ACCESS_LIST_ENTRY:
      return 28 + 32 * b.readUInt32LE(p + 24);
    case T.TXN_LOG:
      return 32 + 32 * b[p + 24] + b.readUInt32LE(p + 28);
    case T.TXN_CALL_FRAME:
      return 128 + Number(b.readBigUInt64LE(p + 112)) + Number(b.readBigUInt64LE(p + 120));
    default:
      return fixed[type];
  }
}

/** Object form with bigints as numbers: what JSON.parse of the text yields. */
function asParsed(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x)));
}

describe.skipIf(skip !== undefined)(`real ring snapshots${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let one: Decoded;
  let thirty: Decoded;

  beforeAll(async () => {
    one = await decodeFixture(FIXTURE_1B);
    thirty = await decodeFixture(FIXTURE_30B);
  }, 120_000);

  it("decodes every event of both files, in seqno order, without errors", () => {
    expect(one.objects).toHaveLength(6597);
    expect(one.lastSeqno).toBe(6597);
    expect(thirty.objects).toHaveLength(136_891);
    expect(thirty.lastSeqno).toBe(136_891);
    for (const d of [one, thirty]) {
      expect(d.objects.every((e, i) => e.seqno === i + 1)).toBe(true);
      expect(d.lines).toHaveLength(d.objects.length);
    }
    const nd = batchToNdjson(thirty.batch, new FlowTracker());
    expect(nd.errors).toEqual([]);
    expect(nd.count).toBe(136_891);
    expect(nd.starts).toHaveLength(136_892);
  });

  it("matches the reference per-type counts of the 1-block file", () => {
    const counts: Record<string, number> = {};
    for (const r of one.offsets) {
      const name = C_NAMES[one.batch.readUInt16LE(r + 8)];
      counts[name] = (counts[name] ?? 0) + 1;
    }
    expect(counts).toMatchObject({
      BLOCK_START: 1,
      TXN_HEADER_START: 229,
      ACCOUNT_ACCESS_LIST_HEADER: 231,
      TXN_LOG: 483,
      TXN_CALL_FRAME: 1179,
      ACCOUNT_ACCESS: 1079,
      STORAGE_ACCESS: 2245,
      BLOCK_END: 1,
      BLOCK_QC: 1,
      BLOCK_FINALIZED: 1,
    });
  });

  it("decodes the known values of block 15000001", () => {
    for (const d of [one, thirty]) {
      const start = d.objects.find((e) => e.payload.type === "BlockStart" && e.payload.block_number === 15_000_001);
      const end = d.objects.find((e) => e.payload.type === "BlockEnd" && e.block_number === 15_000_001);
      expect(start?.payload).toMatchObject({ chain_id: "0x1", gas_limit: 30_000_000, txn_count: 229, eth_block_number: 15_000_001 });
      expect(start?.block_number).toBe(15_000_001);
      if (end?.payload.type !== "BlockEnd") throw new Error("no BlockEnd for block 15000001");
      expect(end.payload.gas_used).toBe(22_516_578);
      expect(end.payload.eth_block_hash).toMatch(/^0x7a7d7c23[0-9a-f]{52}295e$/);
      expect(end.payload.logs_bloom).toMatch(/^0x[0-9a-f]{512}$/);
    }
  });

  it("has payload_size == fixed struct + trailing sizes for every event", () => {
    for (const d of [one, thirty]) {
      let bad = 0;
      for (const r of d.offsets) if (d.batch.readUInt32LE(r + 12) !== referencePayloadSize(d.batch, r)) bad++;
      expect(bad).toBe(0);
    }
  });

  it("writes JSON lines that parse, with exact seqno and timestamp_ns digits", () => {
    for (const d of [one, thirty]) {
      const bad: string[] = [];
      d.lines.forEach((line, i) => {
        const r = d.offsets[i];
        const m = /,"seqno":(\d+),"timestamp_ns":(\d+)\}$/.exec(line);
        if (m === null || BigInt(m[1]) !== d.batch.readBigUInt64LE(r) || BigInt(m[2]) !== d.batch.readBigUInt64LE(r + 16)) bad.push(line);
        JSON.parse(line); // throws (fails the test) on invalid JSON
      });
      expect(bad.slice(0, 3)).toEqual([]);
    }
    // The timestamps really are beyond 2^53 (so the exactness check above means something).
    expect(thirty.batch.readBigUInt64LE(16)).toBeGreaterThan(2n ** 53n);
  });

  it("object form and JSON form agree on every event", () => {
    for (const d of [one, thirty]) {
      let mismatches = 0;
      d.objects.forEach((obj, i) => {
        if (eventObjectToJson(obj) !== d.lines[i]) mismatches++;
      });
      expect(mismatches).toBe(0);
      // Spot-check structural equality through JSON.parse as a client would do it.
      for (let i = 0; i < d.objects.length; i += 97) expect(JSON.parse(d.lines[i])).toEqual(asParsed(d.objects[i]));
    }
  });

  it("keeps the Rust gateway's key order and omits unknown optional keys", () => {
    const first = JSON.parse(thirty.lines[0]);
    expect(Object.keys(first)).toEqual(["event_name", "block_number", "payload", "seqno", "timestamp_ns"]);
    const storage = thirty.lines.find((l) => l.startsWith('{"event_name":"StorageAccess"'))!;
    expect(Object.keys(JSON.parse(storage))).toEqual(["event_name", "block_number", "txn_idx", "txn_hash", "payload", "seqno", "timestamp_ns"]);
    expect(Object.keys(JSON.parse(storage).payload).slice(0, 5)).toEqual(["type", "txn_index", "account_index", "key", "value"]);
    expect(thirty.lines.some((l) => l.includes("null,") && l.includes('"block_number":null'))).toBe(false);
  });

  it("puts the real call depth in TxnCallFrame.depth (not the frame index)", () => {
    let differs = 0;
    let wrong = 0;
    thirty.objects.forEach((e, i) => {
      if (e.payload.type !== "TxnCallFrame") return;
      const p = e.payload as TxnCallFramePayload;
      const r = thirty.offsets[i] + 64;
      if (p.depth !== Number(thirty.batch.readBigUInt64LE(r + 104)) || p.index !== thirty.batch.readUInt32LE(r)) wrong++;
      if (p.depth !== p.index) differs++;
    });
    expect(wrong).toBe(0);
    expect(differs).toBeGreaterThan(0);
  });

  it("renders TxnLog topics both as one concatenated string and as a list", () => {
    let logs = 0;
    for (const e of thirty.objects) {
      if (e.payload.type !== "TxnLog") continue;
      logs++;
      expect(e.payload.topics).toBe("0x" + e.payload.topics_list.map((t) => t.slice(2)).join(""));
    }
    expect(logs).toBe(8299);
  });

  it("carries block_number on every event and the right txn_hash on transaction events", () => {
    const hashes = new Map<string, string>();
    const missing = new Set<string>();
    const bad: unknown[] = [];
    for (const e of thirty.objects) {
      if (e.block_number === undefined) bad.push(e);
      if (e.payload.type === "TxnHeaderStart") hashes.set(`${e.block_number}/${e.payload.txn_index}`, e.payload.txn_hash);
      if (e.txn_idx === undefined) continue;
      if ("txn_index" in e.payload && e.payload.txn_index !== e.txn_idx) bad.push(e);
      if (e.txn_hash === undefined) missing.add(e.event_name);
      else if (e.txn_hash !== hashes.get(`${e.block_number}/${e.txn_idx}`)) bad.push(e);
    }
    expect(bad.slice(0, 3)).toEqual([]);
    // Only the perf markers, which the recorder emits before the txn header, lack a hash.
    expect([...missing].sort()).toEqual(["TxnPerfEvmEnter", "TxnPerfEvmExit"]);
    // Consensus events carry their block in the payload (content_ext is zero on them).
    const qc = thirty.objects.find((e) => e.payload.type === "BlockQC")!;
    expect(qc.block_number).toBe((qc.payload as { block_number: number }).block_number);
    const verified = thirty.objects.filter((e) => e.event_name === "BlockVerified");
    expect(verified).toHaveLength(29);
    for (const v of verified) expect(v.block_number).toBe((v.payload as { block_number: number }).block_number);
  });

  it("decodes access-list entries and prologue/epilogue account accesses", () => {
    const entries = thirty.objects.filter((e) => e.payload.type === "TxnAccessListEntry");
    expect(entries).toHaveLength(121);
    for (const e of entries) {
      if (e.payload.type !== "TxnAccessListEntry") continue;
      expect(e.payload.storage_keys).toBe("0x" + e.payload.storage_keys_list.map((k) => k.slice(2)).join(""));
    }
    const headers = one.objects.filter((e) => e.payload.type === "AccountAccessListHeader");
    const outside = headers.filter((e) => e.txn_idx === undefined).map((e) => (e.payload as { access_context: number }).access_context);
    expect(outside.sort()).toEqual([0, 2]);
    for (const h of headers) if (h.txn_idx === undefined) expect(JSON.parse(one.lines[Number(h.seqno) - 1]).payload.txn_index).toBeNull();
  });

  it("walks a batch slice by slice with the same result", () => {
    // The same bytes decoded in two halves with one tracker give identical lines.
    const mid = thirty.offsets[70_000];
    const tracker = new FlowTracker();
    const a = batchToJson(thirty.batch, tracker, { end: mid });
    const b = batchToJson(thirty.batch, tracker, { start: mid });
    expect([...a.items, ...b.items]).toEqual(thirty.lines);
    expect(walkBatch(thirty.batch, () => {}, () => {})).toBe(136_891);
  });
});

describe("snapshot oracle on a synthetic ring image", () => {
  // 4 descriptors, 64-byte payload buffer; the third payload wraps around the buffer end.
  function image(): Buffer {
    const cap = 4;
    const pbs = 64;
    const img = Buffer.alloc((1 << 21) + cap * 64 + pbs);
    img.write("RING01", 0, "latin1");
    img.writeUInt16LE(2, 6);
    img.write(EXEC_SCHEMA_HASH, 8, "hex");
    img.writeBigUInt64LE(BigInt(cap), 40);
    img.writeBigUInt64LE(BigInt(pbs), 48);
    img.writeBigUInt64LE(3n, 64); // last_seqno
    const payloads: [T, Buffer, number][] = [
      [T.TXN_END, Buffer.alloc(0), 0],
      [T.BLOCK_REJECT, encodePayload(T.BLOCK_REJECT, { reason: 7 }), 16],
      [T.TXN_EVM_OUTPUT, encodePayload(T.TXN_EVM_OUTPUT, { status: true, log_count: 3, gas_used: 21000, call_frame_count: 1 }), 112],
    ];
    payloads.forEach(([type, bytes, unwrapped], i) => {
      const d = (1 << 21) + i * 64;
      img.writeBigUInt64LE(BigInt(i + 1), d);
      img.writeUInt16LE(type, d + 8);
      img.writeUInt32LE(bytes.length, d + 12);
      img.writeBigUInt64LE(BigInt(unwrapped), d + 24);
      img.writeBigUInt64LE(2n, d + 40); // txn index 1
      for (let k = 0; k < bytes.length; k++) img[(1 << 21) + cap * 64 + ((unwrapped + k) % pbs)] = bytes[k];
    });
    return img;
  }

  it("reassembles records, including a payload that wraps the buffer end", () => {
    const img = image();
    const batch = snapshotToBatch({ header: parseHeader(img), image: img });
    const { items, errors } = decodeBatch(batch, undefined);
    expect(errors).toEqual([]);
    expect(items.map((e) => [e.seqno, e.txn_idx, e.payload])).toEqual([
      [1, 1, { type: "TxnEnd" }],
      [2, 1, { type: "BlockReject", reason: 7 }],
      [3, 1, { type: "TxnEvmOutput", txn_index: 1, log_count: 3, status: true, gas_used: 21000, call_frame_count: 1 }],
    ]);
  });

  it("rejects a wrong schema hash, an overwritten descriptor and an expired payload", () => {
    const bad = image();
    bad[8] ^= 1;
    expect(() => parseHeader(bad)).toThrow(/schema hash/);
    const img = image();
    img.writeBigUInt64LE(7n, 1 << 21); // slot of seqno 1 now holds seqno 7
    expect(() => snapshotToBatch({ header: parseHeader(img), image: img })).toThrow(/seqno 1 holds seqno 7/);
    const expired = image();
    expired.writeBigUInt64LE(32n, 128); // buffer_window_start beyond seqno 2's payload
    expect(() => snapshotToBatch({ header: parseHeader(expired), image: expired })).toThrow(/expired/);
  });
});
