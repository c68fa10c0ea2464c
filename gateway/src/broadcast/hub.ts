// Fans frames out to clients. Clients with the same subscription form a group, so the bytes of a frame
// for that subscription are computed once per group. A client that is caught up and writable gets the
// frames of an ingest pass in one corked write when the pass ends (flush): one syscall per client per
// pass instead of one per frame, and at most MAX_HOLD_MS after the first of them was queued, whoever
// takes the frames that come meanwhile: a blocks client's frame does not wait for the end of a long
// pass (thousands of events, several ms). Each early write is one write per client, so holding for
// the rest of a short pass matters at 1,000 clients (measured: flushing a group whenever a frame it
// does not take came tripled blocks-channel latency there). Any other client catches up from the
// resume buffer on drain. A client that lets more than `maxPendingFrames` wanted frames pile up loses
// the oldest of them (counted, announced by a Warning every `warnEvery` drops), and is closed after
// `dropLimit` drops.
// With a `publisher` (uWS topics), caught-up clients instead join their group's topic: one publish
// per frame and group, and the transport writes to every member in C++ when the JS turn ends
// (measured at 1,000 blocks clients: p99 27 ms, on the uWS publish peer's 28, where per-client
// writes gave 51). A member that falls behind leaves the topic (sweepTopics) and is served per client.
import { Client, type ClientConnection } from "./client.js";
import type { Frame } from "./frame.js";
import type { ResumeBuffer } from "./resume-buffer.js";
import { compileSubscription, type Subscription } from "./subscription.js";
import { bytesFor } from "./variants.js";

export interface HubOptions {
  maxPendingFrames: number;
  warnEvery: number;
  dropLimit: number;
}

export const SLOW_CLIENT_CLOSE_CODE = 4008;

/** Longest a queued live frame waits for the rest of its ingest pass before it is written anyway. */
const MAX_HOLD_MS = 0.5;

export interface HubObserver {
  /** A frame was published; `liveSends` caught-up clients got it at once (just now). */
  published?(frame: Frame, liveSends: number): void;
  /** `frames` frames of `bytes` in all were handed to sockets (one client's, or a topic's members'). */
  sent?(frames: number, bytes: number): void;
  dropped?(client: Client, count: number): void;
  slowDisconnect?(client: Client): void;
}

interface Group {
  sub: Subscription;
  clients: Set<Client>;
  /** Its clients that are not topic members: publish() walks only these (the rest are `clients`). */
  direct: Set<Client>;
  /** The transport topic its caught-up clients are members of (see `publisher`). */
  topic: string;
  /** The last frame published to the topic: every member's position (members are not walked per frame). */
  topicSeqno: number;
  /** Bytes published to the topic since its members' sockets were last checked. */
  topicBytes: number;
}

/** Clients of the group on its topic (the rest are in `direct`). */
function topicMembers(g: Group): number {
  return g.clients.size - g.direct.size;
}

/** A topic member with more than this waiting in its socket leaves the topic (it is not keeping up). */
const TOPIC_LEAVE_BUFFERED = 1 << 20;
/**
 * Members are checked at least every this many bytes published to their topic (and every 100 ms by
 * the transport), so a stalled member's socket holds at most ~9 MiB of topic frames: far from the
 * 64 MiB beyond which uWS would drop a message silently.
 */
const TOPIC_SWEEP_BYTES = 8 << 20;

export class Hub {
  private readonly groups = new Map<string, Group>();
  private readonly lagging = new Set<Client>();
  private readonly dirty: Client[] = [];
  private flushQueued = false;
  private queuedAt = 0;
  private nextId = 1;
  private count = 0;
  observer: HubObserver = {};
  /**
   * Topic fan-out in the transport (uWS publish): a caught-up client whose connection can subscribe
   * joins its group's topic, and each frame goes to all of them in one call instead of one send per
   * client. Null: every live frame is sent per client.
   */
  publisher: ((topic: string, bytes: Buffer) => void) | null = null;
  private nextTopic = 1;
  /** When this JS turn published its first topic frame (0: none). The transport sends them when the turn ends. */
  private topicHeldSince = 0;

  constructor(
    readonly buffer: ResumeBuffer,
    readonly options: HubOptions,
  ) {
    buffer.onEvict((f) => this.evicted(f));
  }

  get clientCount(): number {
    return this.count;
  }

  *clients(): IterableIterator<Client> {
    for (const g of this.groups.values()) yield* g.clients;
  }

  /** Adds a client positioned at `position` (frames after it are owed to it) with control frames queued. */
  add(conn: ClientConnection, sub: Subscription, channel: string, ip: string, position: number, control: Buffer[]): Client {
    const c = new Client(this.nextId++, conn, sub, channel, ip);
    c.position = position;
    c.replayEnd = this.buffer.newest;
    c.dropFront = c.replayEnd;
    c.control.push(...control);
    this.join(c);
    this.count++;
    this.lagging.add(c);
    this.pump(c);
    return c;
  }

  remove(c: Client): void {
    if (c.closed) return;
    c.closed = true;
    this.leaveTopic(c, false); // the socket is closing: the transport drops its subscriptions itself
    this.leave(c);
    this.lagging.delete(c);
    this.count--;
  }

  /** Replaces a client's subscription; its place in the stream is kept. */
  resubscribe(c: Client, sub: Subscription): void {
    this.leaveTopic(c);
    this.leave(c);
    c.sub = sub;
    c.pendingWanted = 0;
    this.join(c);
  }

  /** Queues a per-connection frame (Warning, Error, ...) and sends it as soon as the socket allows. */
  sendControl(c: Client, bytes: Buffer): void {
    if (c.closed) return;
    c.control.push(bytes);
    if (!c.blocked) this.pump(c);
  }

  /** Sends a Warning to every client (ring losses, writer gone or back). */
  warnAll(body: object): void {
    const json = JSON.stringify(body);
    for (const c of [...this.clients()]) this.sendControl(c, Buffer.from(`{"server_seqno":${c.streamPosition(this.buffer.newest)},"Warning":${json}}`));
  }

  /**
   * Stores a new stream frame and queues it for every caught-up client that wants it. The frames go
   * out at flush(): called after each ingest pass, and in any case before the current task ends.
   */
  publish(frame: Frame): void {
    this.buffer.append(frame);
    let liveSends = 0;
    for (const g of this.groups.values()) {
      let bytes: Buffer | null | undefined;
      const members = topicMembers(g);
      if (members > 0) {
        bytes = bytesFor(frame, g.sub, this.buffer);
        if (bytes === null) continue;
        this.publisher!(g.topic, bytes);
        g.topicSeqno = frame.seqno;
        liveSends += members;
        this.observer.sent?.(members, members * bytes.length);
        if (this.topicHeldSince === 0) this.topicHeldSince = performance.now();
        g.topicBytes += bytes.length;
        if (g.topicBytes > TOPIC_SWEEP_BYTES) this.sweepGroup(g);
      }
      for (const c of g.direct) {
        if (bytes === undefined) bytes = bytesFor(frame, g.sub, this.buffer);
        if (bytes === null) break;
        if (c.live && !c.blocked) {
          liveSends++;
          if (c.outbox.length === 0) this.dirty.push(c);
          c.outbox.push(bytes);
          c.outboxSeqnos.push(frame.seqno);
          c.position = frame.seqno;
        } else if (!c.closed) {
          c.pendingWanted++;
          if (c.pendingWanted > this.options.maxPendingFrames) this.dropOldest(c);
        }
      }
    }
    if (liveSends > 0 && !this.flushQueued) {
      this.flushQueued = true;
      this.queuedAt = performance.now();
      queueMicrotask(this.flush);
    } else if (this.flushQueued && performance.now() - this.queuedAt > MAX_HOLD_MS) {
      // A long ingest pass: batching must not add more than this to latency. Checked on every frame,
      // not only on frames someone takes: a blocks client's frame must not wait for the pass to end.
      this.flush();
    }
    this.observer.published?.(frame, liveSends);
  }

  /**
   * Topic frames have waited more than MAX_HOLD_MS for the turn to end (the transport writes them
   * only then): the caller should end its turn, as flush() does for per-client frames.
   */
  topicsOverdue(): boolean {
    return this.topicHeldSince > 0 && performance.now() - this.topicHeldSince > MAX_HOLD_MS;
  }

  /** A new JS turn: the transport has written what earlier turns published to topics. */
  turnStarted(): void {
    this.topicHeldSince = 0;
  }

  /** Writes every client's queued live frames, one corked write per client. */
  readonly flush = (): void => {
    this.flushQueued = false;
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) {
      const c = dirty[i];
      if (c.closed) {
        c.outbox.length = 0;
        c.outboxSeqnos.length = 0;
      } else if (c.outbox.length === 1) {
        this.sendOutbox(c); // one frame is one write anyway: skip the cork round trip
      } else if (c.outbox.length > 1) {
        c.conn.cork(() => this.sendOutbox(c));
      }
    }
    dirty.length = 0;
  };

  /** Sends the client's outbox; at the first backpressure the rest is left to catch-up from the buffer. */
  private sendOutbox(c: Client): void {
    const out = c.outbox;
    const seqnos = c.outboxSeqnos;
    const n = out.length;
    let i = 0;
    let backpressured = c.blocked;
    while (!backpressured && i < n) {
      const bytes = out[i++];
      this.observer.sent?.(1, bytes.length);
      backpressured = !c.conn.send(bytes);
    }
    if (backpressured) {
      // The rest waits for drain, read from the resume buffer like any catch-up. Those already evicted
      // from it (a pass longer than the buffer) are lost: counted here, as eviction counts only for
      // clients that were lagging when it happened.
      c.position = i === 0 ? seqnos[0] - 1 : seqnos[i - 1];
      this.block(c);
      c.pendingWanted = 0;
      for (let k = i; k < n; k++) {
        if (seqnos[k] < this.buffer.oldest) this.countDrop(c, seqnos[k]);
        else c.pendingWanted++;
      }
    }
    out.length = 0;
    seqnos.length = 0;
  }

  /** The socket drained: send what the client is owed. */
  drained(c: Client): void {
    if (!c.closed) this.pump(c);
  }

  /**
   * The socket is backpressured. A live client becomes a lagging one at its current position: from
   * now on it reads from the resume buffer, and frames evicted before it gets there count as drops.
   */
  private block(c: Client): void {
    this.leaveTopic(c);
    c.blocked = true;
    if (c.live) {
      c.live = false;
      this.lagging.add(c);
    }
  }

  private pump(c: Client): void {
    if (c.onTopic) this.syncTopicPosition(c);
    c.blocked = false;
    // Live frames queued before this call go first: they precede anything queued now.
    if (c.outbox.length > 0) {
      this.sendOutbox(c);
      if (c.blocked) return;
    }
    while (c.control.length > 0) {
      const b = c.control.shift()!;
      this.observer.sent?.(1, b.length);
      if (!c.conn.send(b)) {
        this.block(c);
        return;
      }
    }
    const buf = this.buffer;
    while (c.position < buf.newest && !c.closed) {
      let next = c.position + 1;
      if (next > c.replayEnd && next <= c.dropFront) next = c.dropFront + 1;
      if (next < buf.oldest) next = buf.oldest; // evicted before we got there: counted at eviction
      if (next > buf.newest) {
        c.position = buf.newest;
        break;
      }
      c.position = next;
      const f = buf.get(next)!;
      const bytes = bytesFor(f, c.sub, buf);
      if (bytes === null) continue;
      if (next > c.replayEnd) c.pendingWanted = Math.max(0, c.pendingWanted - 1);
      this.observer.sent?.(1, bytes.length);
      if (!c.conn.send(bytes)) {
        c.blocked = true;
        return;
      }
    }
    if (c.closed) return;
    c.live = true;
    c.pendingWanted = 0;
    this.lagging.delete(c);
    if (c.droppedUnannounced > 0) this.announceDrops(c);
    if (!c.blocked && !c.closed) this.joinTopic(c);
  }

  private joinTopic(c: Client): void {
    if (c.onTopic || this.publisher === null || !c.conn.subscribe) return;
    const g = this.groups.get(c.sub.key)!;
    c.conn.subscribe(g.topic);
    c.onTopic = true;
    g.direct.delete(c);
  }

  /** A member has every frame published to its topic so far. */
  private syncTopicPosition(c: Client): void {
    const seqno = this.groups.get(c.sub.key)!.topicSeqno;
    if (seqno > c.position) c.position = seqno;
  }

  /** `socketOpen`: unsubscribe (the transport first delivers the topic frames still pending for it). */
  private leaveTopic(c: Client, socketOpen = true): void {
    if (!c.onTopic) return;
    this.syncTopicPosition(c);
    const g = this.groups.get(c.sub.key)!;
    if (socketOpen) c.conn.unsubscribe!(g.topic);
    c.onTopic = false;
    g.direct.add(c);
  }

  /**
   * Topic members with more than TOPIC_LEAVE_BUFFERED waiting in their socket leave the topic as
   * blocked clients at the last frame published to them (the transport never drops a topic frame
   * below its 64 MiB limit, and delivers pending ones before unsubscribing), then catch up from the
   * resume buffer on drain like any other client. Called by the transport every 100 ms.
   */
  sweepTopics(): void {
    for (const g of this.groups.values()) if (topicMembers(g) > 0) this.sweepGroup(g);
  }

  private sweepGroup(g: Group): void {
    g.topicBytes = 0;
    for (const c of g.clients) if (c.onTopic && c.conn.bufferedAmount!() > TOPIC_LEAVE_BUFFERED) this.block(c);
  }

  /** Drops the oldest wanted frame the client has not been sent (never one of its resume replay). */
  private dropOldest(c: Client): void {
    const buf = this.buffer;
    let s = Math.max(c.position, c.replayEnd, c.dropFront) + 1;
    for (; s <= buf.newest; s++) {
      const f = buf.get(s);
      if (f && bytesFor(f, c.sub, buf) !== null) break;
    }
    if (c.position >= c.replayEnd) c.position = s;
    else c.dropFront = s;
    c.pendingWanted--;
    this.countDrop(c, s);
  }

  private evicted(f: Frame): void {
    for (const c of this.lagging) {
      if (c.closed || c.position >= f.seqno) continue;
      if (f.seqno > c.replayEnd && f.seqno <= c.dropFront) continue; // already dropped
      if (bytesFor(f, c.sub) === null) continue;
      if (f.seqno > c.replayEnd) c.pendingWanted = Math.max(0, c.pendingWanted - 1);
      this.countDrop(c, f.seqno);
    }
  }

  private countDrop(c: Client, seqno: number): void {
    if (c.droppedUnannounced === 0) c.firstDropped = seqno;
    c.lastDropped = seqno;
    c.droppedUnannounced++;
    c.droppedTotal++;
    this.observer.dropped?.(c, 1);
    if (c.droppedTotal >= this.options.dropLimit) {
      this.announceDrops(c);
      this.observer.slowDisconnect?.(c);
      const reason = `slow client: ${c.droppedTotal} frames dropped (limit ${this.options.dropLimit})`;
      this.remove(c);
      c.conn.close(SLOW_CLIENT_CLOSE_CODE, reason);
    } else if (c.droppedUnannounced >= this.options.warnEvery) {
      this.announceDrops(c);
    }
  }

  private announceDrops(c: Client): void {
    const body = {
      type: "backpressure",
      dropped: c.droppedUnannounced,
      total_dropped: c.droppedTotal,
      drop_limit: this.options.dropLimit,
      first_dropped_seqno: c.firstDropped,
      last_dropped_seqno: c.lastDropped,
    };
    c.droppedUnannounced = 0;
    const bytes = Buffer.from(`{"server_seqno":${c.streamPosition(this.buffer.newest)},"Warning":${JSON.stringify(body)}}`);
    // A Warning goes out at once, even into a backpressured socket (uWS buffers it): the client must
    // learn of a loss before any later data, and before a slow-client close. There are at most
    // dropLimit / warnEvery of them per client.
    if (c.closed) return;
    this.observer.sent?.(1, bytes.length);
    if (!c.conn.send(bytes)) this.block(c);
  }

  private join(c: Client): void {
    let g = this.groups.get(c.sub.key);
    if (!g) this.groups.set(c.sub.key, (g = { sub: c.sub, clients: new Set(), direct: new Set(), topic: `g${this.nextTopic++}`, topicSeqno: 0, topicBytes: 0 }));
    g.clients.add(c);
    g.direct.add(c);
  }

  private leave(c: Client): void {
    const g = this.groups.get(c.sub.key);
    if (!g) return;
    g.clients.delete(c);
    g.direct.delete(c);
    if (g.clients.size === 0) this.groups.delete(c.sub.key);
  }
}

export { compileSubscription };
