// Waiting for events on a worker thread (native waitForEvents): the poll loop sleeps on it when the
// ring is idle instead of spinning or sleeping on 1 ms timers.
import { afterEach, describe, expect, it } from "vitest";
import { EXEC_CONTENT_TYPE, EXEC_SCHEMA_HASH } from "../src/ring/exec-schema.js";
import { native } from "../src/ring/native.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { RingWriter } from "../src/ring/ring-writer.js";
import { patternPayload, rawBatch } from "./helpers/raw-records.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

const small = { descriptorsShift: 16, payloadBufShift: 27 };

function record(w: RingWriter, n: number): void {
  const b = rawBatch(Array.from({ length: n }, (_, i) => ({ type: 2, payload: patternPayload(i, 64) })));
  w.record(b.buffer, b.count);
}

function drain(r: RingReader): number {
  let n = 0;
  for (;;) {
    const b = r.poll();
    n += b.count;
    if (b.status !== PollStatus.Ok) return n;
  }
}

afterEach(removeTempRings);

describe("waitForEvents", () => {
  it("resolves true at once when unread events are already there", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: "head" });
    record(w, 3);
    expect(await r.waitForEvents(5000)).toBe(true);
    expect(drain(r)).toBe(3);
    r.close();
    w.close();
  });

  it("wakes when the writer records, while the event loop keeps running", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: "head" });
    record(w, 1);
    drain(r);
    // The write happens from timer callbacks that can only run while the wait is pending if the
    // JS thread is free: the worker thread waits, not the event loop.
    let ticks = 0;
    let settled = false;
    const waiting = r.waitForEvents(30_000).then((v) => ((settled = true), v));
    const ticker = setInterval(() => {
      if (++ticks === 5) {
        expect(settled).toBe(false);
        record(w, 2);
      }
    }, 5);
    expect(await waiting).toBe(true);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThanOrEqual(5);
    expect(drain(r)).toBe(2);
    // Caught up again: the next wait does not resolve on the events already read.
    expect(await r.waitForEvents(50)).toBe(false);
    r.close();
    w.close();
  });

  it("resolves false after the timeout on an idle ring", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: "head" });
    const t0 = performance.now();
    expect(await r.waitForEvents(60)).toBe(false);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    r.close();
    w.close();
  });

  it("closing the reader mid-wait resolves the wait false, safely", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: "head" });
    const waiting = r.waitForEvents(30_000);
    await new Promise((res) => setTimeout(res, 20));
    r.close();
    expect(await waiting).toBe(false);
    expect(() => r.poll()).toThrow(/closed/);
    record(w, 1); // the writer is unaffected
    w.close();
  });

  it("refuses a second concurrent wait and bad arguments with clear errors", async () => {
    const path = tempRingPath();
    const w = RingWriter.create(path, small);
    const r = RingReader.open(path, { startAt: "head" });
    const first = r.waitForEvents(100);
    expect(() => r.waitForEvents(100)).toThrow(/already in progress/);
    expect(await first).toBe(false);
    const handle = native.openRing(path, { contentType: EXEC_CONTENT_TYPE, schemaHash: EXEC_SCHEMA_HASH });
    expect(() => native.waitForEvents(handle, -1, 10)).toThrow(/afterSeqno must be a non-negative number/);
    expect(() => native.waitForEvents(handle, 0, 120_000)).toThrow(/timeoutMs must be a number from 0 to 60000/);
    expect(() => native.waitForEvents({} as never, 0, 10)).toThrow(/expected a ring handle/);
    native.closeRing(handle);
    r.close();
    w.close();
  });
});
