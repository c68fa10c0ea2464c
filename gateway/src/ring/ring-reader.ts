// Batch reader over a mapped ring: one native call copies many events into a reused buffer.
import { EXEC_CONTENT_TYPE, EXEC_SCHEMA_HASH } from "./exec-schema.js";
import { native, type RingHandle, type RingInfo } from "./native.js";
import { isSnapshotFile } from "./ring-source.js";

export enum PollStatus {
  Ok = 0,
  NotReady = 1,
  Gap = 2,
  Expired = 3,
}

/** The result of one poll; the object and its buffer are reused by the next poll. */
export interface PollBatch {
  status: PollStatus;
  /** Records in `buffer` (layout: event-record.ts). */
  count: number;
  bytes: number;
  buffer: Buffer;
  /** Seqno the next poll reads. */
  nextSeqno: number;
  /** On Gap: the seqno found where the next one was expected. */
  gapFoundSeqno: number;
  /** On Expired: the event whose payload was overwritten before it could be copied (skipped). */
  expiredSeqno: number;
  /** The writer's last allocated seqno when the poll ended: nextSeqno - 1 - this is the lag. */
  writerLastSeqno: number;
}

/** Where a new reader starts. */
export type StartAt = "head" | "block_start" | "oldest" | { seqno: number };

export interface OpenReaderOptions {
  /** Default: snapshots from seqno 1, live rings at the most recent BLOCK_START. */
  startAt?: StartAt;
  /** Initial batch buffer size; it grows when one event does not fit. */
  bufferBytes?: number;
  /** Expected schema (tests of foreign rings only). */
  contentType?: number;
  schemaHash?: string;
}

const BLOCK_START = 2;

export class RingReader {
  readonly path: string;
  readonly isSnapshot: boolean;
  private handle: RingHandle | null;
  private readonly state = new Float64Array(native.STATE_LENGTH);
  private readonly batch: PollBatch;

  private constructor(handle: RingHandle, bufferBytes: number) {
    this.handle = handle;
    const info = native.ringInfo(handle);
    this.path = info.path;
    this.isSnapshot = info.isSnapshot;
    this.batch = {
      status: PollStatus.NotReady,
      count: 0,
      bytes: 0,
      buffer: Buffer.allocUnsafe(bufferBytes),
      nextSeqno: 1,
      gapFoundSeqno: 0,
      expiredSeqno: 0,
      writerLastSeqno: info.lastSeqno,
    };
  }

  /** Opens a ring file, a ring name (resolved under hugetlbfs) or a zstd snapshot (detected by content). */
  static open(source: string, options: OpenReaderOptions = {}): RingReader {
    const expect = {
      contentType: options.contentType ?? EXEC_CONTENT_TYPE,
      schemaHash: options.schemaHash ?? EXEC_SCHEMA_HASH,
    };
    const snapshot = source.includes("/") && isSnapshotFile(source);
    const handle = snapshot ? native.openSnapshot(source, expect) : native.openRing(source, expect);
    const reader = new RingReader(handle, options.bufferBytes ?? 4 << 20);
    reader.seek(options.startAt ?? (snapshot ? "oldest" : "block_start"));
    return reader;
  }

  info(): RingInfo {
    return native.ringInfo(this.live());
  }

  /** Moves the read position; returns the seqno the next poll reads. */
  seek(to: StartAt): number {
    const h = this.live();
    let next: number;
    if (to === "head") next = native.seekHead(h);
    else if (to === "block_start") next = native.seekLastEventOfType(h, BLOCK_START);
    else if (to === "oldest") next = native.seekSeqno(h, this.oldestSeqno());
    else next = native.seekSeqno(h, to.seqno);
    this.batch.nextSeqno = next;
    return next;
  }

  /** Oldest seqno whose descriptor can still be in the ring. */
  oldestSeqno(): number {
    const info = this.info();
    return Math.max(1, info.lastSeqno - info.descriptorCapacity + 1);
  }

  /** Copies up to `maxEvents` ready events. Never blocks. */
  poll(maxEvents = 4096): PollBatch {
    const h = this.live();
    const st = this.state;
    const b = this.batch;
    let count = native.poll(h, b.buffer, maxEvents, st);
    while (st[native.STATE_STATUS] === native.POLL_BUFFER_SMALL) {
      b.buffer = Buffer.allocUnsafe(Math.max(b.buffer.length * 2, st[native.STATE_NEEDED_BYTES]));
      count = native.poll(h, b.buffer, maxEvents, st);
    }
    b.status = st[native.STATE_STATUS] as PollStatus;
    b.count = count;
    b.bytes = st[native.STATE_BYTES];
    b.nextSeqno = st[native.STATE_NEXT_SEQNO];
    b.gapFoundSeqno = st[native.STATE_GAP_FOUND_SEQNO];
    b.expiredSeqno = st[native.STATE_EXPIRED_SEQNO];
    b.writerLastSeqno = st[native.STATE_WRITER_LAST_SEQNO];
    return b;
  }

  /**
   * Resolves true once the writer has allocated an event this reader has not read yet (at once if it
   * already has), false after `timeoutMs` or if the reader is closed meanwhile. The waiting happens
   * on a worker thread, so the event loop stays free and wakes within ~0.1 ms of the write.
   */
  waitForEvents(timeoutMs: number): Promise<boolean> {
    return native.waitForEvents(this.live(), Math.max(0, this.batch.nextSeqno - 1), timeoutMs);
  }

  /** The process holding the ring's writer lock, if any. Snapshots have none. */
  writer(): { pid: number; alive: boolean } {
    if (this.isSnapshot) return { pid: 0, alive: false };
    return native.writerPid(this.path);
  }

  close(): void {
    if (this.handle) native.closeRing(this.handle);
    this.handle = null;
  }

  private live(): RingHandle {
    if (!this.handle) throw Object.assign(new Error(`ring ${this.path} is closed`), { code: "ERING_CLOSED" });
    return this.handle;
  }
}
