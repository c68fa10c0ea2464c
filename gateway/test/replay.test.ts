// Replaying a real capture into a live ring: every event arrives unchanged except for what must change
// (seqnos, block flow pointing at the new BLOCK_START seqnos, timestamps), at the requested pace.
import { afterEach, describe, expect, it } from "vitest";
import { replay } from "../src/producers/replay/replayer.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { RingWriter } from "../src/ring/ring-writer.js";
import { FIXTURE_30B, fixturesMissing } from "./helpers/fixtures.js";
import { readRecords } from "./helpers/raw-records.js";
import { removeTempRings, tempRingPath } from "./helpers/temp-ring.js";

function readAll(reader: RingReader) {
  const out: ReturnType<typeof readRecords> = [];
  for (;;) {
    const b = reader.poll(8192);
    out.push(...readRecords(b.buffer, b.count));
    if (b.status !== PollStatus.Ok) {
      expect(b.status).toBe(PollStatus.NotReady);
      return out;
    }
  }
}

afterEach(removeTempRings);

describe.skipIf(!!fixturesMissing)("replay of the 30-block capture", () => {
  it("re-records every event losslessly, twice over, with block flow remapped", async () => {
    const source = RingReader.open(FIXTURE_30B);
    const original = readAll(source);
    const path = tempRingPath();
    const w = RingWriter.create(path, { descriptorsShift: 19, payloadBufShift: 28 });
    const before = BigInt(Date.now()) * 1_000_000n;
    const p = await replay(source, w, { speed: 0, passes: 2 });
    expect(p.events).toBe(2 * 136_891);
    const copy = readAll(RingReader.open(path, { startAt: { seqno: 1 } }));
    expect(copy.length).toBe(2 * original.length);
    const bySeqno = new Map(copy.map((r) => [r.seqno, r]));
    const wrong: string[] = [];
    copy.forEach((r, i) => {
      const o = original[i % original.length];
      const flowOk = o.ext[0] === 0 ? r.ext[0] === 0 : bySeqno.get(r.ext[0])?.type === 2; // still a BLOCK_START
      if (r.seqno !== i + 1 || r.type !== o.type || !r.payload.equals(o.payload) || !flowOk ||
          r.ext[1] !== o.ext[1] || r.ext[2] !== o.ext[2] || r.epochNanos < before)
        wrong.push(`ring seqno ${r.seqno} (source ${o.seqno})`);
    });
    expect(wrong.slice(0, 5)).toEqual([]);
    source.close();
    w.close();
  });

  it("keeps the original pace when asked (scaled 4x here)", async () => {
    const source = RingReader.open(FIXTURE_30B);
    const recs = readAll(source);
    const spanMs = Number(recs.at(-1)!.epochNanos - recs[0].epochNanos) / 1e6;
    const w = RingWriter.create(tempRingPath(), { descriptorsShift: 19, payloadBufShift: 28 });
    const started = performance.now();
    await replay(source, w, { speed: 4, keepTimestamps: true });
    // A lower bound only: replay may never run ahead of the capture's clock.
    expect(performance.now() - started).toBeGreaterThanOrEqual(spanMs / 4 - 5);
    const copy = readAll(RingReader.open(w.path, { startAt: { seqno: 1 } }));
    expect(copy.map((r) => r.epochNanos)).toEqual(recs.map((r) => r.epochNanos));
    source.close();
    w.close();
  });
});
