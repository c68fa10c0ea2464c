// Where a client is in the gateway's stream, across connections: the resume cursor, duplicate
// suppression, and what is known of any data lost (from Resume and Warning frames).
//
// Rules (gateway/docs/wire-protocol.md §1): stream frames arrive in strictly increasing server_seqno
// within one epoch; a restart starts a new epoch whose seqnos begin again at 1. So a stream frame at
// or below the last one delivered in the same epoch is a duplicate. After a snapshot, the state
// frames carry older seqnos than the position the server put the client at (Resume.newest_seqno);
// they are delivered, and the cursor then stands at that position.

import type { ResumeInfo, Warning } from "../generated/index.js";
import { decrement, increment, type Int } from "../u64.js";
import type { FrameSource, Gap, SeqnoRange } from "./events.js";

const max = (a: Int | null, b: Int | null): Int | null => (a === null ? b : b === null ? a : a >= b ? a : b);

export class StreamPosition {
  private epochId: string | null;
  /** Last stream frame delivered in this epoch. */
  private lastDelivered: Int | null = null;
  /** Where the server placed the current connection (Resume: resume_from, or newest_seqno on a snapshot). */
  private placedAt: Int | null;
  /** On the current connection, frames up to this seqno are replay or snapshot state. */
  private catchUpTop: Int | null = null;
  private mode: "resume" | "snapshot" | null = null;

  constructor(start: { resumeFrom?: Int | null; epoch?: string | null } = {}) {
    this.placedAt = start.resumeFrom ?? null;
    this.epochId = start.epoch ?? null;
  }

  get epoch(): string | null {
    return this.epochId;
  }

  /** The resume cursor: the last position reached, to pass as ?resume_from. */
  get cursor(): Int | null {
    return max(this.lastDelivered, this.placedAt);
  }

  /** A new connection starts: per-connection state is reset. */
  connectionStarted(): void {
    this.mode = null;
    this.catchUpTop = null;
  }

  /** The Resume frame of a connection; returns the loss it reveals, if any. */
  resumed(info: ResumeInfo): Gap | undefined {
    const previousEpoch = this.epochId;
    const cursor = this.cursor;
    const after = { epoch: previousEpoch, serverSeqno: cursor };
    this.mode = info.mode;
    this.catchUpTop = info.newest_seqno;
    const epochChanged = previousEpoch !== null && info.epoch !== previousEpoch;
    this.epochId = info.epoch;
    if (info.mode === "resume") {
      this.placedAt = info.resume_from;
      return undefined;
    }
    if (epochChanged) this.lastDelivered = null; // seqnos restart: the old ones mean nothing now
    this.placedAt = info.newest_seqno;
    if (cursor === null || info.reason === "no_cursor") return undefined;
    switch (info.reason) {
      case "cursor_too_old": {
        const ranges: SeqnoRange[] = [{ epoch: info.epoch, from: increment(cursor), to: decrement(info.oldest_seqno) }];
        return {
          reason: "cursor_too_old",
          message: `away too long: frames ${ranges[0].from}..${ranges[0].to} were evicted from the gateway's resume buffer (oldest now ${info.oldest_seqno}); resumed from a snapshot`,
          ranges,
          after,
        };
      }
      case "epoch_mismatch": {
        const ranges: SeqnoRange[] = [{ epoch: previousEpoch, from: increment(cursor) }];
        if (info.newest_seqno >= 1) ranges.push({ epoch: info.epoch, from: 1, to: info.newest_seqno });
        return {
          reason: "gateway_restarted",
          message: `the gateway restarted (epoch ${previousEpoch} → ${info.epoch}): frames after ${cursor} of the old run, and ${info.newest_seqno} of the new one, were not replayed; resumed from a snapshot`,
          ranges,
          after,
        };
      }
      default:
        return {
          reason: info.reason,
          message: `the gateway could not resume from ${cursor} (${info.reason}: its buffer holds ${info.oldest_seqno}..${info.newest_seqno}); what happened in between is unknown; resumed from a snapshot`,
          ranges: [],
          after,
        };
    }
  }

  /** A stream frame arrived: how it reached the client, or null for a duplicate. */
  accept(serverSeqno: Int): FrameSource | null {
    if (this.lastDelivered !== null && serverSeqno <= this.lastDelivered) return null;
    this.lastDelivered = serverSeqno;
    if (this.catchUpTop !== null && serverSeqno <= this.catchUpTop) return this.mode === "snapshot" ? "snapshot" : "replay";
    return "live";
  }

  /** A Warning frame; returns the loss it announces, if any. */
  warned(w: Warning): Gap | undefined {
    const after = { epoch: this.epochId, serverSeqno: this.cursor };
    switch (w.type) {
      case "backpressure":
        return {
          reason: "backpressure",
          message: `the gateway dropped ${w.dropped} frames (${w.first_dropped_seqno}..${w.last_dropped_seqno}) because this client read too slowly; ${w.total_dropped} of ${w.drop_limit} allowed before it disconnects`,
          ranges: [{ epoch: this.epochId, from: w.first_dropped_seqno, to: w.last_dropped_seqno }],
          count: w.dropped,
          after,
        };
      case "ring_gap":
      case "payload_expired":
        return { reason: w.type, message: `${w.lost_events} events lost before the gateway read them: ${w.message}`, ranges: [], count: w.lost_events, after };
      default:
        return undefined;
    }
  }
}
