// Re-records a captured ring (usually a snapshot) into a live ring: at the original pace, scaled, or
// flat out. Batches go from the reader's buffer straight to the writer (same record layout).
import { REC_BLOCK_SEQNO, REC_EPOCH_NANOS, recordSize, REC_PAYLOAD_SIZE, REC_SEQNO } from "../../ring/event-record.js";
import { PollStatus, type RingReader } from "../../ring/ring-reader.js";
import type { RingWriter } from "../../ring/ring-writer.js";

export interface ReplayOptions {
  /** 0 = flat out; 1 = original pace; 2 = twice as fast; 0.5 = half speed. */
  speed: number;
  /** Keep the captured record timestamps instead of stamping the replay time (default false). */
  keepTimestamps?: boolean;
  /** Times to replay the capture (block numbers repeat on each pass). */
  passes?: number;
  /** Called after every recorded batch. */
  onProgress?: (p: ReplayProgress) => void;
  signal?: AbortSignal;
}

export interface ReplayProgress {
  pass: number;
  events: number;
  lastSourceSeqno: number;
  lastRingSeqno: number;
}

const MAX_SLEEP_MS = 250;

export async function replay(source: RingReader, target: RingWriter, options: ReplayOptions): Promise<ReplayProgress> {
  if (!(options.speed >= 0) || !Number.isFinite(options.speed))
    throw new RangeError(`replay speed must be a number >= 0 (0 = flat out, 1 = original pace), got ${options.speed}`);
  const passes = options.passes ?? 1;
  if (!Number.isInteger(passes) || passes < 1) throw new RangeError(`passes must be an integer >= 1, got ${passes}`);
  const progress: ReplayProgress = { pass: 0, events: 0, lastSourceSeqno: 0, lastRingSeqno: target.info().lastSeqno };
  for (let pass = 1; pass <= passes; pass++) {
    progress.pass = pass;
    source.seek("oldest");
    let firstNanos = -1n;
    let startMs = 0;
    for (;;) {
      if (options.signal?.aborted) return progress;
      const b = source.poll(2048);
      if (b.status === PollStatus.Gap) throw new Error(`replay source ${source.path} lost events (gap at ${b.nextSeqno})`);
      let off = 0;
      let sent = 0;
      let sentBytes = 0;
      for (let i = 0; i < b.count; i++) {
        const size = recordSize(b.buffer.readUInt32LE(off + REC_PAYLOAD_SIZE));
        if (options.speed > 0) {
          const nanos = b.buffer.readBigUInt64LE(off + REC_EPOCH_NANOS);
          if (firstNanos < 0n) {
            firstNanos = nanos;
            startMs = performance.now();
          }
          const dueMs = startMs + Number(nanos - firstNanos) / 1e6 / options.speed;
          const wait = dueMs - performance.now();
          if (wait > 1) {
            progress.lastRingSeqno = recordRun(b.buffer, off - sentBytes, sentBytes, sent, target, options, progress);
            sent = 0;
            sentBytes = 0;
            await sleep(Math.min(wait, MAX_SLEEP_MS), options.signal);
            if (options.signal?.aborted) return progress;
            i--; // re-check this record's due time after sleeping
            continue;
          }
        }
        // Block flow points at the BLOCK_START's seqno in the source; shift it to the seqno it gets here.
        const ext0 = Number(b.buffer.readBigUInt64LE(off + REC_BLOCK_SEQNO));
        if (ext0 !== 0) {
          const shift = progress.lastRingSeqno + sent + 1 - Number(b.buffer.readBigUInt64LE(off + REC_SEQNO));
          b.buffer.writeBigUInt64LE(BigInt(ext0 + shift), off + REC_BLOCK_SEQNO);
        }
        if (!options.keepTimestamps) b.buffer.fill(0, off + REC_EPOCH_NANOS, off + REC_EPOCH_NANOS + 8);
        progress.lastSourceSeqno = Number(b.buffer.readBigUInt64LE(off + REC_SEQNO));
        off += size;
        sent++;
        sentBytes += size;
      }
      progress.lastRingSeqno = recordRun(b.buffer, off - sentBytes, sentBytes, sent, target, options, progress);
      if (b.status === PollStatus.NotReady) break; // a snapshot has no more events
      if (options.speed === 0) await new Promise((r) => setImmediate(r)); // let signals and timers run
    }
  }
  return progress;
}

function recordRun(
  buffer: Buffer,
  start: number,
  bytes: number,
  count: number,
  target: RingWriter,
  options: ReplayOptions,
  progress: ReplayProgress,
): number {
  if (count === 0) return progress.lastRingSeqno;
  const last = target.record(buffer.subarray(start, start + bytes), count);
  progress.events += count;
  progress.lastRingSeqno = last;
  options.onProgress?.(progress);
  return last;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    // The listener goes when the sleep ends, so thousands of sleeps do not pile listeners up.
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
