// Types of the C addon. Records in batches use the layout in gateway/src/ring/event-record.ts.

/** Opaque handle to a mapped ring (reader) or an owned ring (writer). */
export interface RingHandle {
  readonly __ring: unique symbol;
}

export interface RingInfo {
  path: string;
  isSnapshot: boolean;
  contentType: number;
  schemaHash: string; // 64 lowercase hex chars
  descriptorCapacity: number;
  payloadBufSize: number;
  contextAreaSize: number;
  fileSize: number;
  lastSeqno: number; // control.last_seqno: last seqno allocated by the writer
  nextPayloadByte: number;
  bufferWindowStart: number;
}

export interface OpenOptions {
  /** Expected content type (2 = EXEC). */
  contentType: number;
  /** Expected schema hash, 64 hex chars. */
  schemaHash: string;
}

/**
 * Errors thrown by the addon are Error objects with `code` set to one of these and a message that
 * names the file and what was expected versus found.
 */
export type RingErrorCode =
  | "ERING_OPEN" // missing or unreadable
  | "ERING_TOO_SMALL"
  | "ERING_MAGIC"
  | "ERING_CONTENT_TYPE"
  | "ERING_SCHEMA"
  | "ERING_SIZES"
  | "ERING_TRUNCATED"
  | "ERING_SNAPSHOT"
  | "ERING_EXISTS" // writer: a live writer holds the name
  | "ERING_IO";

export const POLL_OK: 0; // stopped because maxEvents or the buffer was reached; more may be ready
export const POLL_NOT_READY: 1; // caught up with the writer
export const POLL_GAP: 2; // the writer lapped the reader; iterator not advanced; caller must reseek
export const POLL_EXPIRED: 3; // the payload of state[STATE_EXPIRED_SEQNO] was overwritten; iterator advanced past it
export const POLL_BUFFER_SMALL: 4; // the next event (state[STATE_NEEDED_BYTES]) does not fit the empty buffer

export const STATE_STATUS: 0;
export const STATE_BYTES: 1; // bytes of records written into the batch buffer
export const STATE_NEXT_SEQNO: 2; // seqno the next poll will read
export const STATE_GAP_FOUND_SEQNO: 3; // on GAP: the seqno found in the expected slot
export const STATE_EXPIRED_SEQNO: 4; // on EXPIRED: seqno of the event whose payload expired
export const STATE_NEEDED_BYTES: 5; // on BUFFER_SMALL: record size needed
export const STATE_WRITER_LAST_SEQNO: 6; // control.last_seqno at the end of the poll
export const STATE_LENGTH: 8;

export function openRing(path: string, options: OpenOptions): RingHandle;
/** Decompresses a zstd ring image (the fixtures' format) into an anonymous memory file and maps it. */
export function openSnapshot(path: string, options: OpenOptions): RingHandle;
export function ringInfo(handle: RingHandle): RingInfo;
export function closeRing(handle: RingHandle): void;

/**
 * Copies up to `maxEvents` ready events into `out` following the reader protocol. Returns the number
 * of records copied; details go into `state` (a Float64Array of STATE_LENGTH).
 */
export function poll(handle: RingHandle, out: Buffer, maxEvents: number, state: Float64Array): number;

/**
 * Resolves true as soon as the writer has allocated a seqno above `afterSeqno` (a worker thread
 * watches the header with 40-250 µs sleeps, so the JS thread neither spins nor waits for a 1 ms
 * timer), false after `timeoutMs` (0..60000) or if the handle is closed meanwhile. One wait per
 * handle at a time (ERING_BUSY otherwise).
 */
export function waitForEvents(handle: RingHandle, afterSeqno: number, timeoutMs: number): Promise<boolean>;

/** Next read is the most recent event (the SDK's reset / sync_wait). Returns the next seqno. */
export function seekHead(handle: RingHandle): number;
/** Next read is `seqno`. */
export function seekSeqno(handle: RingHandle, seqno: number): number;
/**
 * Next read is the most recent BLOCK_START still in the ring (event type `blockStartType`), found by
 * scanning back from the head; falls back to the head when none is left. Returns the next seqno.
 */
export function seekLastEventOfType(handle: RingHandle, eventType: number): number;

/** Pid holding LOCK_EX on the ring file (0 if none) and whether that process is alive. */
export function writerPid(path: string): { pid: number; alive: boolean };

/** Resolves a ring name (no '/') under the first 2 MiB hugetlbfs mount + /event-rings/. Throws when none. */
export function resolveRingPath(nameOrPath: string): string;
/** The first hugetlbfs mount with 2 MiB pages, or null. */
export function hugetlbfsMount(): string | null;

export interface CreateOptions {
  descriptorsShift: number; // 16..32
  payloadBufShift: number; // 27..40
  contentType: number;
  schemaHash: string;
}

/**
 * Creates a ring the way the Monad daemon does (temp name, flock, fallocate, init, rename) and keeps
 * LOCK_EX on it until closeWriter. Refuses a name held by a live writer; replaces a dead writer's file.
 */
export function createRing(path: string, options: CreateOptions): RingHandle;
/**
 * Records `count` records from `batch` (writer-input layout) with the recorder protocol. Returns the
 * seqno given to the last one. A payload too large for the ring is recorded as RECORD_ERROR.
 */
export function record(handle: RingHandle, batch: Buffer, count: number): number;
/** Unmaps, releases the lock; with unlink=true also removes the file. */
export function closeWriter(handle: RingHandle, unlink?: boolean): void;

/**
 * Resident memory for frame bytes: a Promise of an ArrayBuffer of `bytes` (1..2^30) rounded up to
 * 2 MiB, aligned to 2 MiB and advised for transparent huge pages, with every page already faulted in
 * on a libuv worker thread. When the garbage collector frees it, its memory is kept for reuse (up to
 * 8 slabs) or unmapped. A fresh slab is zeroed; a reused one keeps the bytes it last held, so write
 * before reading. Rejects with code ESLAB when the kernel refuses the mapping.
 */
export function allocSlab(bytes: number): Promise<ArrayBuffer>;
/** A freed slab of `bytes` (rounded up to 2 MiB) at once, or null when none is kept. */
export function reuseSlab(bytes: number): ArrayBuffer | null;
/**
 * Slabs not yet freed by the garbage collector and their bytes; freed slabs kept for reuse; how many
 * times a freed slab was reused; how many slabs ever got the huge-page advice; the bytes of live slabs
 * left out of V8's external-memory count (setSlabExemptBytes).
 */
export function slabStats(): { liveSlabs: number; liveBytes: number; freeSlabs: number; reusedSlabs: number; hugeAdvisedSlabs: number; exemptBytes: number };
/**
 * Slabs made from now on are left out of V8's external-memory count (which starts a full GC every
 * 64 MiB of growth) while the exempt slabs alive total at most `bytes`; 0 (the default) counts every
 * slab. Throws a TypeError unless `bytes` is an integer from 0 to 2^53-1.
 */
export function setSlabExemptBytes(bytes: number): void;
