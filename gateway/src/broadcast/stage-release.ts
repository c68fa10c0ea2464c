// Holds references to each active block's events so that, when the block reaches Voted, Finalized or
// Verified, one release frame can re-publish (with a new seqno) the events that arrived before it
// got there: what a min_stage subscriber at that stage is owed. Rejected blocks' events are dropped.
// Frames are shared, not copied; a release frame's bytes are only built when a client wants them, and
// the list of events it releases only when first needed: picking them out of a big block's ~4,500
// held events cost ~150 µs per stage change (3 per block), in the consensus events' delivery path.
import { Frame, FrameKind, type ReleaseSource } from "./frame.js";
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
    const n = h.frames.length;
    let any = false;
    for (let i = 0; i < n && !any; i++) any = h.arrival[i] < stage;
    if (!any) return null;
    return new Frame(seqno, FrameKind.Events, null, null, new HeldRelease(h, n, stage));
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

/**
 * The events of one block that a release frame re-publishes: the first `heldCount` held events
 * (those held when the block reached `stage`; later ones are appended after them and never read
 * here) that arrived below `stage`. Picked on first use, then the held lists are let go.
 */
class HeldRelease implements ReleaseSource {
  private held: Held | null;
  private picked: { frames: Frame[]; indexes: Uint32Array } | null = null;
  private counted = -1;

  constructor(
    held: Held,
    private readonly heldCount: number,
    readonly stage: number,
  ) {
    this.held = held;
  }

  get count(): number {
    if (this.counted < 0) {
      // Always counted before pick() lets the held lists go: pick() sizes its arrays with this.
      let c = 0;
      for (let i = 0; i < this.heldCount; i++) if (this.held!.arrival[i] < this.stage) c++;
      this.counted = c;
    }
    return this.counted;
  }

  get frames(): readonly Frame[] {
    return this.pick().frames;
  }

  get indexes(): Uint32Array {
    return this.pick().indexes;
  }

  private pick(): { frames: Frame[]; indexes: Uint32Array } {
    if (this.picked) return this.picked;
    const h = this.held!;
    const indexes = new Uint32Array(this.count);
    const frames: Frame[] = new Array(indexes.length);
    let k = 0;
    for (let i = 0; i < this.heldCount; i++) {
      if (h.arrival[i] < this.stage) {
        frames[k] = h.frames[i];
        indexes[k++] = h.indexes[i];
      }
    }
    this.held = null;
    return (this.picked = { frames, indexes });
  }
}
