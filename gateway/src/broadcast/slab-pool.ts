// Memory for frame bytes that is already resident. The resume window keeps up to 1 GiB of frames,
// and while it fills, every new frame lands in fresh memory whose pages fault on first write. The
// addon's allocSlab (native/src/slab_memory.c) maps each slab on 2 MiB transparent huge pages and
// faults it in on a libuv worker thread, so the thread that copies frames never faults, and one
// fault maps 512 pages (measured: a JS worker touching 4 KiB pages of plain ArrayBuffers cost a
// quarter of a core at 180k events/s; huge-page slabs fault in at ~4.6 GB/s). Frames are views carved
// out of a slab.
//
// A slab is an ArrayBuffer that lives as long as any frame viewing it. Only after the garbage
// collector has freed it (every frame in it evicted and unreferenced: no release frame, outbox or
// snapshot can still read it) does the addon hand its memory out again, so a full window recycles
// the memory of evicted frames without any lifetime rules here.
//
// V8 counts ArrayBuffer bytes as external memory and starts a full GC every 64 MiB that count grows,
// so a filling window (new slabs, none of them garbage) drove ~1.6 full GCs/s of 3-12 ms pauses.
// Slabs within a budget are left out of that count (setSlabExemptBytes): the bytes the window holds
// (retain()), the slabs kept ahead, and a slack for garbage. Garbage beyond the slack is counted
// again, so V8 still collects the evicted slabs that a full window recycles.
import { native } from "../ring/native.js";

const HUGE_PAGE = 2 << 20;
/** Garbage slabs (evicted frames not yet collected) left out of V8's count: at least this... */
const GARBAGE_SLACK_MIN = 64 << 20;
/** ...or this share of the bytes retained, whichever is more (RSS over the window it may cost). */
const GARBAGE_SLACK_SHARE = 0.25;

export interface SlabPoolOptions {
  /** Rounded up to a multiple of 2 MiB (the addon maps whole huge pages). */
  slabBytes: number;
  /** Resident slabs kept ahead of need at first. */
  readySlabs: number;
  /**
   * Most slabs kept ahead: each time a frame finds none ready, the pool keeps twice as many, up to
   * this. A slab arrives only when the JS thread next turns its event loop, which under full load is
   * tens of milliseconds (measured at 180k events/s: ~50 ms from request to delivery).
   */
  maxReadySlabs?: number;
}

export class SlabPool {
  private readonly ready: ArrayBuffer[] = [];
  private current: ArrayBuffer | null = null;
  private offset = 0;
  private inFlight = 0;
  /** Allocations served from plain (not yet resident) memory because no slab was ready. */
  fallbacks = 0;
  /** Slab requests the kernel refused; the last one's message. */
  failures = 0;
  lastFailure = "";
  private closed = false;
  private target: number;
  /** Grown since the last slab arrived: grow once per arrival, not on every miss of one burst. */
  private grew = true;
  private readonly retainers = new Set<() => number>();

  readonly options: SlabPoolOptions;

  constructor({ slabBytes, readySlabs, maxReadySlabs = 16 }: SlabPoolOptions = { slabBytes: 4 << 20, readySlabs: 4 }) {
    this.options = { slabBytes: Math.ceil(slabBytes / HUGE_PAGE) * HUGE_PAGE, readySlabs, maxReadySlabs: Math.max(readySlabs, maxReadySlabs) };
    this.target = readySlabs;
  }

  /** `size` bytes of uninitialized, resident memory (plain memory when none is ready or it is large). */
  alloc(size: number): Buffer {
    const { slabBytes } = this.options;
    if (size > slabBytes >> 2) return Buffer.allocUnsafe(size);
    if (this.current === null || this.offset + size > this.current.byteLength) {
      this.setExemptBudget(0);
      this.current = this.ready.shift() ?? native.reuseSlab(slabBytes);
      this.offset = 0;
      if (this.current === null) {
        this.fallbacks++;
        if (!this.grew) this.target = Math.min(this.target * 2, this.options.maxReadySlabs!);
        this.grew = true;
      }
      this.refill();
      if (this.current === null) return Buffer.allocUnsafe(size);
    }
    const b = Buffer.from(this.current, this.offset, size);
    this.offset += (size + 7) & ~7;
    return b;
  }

  /**
   * Maps and faults in `bytes` of slabs ahead of need, two at a time (the libuv pool also serves the
   * ring wait). At start with the resume window's size, the window's first fill lands in resident
   * memory instead of faulting fresh pages as it grows. Resolves when done or refused.
   */
  async reserve(bytes: number): Promise<void> {
    const { slabBytes } = this.options;
    let left = Math.ceil(bytes / slabBytes);
    this.setExemptBudget(left * slabBytes);
    const one = async (): Promise<void> => {
      while (left > 0 && !this.closed) {
        left--;
        try {
          const slab = await native.allocSlab(slabBytes);
          if (!this.closed) this.ready.push(slab);
        } catch (err) {
          this.failures++;
          this.lastFailure = (err as Error).message;
          left = 0;
        }
      }
    };
    await Promise.all([one(), one()]);
  }

  /**
   * Declares bytes that frames in slabs are known to hold (the resume window's byte count, read when
   * a slab is taken): slabs up to that, plus a slack, stay out of V8's external-memory count. Returns
   * the function that withdraws it.
   */
  retain(heldBytes: () => number): () => void {
    this.retainers.add(heldBytes);
    return () => {
      this.retainers.delete(heldBytes);
    };
  }

  /** Frame memory now: bytes in slabs frames view or wait in, freed bytes kept for reuse, fallbacks. */
  stats(): { liveBytes: number; freeBytes: number; exemptBytes: number; fallbacks: number } {
    const s = native.slabStats();
    return { liveBytes: s.liveBytes, freeBytes: s.freeSlabs * this.options.slabBytes, exemptBytes: s.exemptBytes, fallbacks: this.fallbacks };
  }

  /** Stops asking for slabs (slabs already handed out stay valid). */
  close(): void {
    this.closed = true;
    this.ready.length = 0;
    this.current = null;
  }

  /** The exempt budget for slabs made from now on; `reserving` = bytes reserve() is about to map. */
  private setExemptBudget(reserving: number): void {
    let held = 0;
    for (const bytes of this.retainers) held += bytes();
    const ahead = (Math.max(this.target, this.ready.length + this.inFlight) + 1) * this.options.slabBytes;
    const slack = Math.max(GARBAGE_SLACK_MIN, Math.floor(held * GARBAGE_SLACK_SHARE));
    native.setSlabExemptBytes(held + ahead + reserving + slack);
  }

  private refill(): void {
    // After repeated refusals (no memory to map) stop asking on every slab boundary: plain memory
    // still works, it only faults on the copying thread.
    if (this.closed || this.failures >= 8) return;
    while (this.ready.length + this.inFlight < this.target) {
      this.inFlight++;
      native.allocSlab(this.options.slabBytes).then(
        (slab) => {
          this.inFlight--;
          this.grew = false;
          if (!this.closed) this.ready.push(slab);
        },
        (err: Error) => {
          this.inFlight--;
          this.failures++;
          this.lastFailure = err.message;
        },
      );
    }
  }
}

let shared: SlabPool | null = null;

/** The process's pool for frame bytes. */
export function framePool(): SlabPool {
  return (shared ??= new SlabPool());
}
