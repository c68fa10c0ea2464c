// Writes the JSON of Events frames, which the frame builder leaves unwritten: a frame's bytes are
// written when something first needs them (a client that wants its events, a resume replay, a
// release frame), or else in the ring's idle gaps, oldest first. Event JSON is about half of ingest
// (measured on the capture: 1.12M events/s read + enrich + index without it, 0.50M with it), so
// events no caught-up client wants (a blocks-channel gateway's transactions) no longer stand between
// a block's first events and its end on the way to the socket. Each frame is still serialized once.
//
// JSON needs the flow tracker's memory of the frame's block (block number, txn hashes), which holds
// the newest 8 blocks; frames left unwritten when a second block starts are written then, and all of
// them before the tracker is reset. It must also say only what was known when the event arrived: an
// event recorded before its transaction's header (TxnPerfEvmEnter) has no txn_hash, written now or
// later (a flag in the frame's index).
import { writeSeenEventJson, type FlowTracker } from "../decode/index.js";
import { JsonWriter } from "../decode/json-writer.js";
import { STAGE_NAMES, STAGE_UNKNOWN } from "./stage.js";
import { EVENT_NO_TXN_HASH, type Frame, type FrameSerializer } from "./frame.js";
import type { ResumeBuffer } from "./resume-buffer.js";
import { framePool, type SlabPool } from "./slab-pool.js";

const COMMA = 0x2c;
const CLOSE = Buffer.from("]}");

export class EventsSerializer implements FrameSerializer {
  // Reused: writing into a hot buffer and copying each frame out beats writing into fresh slabs.
  private readonly w = new JsonWriter(1 << 20);
  /** Frames not yet written, oldest first, from `head`. */
  private pending: Frame[] = [];
  private head = 0;
  /** pending[head, barrier) were built before the latest block start. */
  private barrier = 0;

  constructor(
    private readonly tracker: FlowTracker,
    private readonly store: ResumeBuffer | null,
    private readonly pool: SlabPool = framePool(),
  ) {}

  /** Frames waiting for their JSON. */
  get backlog(): number {
    return this.pending.length - this.head;
  }

  /** A frame was built without its JSON. */
  deferred(frame: Frame): void {
    this.pending.push(frame);
  }

  /** A block started: what was built before the previous block start is written now (tracker memory). */
  blockStarted(): void {
    this.writePending(this.barrier, Infinity);
    this.barrier = this.pending.length;
  }

  /** Writes pending frames, oldest first, until about `maxEvents` events are done. */
  writeSome(maxEvents: number): void {
    this.writePending(this.pending.length, maxEvents);
  }

  /** Writes every pending frame (before the tracker forgets or is reset). */
  writeAll(): void {
    this.writePending(this.pending.length, Infinity);
  }

  serialize(frame: Frame): void {
    if (frame.serializer !== this) return;
    this.write(frame, null);
    const w = this.w;
    const bytes = this.pool.alloc(w.pos);
    w.buf.copy(bytes, 0, 0, w.pos);
    frame.bytes = bytes;
    frame.serializer = null;
    this.store?.resized(frame, bytes.length);
  }

  partial(frame: Frame, picked: readonly number[]): Buffer {
    this.write(frame, picked);
    return Buffer.from(this.w.buf.subarray(0, this.w.pos));
  }

  /** Writes the frame with every event (noting each one's JSON offsets) or only `picked` into `w`. */
  private write(frame: Frame, picked: readonly number[] | null): void {
    const ev = frame.events!;
    const w = this.w;
    w.reset();
    const prefix = `{"server_seqno":${frame.seqno},"Events":[`;
    w.ensure(prefix.length);
    w.pos += w.buf.write(prefix, w.pos, "latin1");
    const n = picked === null ? ev.count : picked.length;
    for (let k = 0; k < n; k++) {
      if (k > 0) {
        w.ensure(1);
        w.buf[w.pos++] = COMMA;
      }
      const i = picked === null ? k : picked[k];
      const start = w.pos;
      const s = ev.commitStage[i];
      writeSeenEventJson(w, ev.raw, ev.rawStart[i], this.tracker, s === STAGE_UNKNOWN ? undefined : STAGE_NAMES[s], (ev.flags[i] & EVENT_NO_TXN_HASH) === 0);
      if (picked === null) {
        ev.jsonStart[i] = start;
        ev.jsonEnd[i] = w.pos;
      }
    }
    w.ensure(2);
    w.pos += CLOSE.copy(w.buf, w.pos);
  }

  /** Writes pending[head, end), oldest first, stopping once `maxEvents` events are done. */
  private writePending(end: number, maxEvents: number): void {
    let done = 0;
    while (this.head < end && done < maxEvents) {
      const f = this.pending[this.head++];
      if (f.serializer === null) continue; // written already, for a client
      done += f.eventCount;
      this.serialize(f);
    }
    if (this.head >= this.pending.length) {
      this.pending.length = 0;
      this.barrier = 0;
      this.head = 0;
    } else if (this.head >= 4096) {
      this.pending = this.pending.slice(this.head);
      this.barrier = Math.max(0, this.barrier - this.head);
      this.head = 0;
    }
  }
}
