// Memory for frame bytes that is already resident. The resume window keeps up to 1 GiB of frames,
// and while it fills, every new frame lands in fresh memory: the first write to each 4 KiB page
// faults, on the thread that copies the frame (measured: 14% of the gateway's CPU at 150k events/s).
// Here a worker thread touches each page of a slab before the gateway needs it, so the fault happens
// on another core; frames are then carved out of the slab as views.
//
// Nothing is ever reused: a slab is an ArrayBuffer that lives as long as any frame viewing it, and
// the garbage collector frees it after the last one is evicted. So no frame can see another's bytes,
// whatever still references it (release frames, outboxes, snapshots). Slabs are plain ArrayBuffers
// moved to the worker and back (postMessage transfer: the same memory, no copy), not
// SharedArrayBuffers: V8 collects plain ones promptly as external memory, while SharedArrayBuffer
// slabs were measured piling up to several times the resume window before a collection.
import { Worker } from "node:worker_threads";

/** The toucher: writes one byte per page of each slab it is given, then hands the slab back. */
const TOUCHER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (slab) => {
  const bytes = new Uint8Array(slab);
  for (let i = 0; i < bytes.length; i += 4096) bytes[i] = 0;
  parentPort.postMessage(slab, [slab]);
});`;

export interface SlabPoolOptions {
  slabBytes: number;
  /** Touched slabs kept ahead of need. */
  readySlabs: number;
}

export class SlabPool {
  private readonly ready: ArrayBuffer[] = [];
  private current: ArrayBuffer | null = null;
  private offset = 0;
  private inFlight = 0;
  private worker: Worker | null = null;
  /** Allocations served from plain (untouched) memory because no touched slab was ready. */
  fallbacks = 0;

  constructor(readonly options: SlabPoolOptions = { slabBytes: 4 << 20, readySlabs: 4 }) {}

  /** `size` bytes of uninitialized, resident memory (plain memory when none is ready or it is large). */
  alloc(size: number): Buffer {
    const { slabBytes } = this.options;
    if (size > slabBytes >> 2) return Buffer.allocUnsafe(size);
    if (this.current === null || this.offset + size > slabBytes) {
      this.current = this.ready.shift() ?? null;
      this.offset = 0;
      this.refill();
      if (this.current === null) {
        this.fallbacks++;
        return Buffer.allocUnsafe(size);
      }
    }
    const b = Buffer.from(this.current, this.offset, size);
    this.offset += (size + 7) & ~7;
    return b;
  }

  /** Stops the toucher thread (slabs already handed out stay valid). */
  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  private refill(): void {
    const worker = this.toucher();
    while (this.ready.length + this.inFlight < this.options.readySlabs) {
      this.inFlight++;
      const slab = new ArrayBuffer(this.options.slabBytes);
      worker.postMessage(slab, [slab]); // moved, not copied: the worker touches this very memory
    }
  }

  private toucher(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(TOUCHER, { eval: true });
    w.on("message", (slab: ArrayBuffer) => {
      this.inFlight--;
      this.ready.push(slab);
    });
    w.on("error", () => {
      // Without the toucher every allocation falls back to plain memory: slower, never wrong.
      this.worker = null;
      this.inFlight = 0;
    });
    // Never keeps the process alive. After the listeners: adding a "message" listener refs the
    // worker's port again (measured: a bench that used the pool never exited).
    w.unref();
    this.worker = w;
    return w;
  }
}

let shared: SlabPool | null = null;

/** The process's pool for frame bytes. */
export function framePool(): SlabPool {
  return (shared ??= new SlabPool());
}
