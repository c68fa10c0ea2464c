// Whole-batch helpers: walk the records of a batch buffer, decode each, and collect per-record
// errors instead of throwing, so one bad record never aborts the rest of the batch.

import { DESCRIPTOR_SIZE, REC_PAYLOAD_SIZE } from "../ring/event-record.js";
import type { CommitStageArg } from "./event-flow.js";
import { writeEventJson } from "./event-json.js";
import { renderEventObject, type ExecEventObject } from "./event-object.js";
import type { FlowTracker } from "./flow-tracker.js";
import { JsonWriter } from "./json-writer.js";
import { checkRecord, type EventDecodeError } from "./record-check.js";

export interface BatchOptions {
  /** Offset of the first record (default 0). */
  start?: number;
  /** End of the records (default buf.length). */
  end?: number;
  commitStage?: CommitStageArg;
}

export interface BatchResult<T> {
  /** One entry per valid record, in batch order. */
  items: T[];
  /** Records that could not be decoded (skipped), in batch order. */
  errors: EventDecodeError[];
}

/**
 * Calls `onRecord(r)` for every valid record and `onError(e)` for every invalid one. A record with
 * an unknown type or a size mismatch is skipped using its payload_size (the batch framing is still
 * sound); a record that runs past `end` stops the walk. Returns the number of valid records.
 */
export function walkBatch(
  buf: Buffer,
  onRecord: (r: number) => void,
  onError: (e: EventDecodeError) => void,
  start = 0,
  end = buf.length,
): number {
  let n = 0;
  let r = start;
  while (r < end) {
    const err = checkRecord(buf, r, end);
    if (err !== undefined) {
      onError(err);
      if (err.reason === "truncated_record") break;
    } else {
      onRecord(r);
      n++;
    }
    r += DESCRIPTOR_SIZE + ((buf.readUInt32LE(r + REC_PAYLOAD_SIZE) + 7) & ~7);
  }
  return n;
}

export interface NdjsonBatch {
  /** NDJSON bytes (ASCII): one JSON event per line, each line ending in "\n". */
  data: Buffer;
  /** Number of events written (= valid records). */
  count: number;
  /**
   * Line boundaries: event i is data[starts[i], starts[i+1] - 1) (the -1 drops its "\n"). Lets a
   * fan-out layer slice single events without re-serializing or splitting.
   */
  starts: Uint32Array;
  errors: EventDecodeError[];
}

/**
 * NDJSON of a whole batch, written straight into one byte buffer (the fastest path to bytes on a
 * socket). Pass `writer` to reuse its storage across batches: `data` is then a view into it,
 * valid until the writer is reset or written again.
 */
export function batchToNdjson(
  buf: Buffer,
  tracker: FlowTracker | undefined,
  opts: BatchOptions & { writer?: JsonWriter } = {},
): NdjsonBatch {
  const start = opts.start ?? 0;
  const end = opts.end ?? buf.length;
  const w = opts.writer ?? new JsonWriter(Math.max(1024, 3 * (end - start)));
  const base = w.pos;
  const stage = opts.commitStage;
  const errors: EventDecodeError[] = [];
  const starts: number[] = [];
  const count = walkBatch(
    buf,
    (r) => {
      starts.push(w.pos - base);
      writeEventJson(w, buf, r, tracker, stage);
      w.ensure(1);
      w.buf[w.pos++] = 10; // '\n'
    },
    (e) => errors.push(e),
    start,
    end,
  );
  starts.push(w.pos - base);
  return { data: w.buf.subarray(base, w.pos), count, starts: Uint32Array.from(starts), errors };
}

/** JSON text of every valid record of a batch, one flat string per event. */
export function batchToJson(buf: Buffer, tracker: FlowTracker | undefined, opts: BatchOptions = {}): BatchResult<string> {
  // One small string per event is cheaper than one batch-sized string cut into slices: V8
  // allocates large strings in large-object space, which costs more than the copies saved.
  const w = batchWriter;
  const items: string[] = [];
  const errors: EventDecodeError[] = [];
  const stage = opts.commitStage;
  walkBatch(
    buf,
    (r) => {
      w.reset();
      writeEventJson(w, buf, r, tracker, stage);
      items.push(w.text());
    },
    (e) => errors.push(e),
    opts.start,
    opts.end,
  );
  return { items, errors };
}

// Scratch for batchToJson, whose results never reference the writer's bytes.
const batchWriter = new JsonWriter(1 << 16);

/** Object form of every valid record of a batch. */
export function decodeBatch(buf: Buffer, tracker: FlowTracker | undefined, opts: BatchOptions = {}): BatchResult<ExecEventObject> {
  const items: ExecEventObject[] = [];
  const errors: EventDecodeError[] = [];
  const stage = opts.commitStage;
  walkBatch(buf, (r) => items.push(renderEventObject(buf, r, tracker, stage)), (e) => errors.push(e), opts.start, opts.end);
  return { items, errors };
}
