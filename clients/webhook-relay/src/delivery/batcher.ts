// Groups a target's frames into batches: a batch closes at max_events or max_bytes, linger_ms after
// its first frame, when the gateway epoch changes, or when seqnos go backwards (a re-read after a
// backpressure drop). Frames are never split. After a restart, the batch that was in flight is
// rebuilt exactly (same frames, so the same idempotency key): its boundary overrides the limits.
import type { BatchLimits } from "../config/types.js";
import { BATCH_OVERHEAD_BYTES, buildBatch, frameBytes, type Batch, type QueuedFrame } from "./batch.js";

/** A rebuilt batch whose last frame never comes (it should) is sent as it is after this long. */
const REBUILD_WAIT_MS = 30_000;

export class Batcher {
  private frames: QueuedFrame[] = [];
  private events = 0;
  private bytes = BATCH_OVERHEAD_BYTES;
  private startedAt = 0;
  /** Last seqno of the batch being rebuilt, or null. */
  private rebuildTo: number | null = null;

  constructor(
    private readonly target: string,
    private readonly limits: BatchLimits,
  ) {}

  get size(): number {
    return this.frames.length;
  }

  get oldestReceivedAt(): number | null {
    return this.frames[0]?.receivedAt ?? null;
  }

  /** When the current batch must be sent even if not full (ms since epoch), or null when empty. */
  get deadline(): number | null {
    if (this.frames.length === 0) return null;
    return this.startedAt + (this.rebuildTo !== null ? REBUILD_WAIT_MS : this.limits.lingerMs);
  }

  /** The next batch must end exactly at this seqno (the batch in flight before a restart). */
  rebuild(lastSeqno: number): void {
    this.rebuildTo = lastSeqno;
  }

  /** Position moved (a jump): a pending rebuild no longer applies. */
  forgetRebuild(): void {
    this.rebuildTo = null;
  }

  /** Adds a frame; returns the batches that closed because of it, in order. */
  add(f: QueuedFrame, now = Date.now()): Batch[] {
    const out: Batch[] = [];
    const last = this.frames[this.frames.length - 1];
    if (last && (f.epoch !== last.epoch || f.seqno <= last.seqno)) this.closeInto(out);
    if (this.rebuildTo !== null) {
      if (f.seqno > this.rebuildTo) {
        this.closeInto(out);
        this.rebuildTo = null;
      }
    } else if (this.frames.length > 0 && (this.events + f.events > this.limits.maxEvents || this.bytes + frameBytes(f) > this.limits.maxBytes)) {
      this.closeInto(out);
    }
    if (this.frames.length === 0) this.startedAt = now;
    this.frames.push(f);
    this.events += f.events;
    this.bytes += frameBytes(f);
    if (this.rebuildTo !== null) {
      if (f.seqno === this.rebuildTo) {
        this.rebuildTo = null;
        this.closeInto(out);
      }
    } else if (this.events >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes) this.closeInto(out);
    return out;
  }

  /** The current batch, closed now (linger expired, a jump, or shutdown); null when empty. */
  flush(): Batch | null {
    this.rebuildTo = null;
    const out: Batch[] = [];
    this.closeInto(out);
    return out[0] ?? null;
  }

  private closeInto(out: Batch[]): void {
    if (this.frames.length === 0) return;
    out.push(buildBatch(this.target, this.frames));
    this.frames = [];
    this.events = 0;
    this.bytes = BATCH_OVERHEAD_BYTES;
  }
}
