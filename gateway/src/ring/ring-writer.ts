// Owns a ring file as its single writer (simulator, replay, tests, benchmarks).
import { EXEC_CONTENT_TYPE, EXEC_SCHEMA_HASH } from "./exec-schema.js";
import { native, type RingHandle, type RingInfo } from "./native.js";

export interface CreateRingOptions {
  /** log2 of the descriptor count, 16..32 (Monad daemon default 21). */
  descriptorsShift?: number;
  /** log2 of the payload buffer size, 27..40 (Monad daemon default 29). */
  payloadBufShift?: number;
  contentType?: number;
  schemaHash?: string;
}

export const DEFAULT_WRITER_SHIFTS = { descriptorsShift: 20, payloadBufShift: 28 } as const;

export class RingWriter {
  readonly path: string;
  private handle: RingHandle | null;

  private constructor(handle: RingHandle) {
    this.handle = handle;
    this.path = native.ringInfo(handle).path;
  }

  /** Creates (or replaces a dead writer's) ring at a path or hugetlbfs name, holding its lock. */
  static create(pathOrName: string, options: CreateRingOptions = {}): RingWriter {
    const handle = native.createRing(pathOrName, {
      descriptorsShift: options.descriptorsShift ?? DEFAULT_WRITER_SHIFTS.descriptorsShift,
      payloadBufShift: options.payloadBufShift ?? DEFAULT_WRITER_SHIFTS.payloadBufShift,
      contentType: options.contentType ?? EXEC_CONTENT_TYPE,
      schemaHash: options.schemaHash ?? EXEC_SCHEMA_HASH,
    });
    return new RingWriter(handle);
  }

  /** Records `count` records from `batch` (event-record.ts layout); returns the last seqno given. */
  record(batch: Buffer, count: number): number {
    if (count === 0) return this.info().lastSeqno;
    return native.record(this.live(), batch, count);
  }

  info(): RingInfo {
    return native.ringInfo(this.live());
  }

  /** Releases the lock; with unlink the file is removed first, so no reader mistakes it for live. */
  close(options: { unlink?: boolean } = {}): void {
    if (this.handle) native.closeWriter(this.handle, options.unlink ?? false);
    this.handle = null;
  }

  private live(): RingHandle {
    if (!this.handle) throw Object.assign(new Error(`ring writer ${this.path} is closed`), { code: "ERING_CLOSED" });
    return this.handle;
  }
}
