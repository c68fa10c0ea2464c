// The reader and writer protocols on real ring files (tmpfs): round trip, wrap-around, expiry, GAP,
// NOT_READY, seeks, oversized payloads, malformed batches.
import { afterEach, describe, expect, it } from "vitest";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { RingWriter } from "../src/ring/ring-writer.js";
import { patternPayload, rawBatch, readRecords, type RawEvent } from "./helpers/raw-records.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

const MiB = 1 << 20;
const small = { descriptorsShift: 16, payloadBufShift: 27 };

function drain(reader: RingReader, max = 4096) {
  const got: ReturnType<typeof readRecords> = [];
  for (;;) {
    const b = reader.poll(max);
    got.push(...readRecords(b.buffer, b.count));
    if (b.status !== PollStatus.Ok) return { got, last: b };
  }
}

afterEach(removeTempRings);

describe("ring writer and reader", () => {
  it("round-trips every descriptor field and payload byte, with 16-byte aligned payloads", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const events: RawEvent[] = [];
    for (let i = 1; i <= 500; i++) {
      const size = i % 7 === 0 ? 0 : (i * 13) % 900;
      events.push({ type: 2 + (i % 23), payload: patternPayload(i, size), ext: [i, i % 9, i % 3, 0], epochNanos: 1_700_000_000_000_000_000n + BigInt(i) });
    }
    const b = rawBatch(events);
    expect(w.record(b.buffer, b.count)).toBe(500);
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const { got, last } = drain(r, 64);
    expect(last.status).toBe(PollStatus.NotReady);
    expect(got.map((g) => g.seqno)).toEqual(events.map((_, i) => i + 1));
    let expectedOffset = 0;
    got.forEach((g, i) => {
      const e = events[i];
      expect(g.type).toBe(e.type);
      expect(g.size).toBe(e.payload.length);
      expect(g.ext).toEqual(e.ext);
      expect(g.epochNanos).toBe(e.epochNanos);
      expect(g.payload.equals(e.payload)).toBe(true);
      expect(g.payloadOffset).toBe(expectedOffset); // zero-size payloads do not advance the offset
      expect(g.payloadOffset % 16).toBe(0);
      expectedOffset += Math.ceil(e.payload.length / 16) * 16;
    });
    r.close();
    w.close();
  });

  it("stamps CLOCK_REALTIME when no timestamp is given", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const before = BigInt(Date.now()) * 1_000_000n;
    const b = rawBatch([{ type: 4, payload: Buffer.alloc(0) }]);
    w.record(b.buffer, b.count);
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const [g] = readRecords(r.poll().buffer, 1);
    expect(g.epochNanos).toBeGreaterThanOrEqual(before);
    expect(g.epochNanos).toBeLessThan(before + 60_000_000_000n);
    r.close();
    w.close();
  });

  it("reports NOT_READY on an idle ring and picks up new events later", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: "head" });
    expect(r.poll().status).toBe(PollStatus.NotReady);
    expect(r.poll().count).toBe(0);
    const b = rawBatch([{ type: 2, payload: patternPayload(1, 528) }]);
    w.record(b.buffer, b.count);
    const p = r.poll();
    expect(p.count).toBe(1);
    expect(readRecords(p.buffer, 1)[0].payload.equals(patternPayload(1, 528))).toBe(true);
    r.close();
    w.close();
  });

  it("reads payloads that wrap around the end of the payload buffer intact", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const size = MiB + 333; // odd size so a payload straddles the 128 MiB boundary
    const seen: ReturnType<typeof readRecords> = [];
    for (let i = 1; i <= 300; i += 5) {
      const b = rawBatch([0, 1, 2, 3, 4].map((k) => ({ type: 19, payload: patternPayload(i + k, size) })));
      w.record(b.buffer, b.count);
      seen.push(...drain(r, 8).got);
    }
    expect(seen.length).toBe(300);
    const bufSize = 128 * MiB;
    const wrapped = seen.filter((g) => (g.payloadOffset % bufSize) + g.size > bufSize);
    expect(wrapped.length).toBeGreaterThan(0);
    seen.forEach((g, i) => expect(g.payload.equals(patternPayload(i + 1, size))).toBe(true));
    r.close();
    w.close();
  });

  it("reports a lapped payload as expired and never delivers its bytes", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const size = MiB;
    for (let i = 1; i <= 200; i += 10) {
      const b = rawBatch(Array.from({ length: 10 }, (_, k) => ({ type: 18, payload: patternPayload(i + k, size) })));
      w.record(b.buffer, b.count);
    }
    const windowStart = w.info().bufferWindowStart;
    expect(windowStart).toBeGreaterThan(0);
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const expired: number[] = [];
    const delivered: ReturnType<typeof readRecords> = [];
    for (;;) {
      const b = r.poll(4);
      delivered.push(...readRecords(b.buffer, b.count));
      if (b.status === PollStatus.Expired) expired.push(b.expiredSeqno);
      else if (b.status !== PollStatus.Ok) break;
    }
    const firstValid = Math.ceil(windowStart / size) + 1; // event n sits at offset (n-1) MiB
    expect(expired).toEqual(Array.from({ length: firstValid - 1 }, (_, i) => i + 1));
    expect(delivered[0].seqno).toBe(firstValid);
    expect(delivered.length + expired.length).toBe(200);
    for (const d of delivered) expect(d.payload.equals(patternPayload(d.seqno, size))).toBe(true);
    r.close();
    w.close();
  });

  it("reports GAP when the descriptor ring laps the reader, and recovers by seeking", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const n = 65536 + 1000;
    const b = rawBatch(Array.from({ length: n }, (_, i) => ({ type: i % 1000 === 0 ? 2 : 20, payload: Buffer.alloc(0) })));
    w.record(b.buffer, b.count);
    const p = r.poll();
    expect(p.status).toBe(PollStatus.Gap);
    expect(p.count).toBe(0);
    expect(p.gapFoundSeqno).toBe(65537);
    expect(p.nextSeqno).toBe(1); // not advanced: the caller decides how to resync
    expect(r.seek("block_start")).toBe(66001); // the newest BLOCK_START (type 2)
    const after = drain(r).got;
    expect(after[0].seqno).toBe(66001);
    expect(after.at(-1)!.seqno).toBe(n);
    expect(r.seek("head")).toBe(n); // the SDK's reset: next read is the most recent event
    r.close();
    w.close();
  });

  it("records an oversized payload as RECORD_ERROR carrying its first 8 KiB", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const big = patternPayload(7, 97 * MiB); // >= 128 MiB - 2 x 16 MiB
    const b = rawBatch([{ type: 19, payload: big }]);
    w.record(b.buffer, b.count);
    const r = RingReader.open(path, { startAt: { seqno: 1 } });
    const [g] = readRecords(r.poll().buffer, 1);
    expect(g.type).toBe(1);
    expect(g.size).toBe(8192);
    expect(g.payload.readUInt16LE(0)).toBe(2); // OVERFLOW_EXPIRE
    expect(g.payload.readUInt16LE(2)).toBe(19); // dropped event type
    expect(g.payload.readUInt32LE(4)).toBe(8192 - 16);
    expect(g.payload.readBigUInt64LE(8)).toBe(BigInt(big.length));
    expect(g.payload.subarray(16).equals(big.subarray(0, 8192 - 16))).toBe(true);
    r.close();
    w.close();
  });

  it("rejects a malformed batch whole, recording nothing", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const b = rawBatch([{ type: 2, payload: Buffer.alloc(100) }]);
    expect(() => w.record(b.buffer.subarray(0, 100), 1)).toThrow(/overruns the batch/);
    expect(() => w.record(b.buffer, 2)).toThrow(/past the batch/);
    expect(w.info().lastSeqno).toBe(0);
    w.close();
  });

  it("grows the batch buffer when one event is larger than it", () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const b = rawBatch([{ type: 18, payload: patternPayload(1, 3 * MiB) }]);
    w.record(b.buffer, b.count);
    const r = RingReader.open(path, { startAt: { seqno: 1 }, bufferBytes: 4096 });
    const p = r.poll();
    expect(p.count).toBe(1);
    expect(readRecords(p.buffer, 1)[0].payload.equals(patternPayload(1, 3 * MiB))).toBe(true);
    r.close();
    w.close();
  });

  it("closing with unlink removes the file", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    w.close({ unlink: true });
    const { existsSync } = await import("node:fs");
    expect(existsSync(path)).toBe(false);
  });
});
