// The pipeline sends a block's BLOCK_END and the consensus events written with it (QC, FINALIZED,
// VERIFIED) before it computes the block's summaries (TopAccesses, ContentionData: up to several
// ms on a big block); the summaries follow before anything that could change their state, or as
// soon as the ring is idle. Checked on the real 30-block capture, frame by frame, in seqno order.
import { describe, expect, it } from "vitest";
import { fullBytes } from "../src/broadcast/frame.js";
import { Hub } from "../src/broadcast/hub.js";
import { ResumeBuffer } from "../src/broadcast/resume-buffer.js";
import { Pipeline } from "../src/server/pipeline.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { GatewayMetrics } from "../src/transport/metrics.js";
import { FIXTURE_30B, fixtureSuite, fixturesMissing } from "./helpers/fixtures.js";

/** Each frame's label: the kind, or for Events frames the names of its events. */
function label(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  const kind = /^\{"server_seqno":\d+,"(\w+)"/.exec(text)![1];
  if (kind !== "Events") return kind;
  return [...text.matchAll(/"event_name":"(\w+)"/g)].map((m) => m[1]).join(",");
}

function ingestCapture(callIdleAtEnd: boolean): { labels: string[]; pipeline: Pipeline } {
  const buffer = new ResumeBuffer({ maxFrames: 100_000, maxBytes: 1 << 30 });
  const hub = new Hub(buffer, { maxPendingFrames: 4096, warnEvery: 1000, dropLimit: 10_000 });
  const pipeline = new Pipeline(hub, new GatewayMetrics(), { ringLoss() {}, decodeError() {} }, { maxEventsPerFrame: 256, maxEventsPerPoll: 4096 });
  const reader = RingReader.open(FIXTURE_30B);
  for (;;) {
    const b = reader.poll(4096);
    if (b.count > 0) pipeline.ingest(b);
    if (b.status !== PollStatus.Ok) break;
  }
  reader.close();
  if (callIdleAtEnd) pipeline.idle();
  const labels: string[] = [];
  for (let s = buffer.oldest; s <= buffer.newest; s++) {
    const bytes = fullBytes(buffer.get(s)!); // an Events frame's JSON is written when first asked for
    if (bytes) labels.push(label(bytes)); // release frames (no bytes of their own) are per subscription
  }
  return { labels, pipeline };
}

describe.skipIf(fixturesMissing !== "")(fixtureSuite("block summaries in the frame stream (30-block capture)"), () => {
  it("come after BLOCK_END and its consensus events, before the next block's first event", () => {
    const { labels } = ingestCapture(true);
    const ends = labels.flatMap((l, i) => (l.endsWith("BlockEnd") ? [i] : []));
    expect(ends.length).toBe(30);
    for (const end of ends) {
      // What follows BLOCK_END up to its summaries: only consensus events and their Lifecycle frames.
      const top = labels.indexOf("TopAccesses", end);
      expect(top).toBeGreaterThan(end);
      for (const l of labels.slice(end + 1, top)) expect(l).toMatch(/^(BlockQC|BlockFinalized|BlockVerified|Lifecycle)$/);
      expect(labels.slice(end + 1, top)).toContain("BlockQC"); // the capture writes them right after BLOCK_END
      if (labels[top + 1] === "ContentionData") {
        const next = labels.slice(top + 2).find((l) => l.startsWith("BlockStart") || /Txn|Access/.test(l));
        if (next !== undefined) expect(next.split(",")[0]).toBe("BlockStart");
      }
    }
    expect(labels.filter((l) => l === "TopAccesses").length).toBe(30);
    expect(labels.filter((l) => l === "ContentionData").length).toBeGreaterThanOrEqual(29); // the first block is seen from its start
  });

  it("waits for the ring to go idle when nothing else comes: the last block's summaries need idle()", () => {
    const without = ingestCapture(false).labels;
    const withIdle = ingestCapture(true).labels;
    expect(without.filter((l) => l === "TopAccesses").length).toBe(29);
    expect(withIdle.filter((l) => l === "TopAccesses").length).toBe(30);
    expect(withIdle.slice(0, without.length)).toEqual(without);
    expect(withIdle.slice(without.length)).toEqual(["TopAccesses", "ContentionData"]);
  });
});
