// One target's view of the gateway: its own GatewayClient from its own position, yielding frames in
// server_seqno order, and a `jump` wherever the position must move other than frame by frame.
//
// The SDK resumes losslessly across reconnects, and reports a snapshot (the gateway could not
// replay) as a gap and carries on from the gateway's newest frame. The relay does better while the
// gateway still holds frames: on a snapshot it records exactly what is gone and reconnects from the
// oldest frame still held (after a gateway restart: the new run's first frame), so only frames
// that no longer exist anywhere are reported lost. Frames a backpressure drop skipped are still
// buffered too: the stream reconnects from just before them.
import { GatewayClient, type Channel, type Gap, type ResumeInfo, type Subscription } from "@monad-gateway/sdk";
import type { Logger } from "pino";
import { queuedFrame, type QueuedFrame } from "../delivery/batch.js";
import type { Cursor } from "../state/cursor-store.js";
import { sleep } from "../util/sleep.js";

export interface GapRecord {
  /** SDK gap reason (cursor_too_old, gateway_restarted, cursor_in_future, ring_gap, payload_expired). */
  reason: string;
  detail: string;
  epoch: string | null;
  /** Lost server_seqnos, inclusive; null where unknown (ring losses never had seqnos). */
  from: number | null;
  to: number | null;
  /** Ring events lost, when counted. */
  count?: number;
}

export type StreamItem = { kind: "frame"; frame: QueuedFrame } | { kind: "jump"; to: Cursor; gap?: GapRecord } | { kind: "gap"; gap: GapRecord };

export interface GatewayStreamOptions {
  url: string;
  channel: Channel;
  subscription: Subscription;
  queueFrames: number;
  /** Where to continue from; null: no cursor yet (use `startMode`). */
  start: Cursor | null;
  startMode: "latest" | "earliest";
  clientName: string;
  log: Logger;
}

interface Restart {
  to: Cursor;
  gap?: GapRecord;
}

const RETRY_FAILED_CLIENT_MS = 5000;

export class GatewayStream {
  private position: Cursor | null;
  private client: GatewayClient | null = null;
  private lastError: string | null = null;

  constructor(private readonly o: GatewayStreamOptions) {
    this.position = o.start;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Why the connection is failing, if it is. */
  get error(): string | null {
    return this.lastError;
  }

  /** Ends the stream: the iterator finishes after the frames already buffered. */
  stop(): void {
    this.client?.disconnect();
  }

  async *items(stopped: AbortSignal): AsyncGenerator<StreamItem> {
    while (!stopped.aborted) {
      let restart: Restart | null = null;
      const notes: GapRecord[] = [];
      let epoch: string | null = this.position?.epoch ?? null;
      const from = this.position;
      const client = new GatewayClient({
        url: this.o.url,
        channel: this.o.channel,
        subscription: this.o.subscription,
        clientName: this.o.clientName,
        backoff: { initialMs: 500, maxMs: 10_000 },
        ...(from ? { resumeFrom: from.serverSeqno, epoch: from.epoch } : {}),
      });
      this.client = client;
      const planRestart = (r: Restart) => {
        restart ??= r;
        client.disconnect(); // the frames already queued are still yielded, then the iterator ends
      };
      client.on("resume", (info) => {
        const decision = this.onResume(info, epoch);
        if (decision === "continue") epoch = info.epoch;
        else planRestart(decision);
      });
      client.on("gap", (gap) => {
        const r = this.onGap(gap, epoch);
        if (r === null) return;
        if ("detail" in r) notes.push(r);
        else planRestart(r);
      });
      client.on("connected", () => (this.lastError = null));
      client.on("error", (e) => {
        this.lastError = e.message;
        this.o.log.warn({ err: e.message }, "gateway connection problem");
      });
      if (stopped.aborted) client.disconnect();
      const onStop = () => client.disconnect();
      stopped.addEventListener("abort", onStop, { once: true });
      const frames = client.frames({ bufferSize: this.o.queueFrames });
      client.connect().catch(() => {}); // failures arrive as "error" events; the client keeps trying
      try {
        for await (const item of frames) {
          for (const gap of notes.splice(0)) yield { kind: "gap", gap };
          if ("Gap" in item) continue; // the listeners above have handled it
          const seqno = Number(item.server_seqno);
          if (epoch === null) continue; // cannot happen: frames follow a Resume
          // Snapshot state frames and anything at or before the position were handled already.
          if (this.position && this.position.epoch === epoch && seqno <= this.position.serverSeqno) continue;
          this.position = { epoch, serverSeqno: seqno };
          yield { kind: "frame", frame: queuedFrame(item, epoch) };
        }
      } catch (err) {
        // The client gave up (the gateway refused the subscription or the route): say so, try later.
        this.lastError = (err as Error).message;
        this.o.log.error({ err: this.lastError }, "gateway refused the connection; retrying in a while");
        await sleep(RETRY_FAILED_CLIENT_MS, stopped);
      } finally {
        stopped.removeEventListener("abort", onStop);
        client.disconnect();
      }
      for (const gap of notes.splice(0)) yield { kind: "gap", gap };
      const r = restart as Restart | null;
      if (r !== null && !stopped.aborted) {
        this.position = r.to;
        yield { kind: "jump", to: r.to, ...(r.gap ? { gap: r.gap } : {}) };
      }
    }
  }

  /** A connection's Resume: carry on, or reconnect from elsewhere (and what was lost). */
  private onResume(info: ResumeInfo, epoch: string | null): "continue" | Restart {
    if (info.mode === "resume") return "continue";
    const cursor = info.resume_from === undefined ? null : Number(info.resume_from);
    const oldest = Number(info.oldest_seqno);
    const newest = Number(info.newest_seqno);
    switch (info.reason) {
      case "no_cursor": {
        // First start of this target: pin the start position, then resume from it, so that nothing
        // between this Resume and the first batch can slip by.
        const at = this.o.startMode === "earliest" ? Math.max(0, oldest - 1) : newest;
        return { to: { epoch: info.epoch, serverSeqno: at } };
      }
      case "buffer_empty":
        // A fresh gateway run with nothing buffered yet: there is nothing to replay, nothing lost.
        if (epoch === info.epoch && cursor === 0) return "continue";
        return { to: { epoch: info.epoch, serverSeqno: 0 }, gap: { reason: "buffer_empty", detail: `the gateway's buffer was empty; frames after ${cursor} are unknown`, epoch, from: null, to: null } };
      case "cursor_too_old":
        return {
          to: { epoch: info.epoch, serverSeqno: oldest - 1 },
          gap: {
            reason: "cursor_too_old",
            detail: `frames ${(cursor ?? 0) + 1}..${oldest - 1} were evicted from the gateway's resume buffer before this target read them`,
            epoch: info.epoch,
            from: (cursor ?? 0) + 1,
            to: oldest - 1,
          },
        };
      case "epoch_mismatch":
        // The gateway restarted: the rest of the old run is gone; the new run is read from its start.
        return {
          to: { epoch: info.epoch, serverSeqno: 0 },
          gap: {
            reason: "gateway_restarted",
            detail: `the gateway restarted (epoch ${epoch} → ${info.epoch}); frames of the old run after ${cursor} were never read and no longer exist`,
            epoch,
            from: cursor === null ? null : cursor + 1,
            to: null,
          },
        };
      default:
        return {
          to: { epoch: info.epoch, serverSeqno: newest },
          gap: { reason: info.reason, detail: `the gateway could not resume from ${cursor} (${info.reason}); frames up to ${newest} are unknown`, epoch, from: null, to: null },
        };
    }
  }

  /** Warnings the SDK reported as gaps (snapshots are handled in onResume). */
  private onGap(gap: Gap, epoch: string | null): Restart | GapRecord | null {
    if (gap.reason === "backpressure" && epoch !== null) {
      // Dropped for this connection only: the gateway still holds them. Re-read from before them.
      const first = Number(gap.ranges[0]?.from ?? 1);
      this.o.log.warn({ gap: gap.message }, "gateway dropped frames for this target; re-reading them");
      return { to: { epoch, serverSeqno: first - 1 } };
    }
    if (gap.reason === "ring_gap" || gap.reason === "payload_expired")
      return { reason: gap.reason, detail: gap.message, epoch, from: null, to: null, ...(gap.count !== undefined ? { count: gap.count } : {}) };
    return null;
  }
}
