// The bytes a subscription gets from a frame: the shared serialization when it wants all of it, a
// variant built from slices of that serialization when it wants some of it, or null. Variants are
// cached on the frame by subscription key, so each distinct subscription costs one build per frame.
import { Frame, FrameKind, fullBytes, type EventIndex } from "./frame.js";
import type { ResumeBuffer } from "./resume-buffer.js";
import { Stage, STAGE_NAMES, STAGE_UNKNOWN } from "./stage.js";
import { wantsEvent, type Subscription } from "./subscription.js";

const COMMA = 0x2c;
const EVENTS_SUFFIX = Buffer.from("]}");
const STAGE_KEY = Buffer.from('"commit_stage":"');
const QUOTE = 0x22;

export function bytesFor(frame: Frame, sub: Subscription, store?: ResumeBuffer): Buffer | null {
  if ((sub.kindMask & (1 << frame.kind)) === 0) return null;
  if (frame.kind !== FrameKind.Events) return frame.bytes;
  if (frame.release) {
    if (sub.minStage !== frame.release.stage) return null;
  } else if (frame.events) {
    const types = frame.events.typeMask;
    if ((types & sub.eventMask) === 0) return null;
    // Wants every event of the frame (no filters, nothing held): the shared bytes, no scan, no cache
    // entry. This is the firehose's path, live and in resume replays.
    if ((types & ~sub.eventMask) === 0 && sub.filters.size === 0 && sub.minStage === Stage.Proposed) return fullBytes(frame);
  }
  const cached = frame.variants?.get(sub.key);
  if (cached !== undefined) return cached;
  const built = frame.release ? buildRelease(frame, sub) : buildLive(frame, frame.events!, sub);
  (frame.variants ??= new Map()).set(sub.key, built);
  if (built && built !== frame.bytes) {
    if (store) store.grew(frame, built.length);
    else frame.extraBytes += built.length;
  }
  return built;
}

/** Events a min_stage subscription may see live: those whose block had already reached that stage. */
function passesStage(sub: Subscription, ev: EventIndex, i: number): boolean {
  if (sub.minStage === Stage.Proposed) return true;
  const s = ev.arrivalStage[i];
  return s === STAGE_UNKNOWN || (s >= sub.minStage && s !== Stage.Rejected);
}

function buildLive(frame: Frame, ev: EventIndex, sub: Subscription): Buffer | null {
  const picked: number[] = [];
  for (let i = 0; i < ev.count; i++) {
    if (passesStage(sub, ev, i) && wantsEvent(sub, ev.types[i], ev.raw, ev.rawStart[i])) picked.push(i);
  }
  if (picked.length === 0) return null;
  if (picked.length === ev.count) return fullBytes(frame);
  // A frame whose JSON is not written yet: write the few events picked rather than the whole frame
  // (a blocks client's BLOCK_END shares its frame with up to 255 transaction events).
  if (frame.serializer !== null) return frame.serializer.partial(frame, picked);
  const full = frame.bytes!;
  const prefixLen = ev.jsonStart[0];
  let size = prefixLen + EVENTS_SUFFIX.length + picked.length - 1;
  for (const i of picked) size += ev.jsonEnd[i] - ev.jsonStart[i];
  const out = Buffer.allocUnsafe(size);
  let p = full.copy(out, 0, 0, prefixLen);
  picked.forEach((i, k) => {
    if (k > 0) out[p++] = COMMA;
    p += full.copy(out, p, ev.jsonStart[i], ev.jsonEnd[i]);
  });
  EVENTS_SUFFIX.copy(out, p);
  return out;
}

/** Held events re-published at their block's new stage, each re-stamped with that stage. */
function buildRelease(frame: Frame, sub: Subscription): Buffer | null {
  const rel = frame.release!;
  const stage = Buffer.from(STAGE_NAMES[rel.stage]);
  const parts: Buffer[] = [Buffer.from(`{"server_seqno":${frame.seqno},"Events":[`)];
  let first = true;
  for (let k = 0; k < rel.indexes.length; k++) {
    const src = rel.frames[k];
    const ev = src.events!;
    const i = rel.indexes[k];
    if (!wantsEvent(sub, ev.types[i], ev.raw, ev.rawStart[i])) continue;
    if (!first) parts.push(Buffer.from([COMMA]));
    first = false;
    const bytes = fullBytes(src)!;
    const start = ev.jsonStart[i];
    const end = ev.jsonEnd[i];
    const at = bytes.indexOf(STAGE_KEY, start);
    if (at < 0 || at >= end) {
      parts.push(bytes.subarray(start, end));
      continue;
    }
    const valueStart = at + STAGE_KEY.length;
    const valueEnd = bytes.indexOf(QUOTE, valueStart);
    parts.push(bytes.subarray(start, valueStart), stage, bytes.subarray(valueEnd, end));
  }
  if (first) return null;
  parts.push(EVENTS_SUFFIX);
  return Buffer.concat(parts);
}
