// A frame is one WebSocket message of the stream, serialized once: {"server_seqno":N,"<Kind>":...}.
// Events frames also carry an index of their events, so a client whose subscription wants only some
// of them gets a variant built from byte slices of the same serialization, never a re-serialization.

export const FrameKind = {
  Events: 0,
  TPS: 1,
  ContentionData: 2,
  TopAccesses: 3,
  Lifecycle: 4,
} as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
export const FRAME_KIND_NAMES = ["Events", "TPS", "ContentionData", "TopAccesses", "Lifecycle"] as const;

/** Where each event of an Events frame is, and what filters need to know about it. */
export interface EventIndex {
  count: number;
  /** Bit t set when an event of type t is present (plus NATIVE_TRANSFER_BIT), for quick rejection. */
  typeMask: number;
  types: Uint8Array;
  /** Event i is json[jsonStart[i], jsonEnd[i]). */
  jsonStart: Uint32Array;
  jsonEnd: Uint32Array;
  /** The block's stage just before the event was observed (STAGE_UNKNOWN outside any known block). */
  arrivalStage: Uint8Array;
  /** The event's commit_stage, just after it was observed (STAGE_UNKNOWN: none). */
  commitStage: Uint8Array;
  /** EVENT_* flags: what the event's JSON, written later, must reflect of the moment it arrived. */
  flags: Uint8Array;
  /** The ring record of event i (descriptor + payload) is raw[rawStart[i], ...). */
  raw: Buffer;
  rawStart: Uint32Array;
}

/** EventIndex flag: the event's transaction hash was not known when it arrived (its JSON has no txn_hash). */
export const EVENT_NO_TXN_HASH = 1;

/** Bit for "TxnCallFrame moving value" (the old gateway's NativeTransfer filter name). */
export const NATIVE_TRANSFER_BIT = 1 << 30;

/** A release frame re-publishes held events (of earlier frames) once their block reaches a stage. */
export interface ReleaseSource {
  readonly stage: number;
  /** How many events it re-publishes. */
  readonly count: number;
  /** The k-th released event is event indexes[k] of frames[k]. */
  readonly frames: readonly Frame[];
  readonly indexes: Uint32Array;
}

/** Writes an Events frame's bytes (and its events' JSON offsets) when they were left for later. */
export interface FrameSerializer {
  serialize(frame: Frame): void;
  /** The frame as it would be with only events `picked` (ascending indexes), written directly. */
  partial(frame: Frame, picked: readonly number[]): Buffer;
}

export class Frame {
  /** Full bytes (every event); null for a release frame until first built, and while `serializer` is set. */
  bytes: Buffer | null;
  /** Set while an Events frame's JSON is not written yet: use fullBytes(), not `bytes`. */
  serializer: FrameSerializer | null = null;
  /** Per-subscription variants: key → bytes, or null when the subscription wants nothing here. */
  variants: Map<string, Buffer | null> | null = null;
  /** Bytes of variants built after the frame was stored (counted in `size`). */
  extraBytes = 0;
  /** Ring record time of the newest event behind this frame, ms since the Unix epoch (0 = unknown). */
  ringMs = 0;

  constructor(
    readonly seqno: number,
    readonly kind: FrameKind,
    bytes: Buffer | null,
    readonly events: EventIndex | null = null,
    /** Set on release frames: delivered only to subscriptions with exactly this min_stage. */
    readonly release: ReleaseSource | null = null,
  ) {
    this.bytes = bytes;
  }

  /** Approximate memory held, for the resume buffer's byte budget. */
  get size(): number {
    let n = 96 + (this.bytes?.length ?? 0) + this.extraBytes;
    if (this.events) n += this.events.raw.length + this.events.count * 16;
    if (this.release) n += this.release.count * 12;
    return n;
  }

  get eventCount(): number {
    return this.events?.count ?? this.release?.count ?? 0;
  }
}

/** The bytes of a stored frame with every event (an Events frame's JSON is written now if it was deferred). */
export function fullBytes(frame: Frame): Buffer | null {
  if (frame.serializer !== null) frame.serializer.serialize(frame);
  return frame.bytes;
}

/** `{"server_seqno":N,"Kind":` */
export function framePrefix(seqno: number, kindName: string): string {
  return `{"server_seqno":${seqno},"${kindName}":`;
}

/** Serializes a non-Events frame whose body is a JSON value. */
export function valueFrameBytes(seqno: number, kindName: string, bodyJson: string): Buffer {
  return Buffer.from(`${framePrefix(seqno, kindName)}${bodyJson}}`, "utf8");
}
