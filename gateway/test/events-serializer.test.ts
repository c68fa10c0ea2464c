// An Events frame's JSON is written when first needed or in the ring's idle gaps, not while the
// frame is built. What clients rely on: the bytes are the same whenever they are written (at once
// for a caught-up firehose client, in idle turns, at the next block start, or when a replay asks),
// including block_number, txn_hash and commit_stage, which come from state the gateway has moved
// past by then; and the resume buffer's byte count stays exact as frames gain their JSON.
// Real capture through the real pipeline; the socket records what the hub writes.
import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../src/broadcast/client.js";
import { fullBytes, FrameKind } from "../src/broadcast/frame.js";
import { Hub } from "../src/broadcast/hub.js";
import { ResumeBuffer } from "../src/broadcast/resume-buffer.js";
import { STAGE_NAMES, STAGE_UNKNOWN } from "../src/broadcast/stage.js";
import { compileSubscription } from "../src/broadcast/subscription.js";
import { eventToJson, FlowTracker } from "../src/decode/index.js";
import { CHANNEL_SUBSCRIPTIONS } from "../src/protocol/constants.js";
import { Pipeline } from "../src/server/pipeline.js";
import { PollStatus, RingReader } from "../src/ring/ring-reader.js";
import { GatewayMetrics } from "../src/transport/metrics.js";
import { FIXTURE_30B, fixtureSuite, fixturesMissing } from "./helpers/fixtures.js";

class RecordingSocket implements ClientConnection {
  readonly sent: Buffer[] = [];
  send(bytes: Buffer): boolean {
    this.sent.push(Buffer.from(bytes));
    return true;
  }
  cork(sends: () => void): void {
    sends();
  }
  close(): void {}
}

type Mode = "firehose client" | "idle turns" | "never idle" | "blocks client, idle turns";

/** Ingests the capture; returns the hub's buffer and what a client got. */
function ingest(mode: Mode) {
  const buffer = new ResumeBuffer({ maxFrames: 100_000, maxBytes: 1 << 30 });
  const hub = new Hub(buffer, { maxPendingFrames: 1 << 20, warnEvery: 1000, dropLimit: 1 << 30 });
  const pipeline = new Pipeline(hub, new GatewayMetrics(), { ringLoss() {}, decodeError() {} }, { maxEventsPerFrame: 256, maxEventsPerPoll: 4096 });
  const socket = new RecordingSocket();
  const blocksSocket = new RecordingSocket();
  const blocks = compileSubscription({ events: [...CHANNEL_SUBSCRIPTIONS.blocks.events] });
  if (mode === "firehose client") {
    hub.add(socket, compileSubscription({ events: [...CHANNEL_SUBSCRIPTIONS.all.events] }), "all", "127.0.0.1", 0, []);
    hub.add(blocksSocket, blocks, "blocks", "127.0.0.1", 0, []); // its frames are cut from the written JSON
  }
  if (mode === "blocks client, idle turns") hub.add(blocksSocket, blocks, "blocks", "127.0.0.1", 0, []); // written for it alone
  const reader = RingReader.open(FIXTURE_30B);
  let unwrittenAfterIdle = 0;
  let unwrittenAfterPoll = 0;
  for (;;) {
    // Small polls, so that idle turns fall inside blocks as well as between them.
    const b = reader.poll(700);
    if (b.count > 0) pipeline.ingest(b);
    hub.flush();
    for (let s = Math.max(buffer.oldest, buffer.newest - 20); s <= buffer.newest; s++) if (buffer.get(s)!.serializer !== null) unwrittenAfterPoll++;
    if (mode.endsWith("idle turns")) {
      pipeline.idle();
      hub.flush();
    }
    if (b.status !== PollStatus.Ok) break;
  }
  reader.close();
  if (mode === "never idle") {
    expect(pipeline.idle()).toBe(true); // the last block's summaries; the JSON is left for whoever asks
  } else {
    while (pipeline.idle()) hub.flush();
    for (let s = buffer.oldest; s <= buffer.newest; s++) if (buffer.get(s)!.serializer !== null) unwrittenAfterIdle++;
  }
  return { buffer, socket, blocksSocket, unwrittenAfterIdle, unwrittenAfterPoll };
}

function streamBytes(buffer: ResumeBuffer): string[] {
  const out: string[] = [];
  for (let s = buffer.oldest; s <= buffer.newest; s++) {
    const f = buffer.get(s)!;
    if (f.kind === FrameKind.Events && f.release) continue; // built per subscription
    out.push(fullBytes(f)!.toString("utf8"));
  }
  return out;
}

describe.skipIf(fixturesMissing !== "")(fixtureSuite("deferred event JSON (30-block capture)"), () => {
  it("frames written at once for a firehose client, in idle turns, or only when asked carry the same bytes", () => {
    const live = ingest("firehose client");
    const idle = ingest("idle turns");
    const late = ingest("never idle");
    const reference = streamBytes(live.buffer);
    expect(reference.length).toBeGreaterThan(900);
    expect(idle.unwrittenAfterIdle).toBe(0);
    expect(streamBytes(idle.buffer)).toEqual(reference);
    expect(streamBytes(late.buffer)).toEqual(reference);
    // The firehose client received exactly those frames.
    const gotT = live.socket.sent.map((b) => b.toString("utf8"));
    expect(gotT).toEqual(reference);
  });

  it("every event's JSON is the decoder's, with block_number, txn_hash and commit_stage as when it arrived", () => {
    const { buffer } = ingest("never idle");
    const tracker = new FlowTracker();
    let events = 0;
    let withHash = 0;
    let withStage = 0;
    for (let s = buffer.oldest; s <= buffer.newest; s++) {
      const f = buffer.get(s)!;
      if (f.kind !== FrameKind.Events || f.release) continue;
      const bytes = fullBytes(f)!;
      const ev = f.events!;
      for (let i = 0; i < ev.count; i++) {
        const text = bytes.toString("utf8", ev.jsonStart[i], ev.jsonEnd[i]);
        const stage = ev.commitStage[i] === STAGE_UNKNOWN ? undefined : STAGE_NAMES[ev.commitStage[i]];
        // The decoder's own text for the record (its tracker fed in ring order), with the event's stage.
        expect(text).toBe(eventToJson(ev.raw, ev.rawStart[i], tracker, stage));
        events++;
        if (text.includes('"txn_hash":"0x')) withHash++;
        if (stage) withStage++;
      }
    }
    expect(events).toBe(136_891);
    expect(withHash).toBeGreaterThan(100_000);
    expect(withStage).toBeGreaterThan(100_000);
  });

  it("a blocks-channel client gets its frames while transaction JSON waits for idle turns, and the byte count stays exact", () => {
    const { buffer, blocksSocket, unwrittenAfterIdle, unwrittenAfterPoll } = ingest("blocks client, idle turns");
    expect(unwrittenAfterPoll).toBeGreaterThan(100); // transaction frames wait...
    expect(unwrittenAfterIdle).toBe(0); // ...for idle turns
    expect(ingest("firehose client").unwrittenAfterPoll).toBe(0); // a firehose client needs them at once
    const names = blocksSocket.sent.flatMap((b) => [...b.toString("utf8").matchAll(/"event_name":"(\w+)"/g)].map((m) => m[1]));
    expect(names.filter((n) => n === "BlockEnd").length).toBe(30);
    // The same frames as a blocks client beside a firehose client gets (cut from the full frames' JSON).
    const text = (b: Buffer[]) => b.map((x) => x.toString("utf8"));
    expect(text(blocksSocket.sent)).toEqual(text(ingest("firehose client").blocksSocket.sent));
    let sum = 0;
    for (let s = buffer.oldest; s <= buffer.newest; s++) sum += buffer.get(s)!.size;
    expect(buffer.byteSize).toBe(sum);
  });
});
