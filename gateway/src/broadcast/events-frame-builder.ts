// Builds Events frames from a poll's records: the builder notes each event's type, arrival and
// commit stages and raw record (the poll buffer is reused, so records are copied out once per frame);
// the frame's JSON is written by the EventsSerializer, when first needed or in the ring's idle gaps.
import { txnHashKnown, type FlowTracker } from "../decode/index.js";
import { REC_EPOCH_NANOS, REC_EVENT_TYPE } from "../ring/event-record.js";
import { EVENT_NO_TXN_HASH, Frame, FrameKind, NATIVE_TRANSFER_BIT, type EventIndex } from "./frame.js";
import type { EventsSerializer } from "./events-serializer.js";
import { framePool, type SlabPool } from "./slab-pool.js";
import { movesValue } from "./subscription.js";
import { ExecEventType } from "../decode/event-types.js";

export class EventsFrameBuilder {
  private seqno = 0;
  private n = 0;
  private mask = 0;
  private types: Uint8Array;
  private arrival: Uint8Array;
  private stages: Uint8Array;
  private flags: Uint8Array;
  private recs: Uint32Array;
  private batch: Buffer | null = null;
  private firstRec = 0;
  private endRec = 0;
  private lastRec = 0;

  constructor(
    readonly maxEvents: number,
    private readonly serializer: EventsSerializer,
    private readonly pool: SlabPool = framePool(),
  ) {
    this.types = new Uint8Array(maxEvents);
    this.arrival = new Uint8Array(maxEvents);
    this.stages = new Uint8Array(maxEvents);
    this.flags = new Uint8Array(maxEvents);
    this.recs = new Uint32Array(maxEvents);
  }

  get count(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n >= this.maxEvents;
  }

  /** Starts a frame that will carry `seqno`; events are added from `batch` (one poll's records). */
  begin(seqno: number, batch: Buffer): void {
    this.seqno = seqno;
    this.n = 0;
    this.mask = 0;
    this.batch = batch;
  }

  /**
   * Appends the (validated) record at `r`; `recEnd` is where the record ends in the batch. The
   * tracker learns from it now (block numbers, txn hashes), as the JSON written later relies on that.
   */
  add(r: number, recEnd: number, tracker: FlowTracker, commitStage: number, arrivalStage: number): void {
    const b = this.batch!;
    const i = this.n;
    if (i === 0) this.firstRec = r;
    tracker.observe(b, r);
    const type = b[r + REC_EVENT_TYPE];
    this.types[i] = type;
    this.mask |= 1 << type;
    if (type === ExecEventType.TXN_CALL_FRAME && movesValue(b, r)) this.mask |= NATIVE_TRANSFER_BIT;
    this.arrival[i] = arrivalStage;
    this.stages[i] = commitStage;
    this.flags[i] = txnHashKnown(b, r, tracker) ? 0 : EVENT_NO_TXN_HASH;
    this.recs[i] = r;
    this.endRec = recEnd;
    this.lastRec = r;
    this.n = i + 1;
  }

  /** Closes the frame: records copied out, index in one small allocation, JSON left to the serializer. */
  finish(): Frame {
    const n = this.n;
    const raw = this.pool.alloc(this.endRec - this.firstRec);
    this.batch!.copy(raw, 0, this.firstRec, this.endRec);
    // One buffer for the whole index: three u32 arrays, then four u8 arrays.
    const store = new ArrayBuffer(n * 16);
    const index: EventIndex = {
      count: n,
      typeMask: this.mask,
      jsonStart: new Uint32Array(store, 0, n),
      jsonEnd: new Uint32Array(store, 4 * n, n),
      rawStart: new Uint32Array(store, 8 * n, n),
      types: new Uint8Array(store, 12 * n, n),
      arrivalStage: new Uint8Array(store, 13 * n, n),
      commitStage: new Uint8Array(store, 14 * n, n),
      flags: new Uint8Array(store, 15 * n, n),
      raw,
    };
    index.types.set(this.types.subarray(0, n));
    index.arrivalStage.set(this.arrival.subarray(0, n));
    index.commitStage.set(this.stages.subarray(0, n));
    index.flags.set(this.flags.subarray(0, n));
    for (let i = 0; i < n; i++) index.rawStart[i] = this.recs[i] - this.firstRec;
    const frame = new Frame(this.seqno, FrameKind.Events, null, index);
    frame.serializer = this.serializer;
    frame.ringMs = recordMs(this.batch!, this.lastRec);
    this.serializer.deferred(frame);
    this.n = 0;
    this.batch = null;
    return frame;
  }
}

/** record_epoch_nanos of the record at `r`, as ms since the Unix epoch (sub-ms precision kept). */
export function recordMs(b: Buffer, r: number): number {
  return b.readUInt32LE(r + REC_EPOCH_NANOS) / 1e6 + b.readUInt32LE(r + REC_EPOCH_NANOS + 4) * (2 ** 32 / 1e6);
}
