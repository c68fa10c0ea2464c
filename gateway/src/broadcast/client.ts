// One connected client, as the hub sees it: a cursor into the resume buffer plus drop accounting.
// There is no per-client copy of frames: the "queue" is the stretch of the shared buffer between the
// cursor and the newest frame, bounded by how many of those frames the client wants.
import type { Subscription } from "./subscription.js";

/** The transport side of a client (a WebSocket in production). */
export interface ClientConnection {
  /** Queues bytes on the socket; false when the socket is now backpressured (wait for drain). */
  send(bytes: Buffer): boolean;
  /** Runs `sends` with the socket corked, so the frames it sends leave in one write. */
  cork(sends: () => void): void;
  close(code: number, reason: string): void;
  /** Topic fan-out (optional, all three or none): the transport delivers a topic's frames itself. */
  subscribe?(topic: string): void;
  /** Must deliver the topic frames still pending for this socket before leaving the topic. */
  unsubscribe?(topic: string): void;
  /** Bytes queued on the socket, not yet written to the kernel. */
  bufferedAmount?(): number;
}

export class Client {
  /** Last stream seqno delivered, queued in the outbox or passed over. */
  position = 0;
  /** Caught up: new frames are sent as they are published. */
  live = false;
  /** The socket is backpressured; wait for drain. */
  blocked = false;
  /** Frames at or below this seqno were in the buffer at connect: a resume replay, never dropped for backpressure. */
  replayEnd = 0;
  /** Frames in (replayEnd, dropFront] were dropped while the client was replaying. */
  dropFront = 0;
  /** Wanted frames published after connect and not yet sent. */
  pendingWanted = 0;
  /** Live frames of the current ingest pass, sent together (one corked write) when the pass ends. */
  readonly outbox: Buffer[] = [];
  readonly outboxSeqnos: number[] = [];
  /** Per-connection frames (Hello, Resume, snapshot, Warning, Error) sent before the next stream frame. */
  readonly control: Buffer[] = [];
  droppedTotal = 0;
  droppedUnannounced = 0;
  firstDropped = 0;
  lastDropped = 0;
  closed = false;
  /** A member of its group's topic: live frames reach it through the transport's publish. */
  onTopic = false;
  /** A catch-up is scheduled for the next tick (transport bookkeeping). */
  resumeScheduled = false;

  constructor(
    readonly id: number,
    readonly conn: ClientConnection,
    public sub: Subscription,
    readonly channel: string,
    readonly ip: string,
  ) {}

  /** The seqno control frames carry: the client's place in the stream. */
  streamPosition(newest: number): number {
    return this.live ? newest : this.position;
  }
}
