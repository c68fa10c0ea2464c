// Where simulated events go: a BatchBuilder that is flushed to the sink in batches, plus the
// one piece of arithmetic that tells the producer each event's seqno in advance.
//
// content_ext[0] of every event inside a block is the seqno of that block's BLOCK_START, so the
// producer must know it while the BLOCK_START is still unwritten in the batch. The simulator is
// the ring's only writer and the writer assigns seqnos consecutively, hence:
//
//     seqno of the next added event = last seqno returned by the sink + events in the batch + 1
//
// Every flush checks the sink returned exactly the seqno this predicts; anything else (another
// writer on the ring, a sink that drops records) would silently corrupt the flow ids, so it is
// an error.

import type { PayloadByType } from "../../decode/payload-types.js";
import type { AnyBatchEventInput, BatchBuilder, BatchEventInput } from "../../encode/batch-builder.js";

/**
 * The encoder accepts a Uint8Array for byte fields and a bigint for uint256 fields (see
 * payload-types.ts PayloadInput), but the declared payload types only say `string`. This keeps
 * the field names type-checked while allowing those forms, so the simulator never formats hex.
 */
type Wide<V> = V extends string ? string | Uint8Array | bigint : V;
export type SimPayload<T extends keyof PayloadByType> = { [K in keyof PayloadByType[T]]?: Wide<PayloadByType[T][K]> };
export type SimEventInput = {
  [T in keyof PayloadByType]: Omit<BatchEventInput<T>, "payload"> & { payload?: SimPayload<T> };
}[keyof PayloadByType];

/** The ring writer, or a test double. Records `count` batch records; returns the seqno of the last. */
export interface EventSink {
  record(batch: Buffer, count: number): number;
}

export interface StreamLimits {
  /** Flush when the batch holds this many events. */
  maxEvents: number;
  /** Flush when the batch holds this many bytes. */
  maxBytes: number;
}

export class SeqnoMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `event sink returned seqno ${actual} for the last record of a batch, expected ${expected}: ` +
        `another writer is using the ring or the sink dropped records, so block/txn flow ids would be wrong`,
    );
    this.name = "SeqnoMismatchError";
  }
}

export class EventStream {
  private last: number;
  /** Events, batches and bytes handed to the sink so far. */
  events = 0;
  batches = 0;
  bytes = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly builder: BatchBuilder,
    private readonly limits: StreamLimits,
    /** Seqno of the last event already in the ring (0 for a fresh ring). */
    startSeqno = 0,
  ) {
    this.last = startSeqno;
    builder.reset();
  }

  /** The seqno the next added event will get. */
  get nextSeqno(): number {
    return this.last + this.builder.count + 1;
  }

  /** Seqno of the last event the sink has recorded. */
  get lastRecordedSeqno(): number {
    return this.last;
  }

  /** Events added but not yet flushed. */
  get pendingEvents(): number {
    return this.builder.count;
  }

  /** Appends one event; returns its seqno. Flushes first when the batch is full. */
  add(ev: SimEventInput): number {
    if (this.builder.count >= this.limits.maxEvents || this.builder.byteLength >= this.limits.maxBytes) this.flush();
    const seqno = this.nextSeqno;
    this.builder.add(ev as AnyBatchEventInput);
    return seqno;
  }

  /** Hands the batch to the sink (one call for all pending events). */
  flush(): void {
    const count = this.builder.count;
    if (count === 0) return;
    const expected = this.last + count;
    const bytes = this.builder.byteLength;
    const got = this.sink.record(this.builder.buffer, count);
    if (got !== expected) throw new SeqnoMismatchError(expected, got);
    this.last = got;
    this.events += count;
    this.batches++;
    this.bytes += bytes;
    this.builder.reset();
  }
}
