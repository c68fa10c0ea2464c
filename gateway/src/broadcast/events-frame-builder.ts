// Builds Events frames: event JSON is written straight into one reused buffer after the frame prefix
// and copied out once per frame, while the builder notes each event's byte range, type, arrival
// stage and raw record (the poll buffer is reused, so records are copied too).
import { writeEventJson, type FlowTracker } from "../decode/index.js";
import { JsonWriter } from "../decode/json-writer.js";
import { REC_EPOCH_NANOS, REC_EVENT_TYPE } from "../ring/event-record.js";
import { Frame, FrameKind, NATIVE_TRANSFER_BIT, type EventIndex } from "./frame.js";
import { framePool, type SlabPool } from "./slab-pool.js";
import { movesValue } from "./subscription.js";
import { ExecEventType } from "../decode/event-types.js";
import type { CommitStage } from "../enrich/stages.js";

const COMMA = 0x2c;
const CLOSE = Buffer.from("]}");

export class EventsFrameBuilder {
  // Reused: writing into a hot buffer and copying each frame out beats writing into fresh slabs
  // (measured: fresh memory page-faults on first touch). Frames are copied into resident slabs
  // (slab-pool.ts).
  private readonly w = new JsonWriter(1 << 20);
  private seqno = 0;
  private n = 0;
  private mask = 0;
  private types: Uint8Array;
  private starts: Uint32Array;
  private ends: Uint32Array;
  private arrival: Uint8Array;
  private recs: Uint32Array;
  private batch: Buffer | null = null;
  private firstRec = 0;
  private endRec = 0;
  private lastRec = 0;

  constructor(
    readonly maxEvents: number,
    private readonly pool: SlabPool = framePool(),
  ) {
    this.types = new Uint8Array(maxEvents);
    this.starts = new Uint32Array(maxEvents);
    this.ends = new Uint32Array(maxEvents);
    this.arrival = new Uint8Array(maxEvents);
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
    const w = this.w;
    w.reset();
    const prefix = `{"server_seqno":${seqno},"Events":[`;
    w.ensure(prefix.length);
    w.pos += w.buf.write(prefix, w.pos, "latin1");
  }

  /** Appends the (validated) record at `r`; `recEnd` is where the record ends in the batch. */
  add(r: number, recEnd: number, tracker: FlowTracker, stage: CommitStage | undefined, arrivalStage: number): void {
    const b = this.batch!;
    const w = this.w;
    const i = this.n;
    if (i === 0) this.firstRec = r;
    else {
      w.ensure(1);
      w.buf[w.pos++] = COMMA;
    }
    this.starts[i] = w.pos;
    writeEventJson(w, b, r, tracker, stage);
    this.ends[i] = w.pos;
    const type = b[r + REC_EVENT_TYPE];
    this.types[i] = type;
    this.mask |= 1 << type;
    if (type === ExecEventType.TXN_CALL_FRAME && movesValue(b, r)) this.mask |= NATIVE_TRANSFER_BIT;
    this.arrival[i] = arrivalStage;
    this.recs[i] = r;
    this.endRec = recEnd;
    this.lastRec = r;
    this.n = i + 1;
  }

  /** Closes the frame: bytes copied out, index in one small allocation. */
  finish(): Frame {
    const w = this.w;
    w.ensure(2);
    w.pos += CLOSE.copy(w.buf, w.pos);
    const bytes = this.pool.alloc(w.pos);
    w.buf.copy(bytes, 0, 0, w.pos);
    const n = this.n;
    const raw = this.pool.alloc(this.endRec - this.firstRec);
    this.batch!.copy(raw, 0, this.firstRec, this.endRec);
    // One buffer for the whole index: three u32 arrays, then two u8 arrays.
    const store = new ArrayBuffer(n * 14);
    const index: EventIndex = {
      count: n,
      typeMask: this.mask,
      jsonStart: new Uint32Array(store, 0, n),
      jsonEnd: new Uint32Array(store, 4 * n, n),
      rawStart: new Uint32Array(store, 8 * n, n),
      types: new Uint8Array(store, 12 * n, n),
      arrivalStage: new Uint8Array(store, 13 * n, n),
      raw,
    };
    index.jsonStart.set(this.starts.subarray(0, n));
    index.jsonEnd.set(this.ends.subarray(0, n));
    index.types.set(this.types.subarray(0, n));
    index.arrivalStage.set(this.arrival.subarray(0, n));
    for (let i = 0; i < n; i++) index.rawStart[i] = this.recs[i] - this.firstRec;
    const frame = new Frame(this.seqno, FrameKind.Events, bytes, index);
    frame.ringMs = recordMs(this.batch!, this.lastRec);
    this.n = 0;
    this.batch = null;
    return frame;
  }
}

/** record_epoch_nanos of the record at `r`, as ms since the Unix epoch (sub-ms precision kept). */
export function recordMs(b: Buffer, r: number): number {
  return b.readUInt32LE(r + REC_EPOCH_NANOS) / 1e6 + b.readUInt32LE(r + REC_EPOCH_NANOS + 4) * (2 ** 32 / 1e6);
}
