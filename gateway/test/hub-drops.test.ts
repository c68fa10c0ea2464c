// What a client relies on when it reads slower than the gateway publishes: the stream frames it gets
// come in seqno order, and every frame it wanted but did not get is inside the seqno range of a
// backpressure Warning (the SDK turns each into a gap; a frame outside every range is a silent loss).
// Random interleavings of publishes, flushes, backpressure, drains, evictions and control frames
// (fast-check) against the real Hub and ResumeBuffer; the socket records what the hub writes and
// reports backpressure when the script says the peer stopped reading. With topics on, a fake
// transport behaves as uWS does (gateway/test/uws-topic-order.test.ts): topic frames wait until the
// turn ends or a direct send to that socket, and the endpoint's unsubscribe delivers them first.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClientConnection } from "../src/broadcast/client.js";
import { Frame, FrameKind, valueFrameBytes } from "../src/broadcast/frame.js";
import { Hub } from "../src/broadcast/hub.js";
import { ResumeBuffer } from "../src/broadcast/resume-buffer.js";
import { compileSubscription } from "../src/broadcast/subscription.js";

class ScriptedSocket implements ClientConnection {
  readonly sent: string[] = [];
  /** The peer stopped reading: every send from now on reports backpressure (the bytes are buffered). */
  full = false;
  /** Seqno of the newest published frame when the hub closed the socket (slow client), else null. */
  closedAt: number | null = null;
  constructor(private readonly newest: () => number) {}
  send(bytes: Buffer): boolean {
    if (this.closedAt !== null) throw new Error("sent on a closed socket");
    this.sent.push(bytes.toString("utf8"));
    return !this.full;
  }
  cork(sends: () => void): void {
    sends();
  }
  close(): void {
    this.closedAt = this.newest();
    this.pending.length = 0;
    this.topics?.members.delete(this);
  }
  /** Topic frames published to this socket, written when the turn ends or before a direct send. */
  readonly pending: string[] = [];
  topics: FakeTopics | null = null;
  deliverPending(): void {
    this.sent.push(...this.pending);
    this.pending.length = 0;
  }
}

/** uWS topics as the hub sees them; one topic per group, and this test has one client. */
class FakeTopics {
  readonly members = new Map<ScriptedSocket, string>();
  publish(topic: string, bytes: Buffer): void {
    for (const [s, t] of this.members) if (t === topic) s.pending.push(bytes.toString("utf8"));
  }
  endTurn(): void {
    for (const s of this.members.keys()) s.deliverPending();
  }
}

class TopicSocket extends ScriptedSocket {
  constructor(newest: () => number, readonly fake: FakeTopics) {
    super(newest);
    this.topics = fake;
  }
  override send(bytes: Buffer): boolean {
    this.deliverPending(); // uWS drains a subscriber's pending topic frames before a direct send
    return super.send(bytes);
  }
  subscribe(topic: string): void {
    this.fake.members.set(this, topic);
  }
  unsubscribe(): void {
    this.deliverPending(); // the endpoint pings first: a send, so pending frames go out
    this.fake.members.delete(this);
  }
  bufferedAmount(): number {
    return this.full ? 2 << 20 : 0; // a stalled peer: more than the hub lets a topic member hold
  }
}

type Action =
  | { op: "publish"; kind: "TPS" | "Lifecycle"; n: number }
  | { op: "flush" }
  | { op: "stall" }
  | { op: "drain" }
  | { op: "control" }
  | { op: "warnAll" }
  | { op: "endTurn" }
  | { op: "sweep" };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant("publish" as const), kind: fc.constantFrom("TPS" as const, "Lifecycle" as const), n: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 3, arbitrary: fc.constant({ op: "flush" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "stall" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "drain" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "control" as const }) },
  { weight: 1, arbitrary: fc.constant({ op: "warnAll" as const }) },
  { weight: 3, arbitrary: fc.constant({ op: "endTurn" as const }) },
  { weight: 2, arbitrary: fc.constant({ op: "sweep" as const }) },
);

interface Warning {
  dropped: number;
  first_dropped_seqno: number;
  last_dropped_seqno: number;
}

function run(actions: Action[], opts: { bufferFrames: number; queue: number; warnEvery: number; dropLimit: number; resumeBack: number; topics: boolean }) {
  const buffer = new ResumeBuffer({ maxFrames: opts.bufferFrames, maxBytes: 1 << 30 });
  const hub = new Hub(buffer, { maxPendingFrames: opts.queue, warnEvery: opts.warnEvery, dropLimit: opts.dropLimit });
  const fake = new FakeTopics();
  if (opts.topics) hub.publisher = (topic, bytes) => fake.publish(topic, bytes);
  const endTurn = () => {
    fake.endTurn();
    hub.turnStarted();
  };
  const kinds = new Map<number, string>();
  const publish = (kind: "TPS" | "Lifecycle") => {
    const seqno = buffer.newest + 1;
    kinds.set(seqno, kind);
    hub.publish(new Frame(seqno, kind === "TPS" ? FrameKind.TPS : FrameKind.Lifecycle, valueFrameBytes(seqno, kind, "{}")));
  };
  // Some history, so a client can connect with a resume replay owed to it.
  for (let i = 0; i < opts.resumeBack; i++) publish(i % 3 === 0 ? "Lifecycle" : "TPS");
  hub.flush();
  const socket = opts.topics ? new TopicSocket(() => buffer.newest, fake) : new ScriptedSocket(() => buffer.newest);
  const start = buffer.newest - opts.resumeBack;
  const client = hub.add(socket, compileSubscription({ events: ["TPS"] }), "ws", "127.0.0.1", start, []);
  for (const a of actions) {
    if (socket.closedAt !== null) break;
    if (a.op === "publish") for (let i = 0; i < a.n; i++) publish(a.kind);
    else if (a.op === "flush") hub.flush();
    else if (a.op === "stall") socket.full = true;
    else if (a.op === "drain") {
      socket.full = false;
      hub.drained(client);
    } else if (a.op === "control") hub.sendControl(client, Buffer.from(`{"server_seqno":0,"Pong":{}}`));
    else if (a.op === "endTurn") endTurn();
    else if (a.op === "sweep") {
      hub.sweepTopics();
      // a stalled member leaves the topic: its socket's buffer must not grow towards uWS's drop limit
      if (socket.full && client.onTopic) throw new Error("a stalled client stayed on its topic after a sweep");
    }
    else hub.warnAll({ type: "ring_gap" });
  }
  hub.flush();
  endTurn();
  socket.full = false;
  if (socket.closedAt === null) hub.drained(client);
  endTurn();

  const stream: number[] = [];
  const warnings: Warning[] = [];
  for (const s of socket.sent) {
    const m = JSON.parse(s) as { server_seqno: number; Warning?: Warning & { type: string }; Pong?: object };
    if (m.Warning?.type === "backpressure") warnings.push(m.Warning);
    else if (!m.Warning && !m.Pong) stream.push(m.server_seqno);
  }
    // After a slow-client close the client resumes from the last frame it got: what follows that, and
  // the last announced loss, is not lost but not yet sent.
  const end = socket.closedAt === null ? buffer.newest : Math.max(stream.at(-1) ?? start, warnings.at(-1)?.last_dropped_seqno ?? start);
  const wanted = [...kinds].filter(([s, k]) => s > start && s <= end && k === "TPS").map(([s]) => s);
  return { stream, warnings, wanted, client, socket };
}

const options = fc.record({
  bufferFrames: fc.integer({ min: 8, max: 60 }),
  queue: fc.integer({ min: 1, max: 8 }),
  warnEvery: fc.integer({ min: 1, max: 6 }),
  dropLimit: fc.oneof(fc.constant(1e9), fc.integer({ min: 1, max: 30 })),
  resumeBack: fc.integer({ min: 0, max: 6 }),
  topics: fc.boolean(),
});

describe("a slow client's losses (hub, random schedules)", () => {
  it("stream frames arrive in seqno order, only wanted ones, and every wanted frame not sent is inside a Warning's range", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), options, (actions, opts) => {
        const { stream, warnings, wanted } = run(actions, opts);
        for (let i = 1; i < stream.length; i++) expect(stream[i]).toBeGreaterThan(stream[i - 1]);
        const wantedSet = new Set(wanted);
        expect(stream.filter((s) => !wantedSet.has(s))).toEqual([]);
        const got = new Set(stream);
        const missing = wanted.filter((s) => !got.has(s));
        const covered = (s: number) => warnings.some((w) => s >= w.first_dropped_seqno && s <= w.last_dropped_seqno);
        expect(missing.filter((s) => !covered(s))).toEqual([]);
      }),
      { numRuns: Number(process.env.HUB_RUNS ?? 2000) },
    );
  });

  it("each Warning's range holds exactly the frames it counts: none the client got, none counted twice", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 60 }), options, (actions, opts) => {
        const { stream, warnings, wanted } = run(actions, opts);
        const got = new Set(stream);
        const missing = wanted.filter((s) => !got.has(s));
        let counted = 0;
        let prevLast = 0;
        for (const w of warnings) {
          expect(w.first_dropped_seqno).toBeLessThanOrEqual(w.last_dropped_seqno);
          expect(w.first_dropped_seqno).toBeGreaterThan(prevLast);
          prevLast = w.last_dropped_seqno;
          const inRange = wanted.filter((s) => s >= w.first_dropped_seqno && s <= w.last_dropped_seqno);
          expect(inRange.filter((s) => got.has(s))).toEqual([]);
          expect(w.dropped).toBe(inRange.length);
          counted += w.dropped;
        }
        expect(counted).toBe(missing.length);
      }),
      { numRuns: Number(process.env.HUB_RUNS ?? 2000) },
    );
  });
});
