// The native snapshot reader against an independent pure-JS reading of the same real captures: the
// batches must be byte-identical, whatever batch sizes the reader is polled with.
import { describe, expect, it } from "vitest";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { FIXTURE_1B, FIXTURE_30B, fixturesSkipReason, loadSnapshot, snapshotToBatch } from "./helpers/snapshot-js.js";

const skip = fixturesSkipReason();

function nativeBatch(file: string, maxEvents: number, bufferBytes: number): { bytes: Buffer; polls: number } {
  const reader = RingReader.open(file, { bufferBytes });
  const parts: Buffer[] = [];
  let polls = 0;
  for (;;) {
    const b = reader.poll(maxEvents);
    polls++;
    parts.push(Buffer.from(b.buffer.subarray(0, b.bytes)));
    if (b.status !== PollStatus.Ok) {
      expect(b.status).toBe(PollStatus.NotReady);
      break;
    }
  }
  reader.close();
  return { bytes: Buffer.concat(parts), polls };
}

describe.skipIf(!!skip)(`native reader on real snapshots${skip ? ` (skipped: ${skip})` : ""}`, () => {
  for (const [file, events] of [
    [FIXTURE_1B, 6597],
    [FIXTURE_30B, 136_891],
  ] as const) {
    it(`${file.split("/").pop()}: ${events} events, byte-identical to the JS oracle`, async () => {
      const oracle = snapshotToBatch(await loadSnapshot(file));
      const big = nativeBatch(file, 1 << 20, 64 << 20);
      expect(big.bytes.equals(oracle)).toBe(true);
      const small = nativeBatch(file, 97, 64 << 10); // odd batch limits and a small buffer
      expect(small.polls).toBeGreaterThan(events / 97);
      expect(small.bytes.equals(oracle)).toBe(true);
      const r = RingReader.open(file);
      expect(r.info()).toMatchObject({ isSnapshot: true, lastSeqno: events, contentType: 2 });
      expect(r.writer()).toEqual({ pid: 0, alive: false });
      r.close();
    });
  }

  it("starts a live-style reader at the most recent BLOCK_START when asked", () => {
    const r = RingReader.open(FIXTURE_30B, { startAt: "block_start" });
    const b = r.poll(1);
    expect(b.buffer.readUInt16LE(8)).toBe(2);
    // After it come only that block's events and the consensus events of earlier blocks.
    expect(b.nextSeqno).toBeGreaterThan(130_000);
    r.close();
  });
});
