// The event schema against the decoder's real output: every event of both ring captures, and
// synthetic events of all 24 types with all-zero and extreme field values (the captures lack
// some types, e.g. TxnReject, EvmError). Checks the schema accepts them, lists exactly their keys
// in their order, and rejects corrupted copies. Fixture tests skip when ../shared is absent.
import type { ErrorObject } from "ajv";
import { describe, expect, it } from "vitest";
import { ExecEventType as T, FlowTracker, LAYOUTS, batchToJson, type FieldSpec, type PayloadLayout } from "../src/decode/index.js";
import type { CommitStage } from "../src/decode/payload-types.js";
import { BatchBuilder, type AnyBatchEventInput } from "../src/encode/index.js";
import { COMMIT_STAGES, SCHEMA_DOCUMENTS, validateExecEvent } from "../src/protocol/index.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { FIXTURE_1B, FIXTURE_30B, fixturesMissing } from "./helpers/fixtures.js";

const payloadSchemas = SCHEMA_DOCUMENTS.events.definitions;

interface Checked {
  count: number;
  byType: Map<string, number>;
  failures: string[];
}

/** Validates each JSON line; also checks payload keys = schema properties in order. */
function checkLines(lines: Iterable<string>, acc: Checked = { count: 0, byType: new Map(), failures: [] }): Checked {
  for (const line of lines) {
    const ev = JSON.parse(line) as { event_name: string; payload: Record<string, unknown> };
    acc.count++;
    acc.byType.set(ev.event_name, (acc.byType.get(ev.event_name) ?? 0) + 1);
    if (acc.failures.length >= 5) continue;
    if (!validateExecEvent(ev)) {
      acc.failures.push(`${line.slice(0, 300)}\n  ${JSON.stringify((validateExecEvent.errors ?? []).slice(0, 3).map((e: ErrorObject) => [e.instancePath, e.message]))}`);
      continue;
    }
    const expected = Object.keys(payloadSchemas[`${ev.event_name}Payload`].properties ?? {});
    if (ev.payload.type !== ev.event_name) acc.failures.push(`payload.type ${String(ev.payload.type)} != ${ev.event_name}`);
    else if (Object.keys(ev.payload).join() !== expected.join()) acc.failures.push(`${ev.event_name} keys ${Object.keys(ev.payload).join()} != ${expected.join()}`);
  }
  return acc;
}

/** Decodes a whole ring file (or snapshot) to event JSON lines, with a varying commit stage. */
function* ringLines(path: string): Generator<string> {
  const reader = RingReader.open(path, { startAt: "oldest" });
  const tracker = new FlowTracker();
  const stage = (bn: number | bigint): CommitStage | undefined => (Number(bn) % 6 === 5 ? undefined : COMMIT_STAGES[Number(bn) % 6]);
  try {
    for (;;) {
      const b = reader.poll(4096);
      if (b.count > 0) {
        const out = batchToJson(b.buffer, tracker, { end: b.bytes, commitStage: stage });
        if (out.errors.length > 0) throw out.errors[0];
        yield* out.items;
      }
      if (b.status === PollStatus.NotReady) return;
      if (b.status !== PollStatus.Ok) throw new Error(`unexpected poll status ${PollStatus[b.status]} reading ${path}`);
    }
  } finally {
    reader.close();
  }
}

describe.skipIf(fixturesMissing !== "")(`real ring captures${fixturesMissing ? ` (skipped: ${fixturesMissing})` : ""}`, () => {
  for (const [label, path, minEvents, minTypes] of [
    ["emn-1b-15m", FIXTURE_1B, 6000, 17],
    ["emn-30b-15m", FIXTURE_30B, 130000, 19],
  ] as const) {
    it(`every event of ${label} validates against ExecEvent`, () => {
      const r = checkLines(ringLines(path));
      expect(r.failures).toEqual([]);
      expect(r.count).toBeGreaterThan(minEvents);
      expect(r.byType.size).toBeGreaterThanOrEqual(minTypes);
    });
  }
});

// --- Synthetic events of every type -----------------------------------------------------------

const U64_MAX = 2n ** 64n - 1n;
const hex = (bytes: number, fill: string) => "0x" + fill.repeat(bytes);

/** The most extreme value of each fixed kind (for the i64/i32 kinds: the most negative). */
function extreme(f: FieldSpec, l: PayloadLayout): unknown {
  switch (f.kind) {
    case "u8":
      return 255;
    case "u16":
      return 65535;
    case "u32":
      return 4294967295;
    case "i32":
      return -2147483648;
    case "u64":
      return U64_MAX;
    case "i64":
      return -(2n ** 63n);
    case "u128":
      return 2n ** 128n - 1n;
    case "bool":
      return true;
    case "uint256":
      return hex(32, "ff");
    case "address":
      return hex(20, "ab");
    case "bytes32":
      return hex(32, "cd");
    case "bloom":
      return hex(256, "ef");
    case "b64":
      return hex(8, "01");
    case "pubkey":
      return hex(33, "02");
    case "trail_hex":
      return hex(2 * l.trailing[f.part].unit, "9a");
    default:
      return undefined; // flow fields come from the descriptor; list views share a hex part
  }
}

function syntheticBatch(): Buffer {
  const b = new BatchBuilder();
  let seqno = 1;
  const add = (ev: Omit<AnyBatchEventInput, "seqno">) => b.add({ ...ev, seqno: seqno++, epochNanos: 1769023529012366455n } as AnyBatchEventInput);
  add({ type: T.BLOCK_START, payload: { block_number: 42 } }); // gives the others a block number
  for (const l of LAYOUTS) {
    if (l === undefined) continue;
    const inTxn = l.fields.some((f) => f.kind === "flow_txn") || l.eventName.startsWith("Txn");
    const full = Object.fromEntries(l.fields.map((f) => [f.name, extreme(f, l)]).filter(([, v]) => v !== undefined));
    const ctx = { blockSeqno: 1, ...(inTxn ? { txnIndex: 7 } : {}) };
    add({ type: l.type, ...ctx, payload: {} } as Omit<AnyBatchEventInput, "seqno">);
    add({ type: l.type, ...ctx, accountIndex: U64_MAX, payload: full } as Omit<AnyBatchEventInput, "seqno">);
    add({ type: l.type, payload: {} } as Omit<AnyBatchEventInput, "seqno">); // outside any block/txn
  }
  return b.buffer;
}

describe("synthetic events of all types", () => {
  const lines = batchToJson(syntheticBatch(), new FlowTracker(), { commitStage: "Voted" });

  it("decode and validate (zero, extreme and context-free variants)", () => {
    expect(lines.errors).toEqual([]);
    const r = checkLines(lines.items);
    expect(r.failures).toEqual([]);
    expect(r.byType.size).toBe(24);
  });

  it("the schema rejects corrupted events", () => {
    const ev = JSON.parse(lines.items.find((l) => l.includes('"TxnLog"') && l.includes("9a9a"))!) as Record<string, any>;
    expect(validateExecEvent(ev)).toBe(true);
    const bad = (mutate: (e: Record<string, any>) => void) => {
      const e = structuredClone(ev);
      mutate(e);
      return validateExecEvent(e);
    };
    expect(bad((e) => (e.payload.address = e.payload.address.toUpperCase().replace("0X", "0x")))).toBe(false);
    expect(bad((e) => delete e.payload.topics)).toBe(false);
    expect(bad((e) => (e.payload.topics = "0x1234"))).toBe(false);
    expect(bad((e) => (e.payload.type = "TxnCallFrame"))).toBe(false);
    expect(bad((e) => (e.commit_stage = "Done"))).toBe(false);
    expect(bad((e) => (e.txn_idx = null))).toBe(false); // omitted, never null
    expect(bad((e) => delete e.seqno)).toBe(false);
    expect(bad((e) => (e.payload.log_index = -1))).toBe(false);
    expect(bad((e) => (e.payload.extra = 1))).toBe(true); // payloads may grow
  });
});
