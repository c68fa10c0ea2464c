// An in-memory EventSink: a stand-in for the ring writer in unit tests and dry runs.
//
// It behaves like the writer where the simulator can tell: seqnos are assigned consecutively from
// `startSeqno + 1` and the seqno of the last record is returned. Each batch is copied (the caller
// reuses its buffer) with the seqno written into every record, so the copies decode like records
// polled from a ring.

import { DESCRIPTOR_SIZE, REC_PAYLOAD_SIZE, REC_SEQNO, recordSize } from "../../ring/event-record.js";
import type { EventSink } from "./event-stream.js";
import { viewRecord, type RecordView } from "./record-view.js";

export class MemorySink implements EventSink {
  /** Copies of the recorded batches, seqnos filled in. */
  readonly batches: Buffer[] = [];
  /** Record count of each batch. */
  readonly counts: number[] = [];
  lastSeqno: number;
  /** Records received. */
  eventCount = 0;
  /** Set to make the next record() call throw (tests of error propagation). */
  failNext?: Error;

  constructor(startSeqno = 0) {
    this.lastSeqno = startSeqno;
  }

  record(batch: Buffer, count: number): number {
    if (this.failNext !== undefined) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    const copy = Buffer.from(batch);
    let off = 0;
    for (let i = 0; i < count; i++) {
      if (off + DESCRIPTOR_SIZE > copy.length) throw new RangeError(`batch holds fewer than ${count} records`);
      copy.writeBigUInt64LE(BigInt(++this.lastSeqno), off + REC_SEQNO);
      off += recordSize(copy.readUInt32LE(off + REC_PAYLOAD_SIZE));
    }
    if (off !== copy.length) throw new RangeError(`batch has ${copy.length} bytes but ${count} records end at ${off}`);
    this.batches.push(copy);
    this.counts.push(count);
    this.eventCount += count;
    return this.lastSeqno;
  }

  /** Every record of every batch, in order: (buffer, offset of the record). */
  *records(): Generator<{ buf: Buffer; off: number }> {
    for (const buf of this.batches) {
      for (let off = 0; off < buf.length; off += recordSize(buf.readUInt32LE(off + REC_PAYLOAD_SIZE))) yield { buf, off };
    }
  }

  /** Every record as a RecordView (tests; allocates one object per record). */
  views(): RecordView[] {
    const out: RecordView[] = [];
    for (const { buf, off } of this.records()) out.push(viewRecord(buf, off));
    return out;
  }
}
