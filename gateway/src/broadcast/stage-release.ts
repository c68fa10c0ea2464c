// Holds references to each active block's events so that, when the block reaches Voted, Finalized or
// Verified, one release frame can re-publish (with a new seqno) the events that arrived before it
// got there: what a min_stage subscriber at that stage is owed. Rejected blocks' events are dropped.
// Frames are shared, not copied; a release frame's bytes are only built when a client wants them.
import { Frame, FrameKind } from "./frame.js";
import { Stage } from "./stage.js";

interface Held {
  frames: Frame[];
  indexes: number[];
  arrival: number[];
}

export class StageRelease {
  private readonly held = new Map<number, Held>();
  /** Events of the frame being built: block seqno, index in the frame, arrival stage. */
  private pending: number[] = [];

  get heldBlocks(): number {
    return this.held.size;
  }

  /** Notes that event `index` of the frame being built belongs to `blockSeqno`, arriving at `arrival`. */
  hold(blockSeqno: number, index: number, arrival: number): void {
    this.pending.push(blockSeqno, index, arrival);
  }

  /** The frame being built is done: its held events now point at it. */
  frameFinished(frame: Frame): void {
    const p = this.pending;
    for (let i = 0; i < p.length; i += 3) {
      let h = this.held.get(p[i]);
      if (!h) this.held.set(p[i], (h = { frames: [], indexes: [], arrival: [] }));
      h.frames.push(frame);
      h.indexes.push(p[i + 1]);
      h.arrival.push(p[i + 2]);
    }
    p.length = 0;
  }

  /**
   * The release frame for `blockSeqno` reaching `stage` (Voted, Finalized or Verified), or null when
   * nothing of the block arrived below that stage. After Verified nothing more can be owed.
   */
  release(blockSeqno: number, stage: Stage, seqno: number): Frame | null {
    const h = this.held.get(blockSeqno);
    if (stage === Stage.Verified) this.held.delete(blockSeqno);
    if (!h) return null;
    const frames: Frame[] = [];
    const indexes: number[] = [];
    for (let i = 0; i < h.frames.length; i++) {
      if (h.arrival[i] < stage) {
        frames.push(h.frames[i]);
        indexes.push(h.indexes[i]);
      }
    }
    if (frames.length === 0) return null;
    return new Frame(seqno, FrameKind.Events, null, null, { frames, indexes: Uint32Array.from(indexes), stage });
  }

  /** The block was rejected or will never move again: nothing of it will be released. */
  drop(blockSeqno: number): void {
    this.held.delete(blockSeqno);
  }

  clear(): void {
    this.held.clear();
    this.pending.length = 0;
  }
}
