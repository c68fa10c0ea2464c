// The open async iterators of a client (events() and frames()), fed from one stream. The client asks
// `full` before taking a frame and pauses the connection while any consumer's buffer is full (see
// FrameQueue for why that loses nothing); `canResume` fires when every buffer has room again.

import type { ExecEvent } from "../generated/index.js";
import type { Gap, StreamFrame } from "./events.js";
import { FrameQueue } from "./frame-queue.js";

/** What frames() yields: stream frames, and gaps where data was lost. */
export type ClientFrame = StreamFrame | { Gap: Gap };

export interface IteratorOptions {
  /** Items buffered for a slow consumer before the client pauses reading; default 10000. */
  bufferSize?: number;
}

type Kind = "events" | "frames";

export class Consumers {
  private readonly queues = new Map<FrameQueue<unknown>, Kind>();

  constructor(private readonly canResume: () => void) {}

  /** A new iterator: "events" yields each ExecEvent, "frames" each stream frame and gap. */
  open<T extends Kind>(kind: T, options: IteratorOptions = {}): FrameQueue<T extends "events" ? ExecEvent : ClientFrame> {
    const q = new FrameQueue<T extends "events" ? ExecEvent : ClientFrame>(options.bufferSize ?? 10_000, {
      drained: () => this.maybeResume(),
      closed: () => {
        this.queues.delete(q);
        this.maybeResume();
      },
    });
    this.queues.set(q, kind);
    return q;
  }

  /** Whether some consumer's buffer is full: take no frame now. */
  get full(): boolean {
    for (const q of this.queues.keys()) if (q.full) return true;
    return false;
  }

  frame(frame: StreamFrame): void {
    for (const [q, kind] of this.queues) {
      if (kind === "frames") q.push(frame);
      else if ("Events" in frame) for (const e of frame.Events) q.push(e);
    }
  }

  gap(gap: Gap): void {
    for (const [q, kind] of this.queues) if (kind === "frames") q.push({ Gap: gap });
  }

  /** Ends every iterator (after its buffered items), with `error` if one is why. */
  endAll(error?: Error): void {
    for (const q of this.queues.keys()) q.end(error);
    this.queues.clear();
  }

  private maybeResume(): void {
    if (!this.full) this.canResume();
  }
}
