// When the hub writes a caught-up client's frames. Frames of one ingest pass are held to go out in
// one write per client, but for at most 0.5 ms, whatever the frames published meanwhile: a
// blocks-channel client must get a block's first frames during a long pass (4,096 events take
// several ms), not when it ends, even though it takes none of the frames that follow. Real capture
// data through the real pipeline; the socket is a recorder, because what is checked is when the hub
// calls it.
import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../src/broadcast/client.js";
import { Hub } from "../src/broadcast/hub.js";
import { ResumeBuffer } from "../src/broadcast/resume-buffer.js";
import { compileSubscription } from "../src/broadcast/subscription.js";
import { CHANNEL_SUBSCRIPTIONS } from "../src/protocol/constants.js";
import { Pipeline } from "../src/server/pipeline.js";
import { RingReader } from "../src/ring/ring-reader.js";
import { GatewayMetrics } from "../src/transport/metrics.js";
import { FIXTURE_30B, fixtureSuite, fixturesMissing } from "./helpers/fixtures.js";

class RecordingSocket implements ClientConnection {
  readonly sent: string[] = [];
  send(bytes: Buffer): boolean {
    this.sent.push(bytes.toString("utf8"));
    return true;
  }
  cork(sends: () => void): void {
    sends();
  }
  close(): void {}
}

describe.skipIf(fixturesMissing !== "")(fixtureSuite("hub write timing on the 30-block capture"), () => {
  it("writes a blocks client's frames during a long pass, though it takes none of the later frames", () => {
    const hub = new Hub(new ResumeBuffer({ maxFrames: 100_000, maxBytes: 1 << 30 }), { maxPendingFrames: 4096, warnEvery: 1000, dropLimit: 10_000 });
    const pipeline = new Pipeline(hub, new GatewayMetrics(), { ringLoss() {}, decodeError() {} }, { maxEventsPerFrame: 256, maxEventsPerPoll: 4096 });
    const socket = new RecordingSocket();
    const sub = compileSubscription({ events: [...CHANNEL_SUBSCRIPTIONS.blocks.events] });
    hub.add(socket, sub, "blocks", "127.0.0.1", 0, []);

    const reader = RingReader.open(FIXTURE_30B);
    const batch = reader.poll(4096); // the first block's start and thousands of its events
    expect(batch.count).toBe(4096);
    pipeline.ingest(batch); // synchronous: no flush() and no microtask has run when it returns
    reader.close();

    const kinds = socket.sent.map((s) => /^\{"server_seqno":\d+,"(\w+)"/.exec(s)![1]);
    expect(kinds).toContain("TPS"); // BLOCK_START's outputs
    expect(socket.sent.some((s) => s.includes('"event_name":"BlockStart"'))).toBe(true);
    hub.flush();
    // Nothing of the blocks channel was left for the end of the pass.
    expect(socket.sent.length).toBe(kinds.length);
  });
});
