// The last N stream frames (default 100,000), bounded also by bytes, in seqno order. Every stream
// frame gets the next seqno, so frame s sits at a fixed slot and lookup is O(1). Clients read from
// here with their own cursor: live delivery and resume replay are the same walk.
import type { Frame } from "./frame.js";

export interface ResumeBufferOptions {
  /** Most frames kept (the wire contract's resume window). */
  maxFrames: number;
  /** Most bytes kept; the oldest frames go first when either bound is hit. */
  maxBytes: number;
}

export class ResumeBuffer {
  private readonly slots: (Frame | undefined)[];
  private oldestSeqno = 1;
  private newestSeqno = 0;
  private bytes = 0;
  private evictHook: ((frame: Frame) => void) | null = null;

  constructor(readonly options: ResumeBufferOptions) {
    if (!Number.isInteger(options.maxFrames) || options.maxFrames < 1)
      throw new RangeError(`resume buffer size must be an integer >= 1, got ${options.maxFrames}`);
    this.slots = new Array(options.maxFrames);
  }

  /** Called for every frame leaving the buffer (so lagging clients can count what they lost). */
  onEvict(hook: (frame: Frame) => void): void {
    this.evictHook = hook;
  }

  /** Oldest seqno still held (newest + 1 when empty). */
  get oldest(): number {
    return this.oldestSeqno;
  }

  /** Newest seqno appended (0 before the first). */
  get newest(): number {
    return this.newestSeqno;
  }

  get length(): number {
    return this.newestSeqno - this.oldestSeqno + 1;
  }

  get byteSize(): number {
    return this.bytes;
  }

  append(frame: Frame): void {
    if (frame.seqno !== this.newestSeqno + 1)
      throw new Error(`resume buffer expects seqno ${this.newestSeqno + 1}, got ${frame.seqno}`);
    if (this.newestSeqno === 0) this.oldestSeqno = frame.seqno;
    while (this.length >= this.options.maxFrames || (this.length > 0 && this.bytes + frame.size > this.options.maxBytes)) this.evictOldest();
    this.slots[frame.seqno % this.slots.length] = frame;
    this.newestSeqno = frame.seqno;
    this.bytes += frame.size;
  }

  /** The frame with this seqno, if still held. */
  get(seqno: number): Frame | undefined {
    if (seqno < this.oldestSeqno || seqno > this.newestSeqno) return undefined;
    return this.slots[seqno % this.slots.length];
  }

  /** Records that `frame` gained `delta` bytes (a variant built lazily) while it may be stored here. */
  grew(frame: Frame, delta: number): void {
    frame.extraBytes += delta;
    this.resized(frame, delta);
  }

  /** Records that `frame.size` changed by `delta` (its JSON written late) while it may be stored here. */
  resized(frame: Frame, delta: number): void {
    if (this.get(frame.seqno) === frame) this.bytes += delta;
  }

  private evictOldest(): void {
    const i = this.oldestSeqno % this.slots.length;
    const f = this.slots[i];
    this.slots[i] = undefined;
    this.oldestSeqno++;
    if (f) {
      this.bytes -= f.size;
      this.evictHook?.(f);
    }
  }
}
