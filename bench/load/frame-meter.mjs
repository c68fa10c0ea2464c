// What one received frame tells a load generator: delivery latency, events, bytes, and losses.
// It reads only a few bytes of each frame (no JSON.parse of the stream) so that the client side stays
// cheap next to the server it measures.
//
// Latency: now (wall clock, µs) − timestamp_ns of the newest event in an Events frame. Events are in
// ring order and timestamp_ns is the last key of each event, so the last `"timestamp_ns":` of the
// frame is the newest event's. It has 19 digits (> 2^53): parsed digit by digit as µs (all but the
// last 3 digits: 16 digits, exact below 2^53 until the year 2255) plus the ns remainder.
import hdr from "hdr-histogram-js";

const TS_KEY = Buffer.from('"timestamp_ns":');
const SEQNO_KEY = Buffer.from('"seqno":');
const EVENT_KEY = Buffer.from('"event_name":');
const PREFIX_LEN = '{"server_seqno":'.length;
const E = 0x45;
const V = 0x76;
const W = 0x57;

/** µs histograms: up to 10 minutes, 3 significant digits. */
export function newHistogram() {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

export function nowUs() {
  return (performance.timeOrigin + performance.now()) * 1000;
}

/** Per-connection state for firehose accounting. */
export function connectionState() {
  return { firstRing: -1, lastRing: -1, events: 0 };
}

export class FrameMeter {
  /** firehose: the connection gets every ring event, so missing ring seqnos are losses. */
  constructor({ firehose }) {
    this.firehose = firehose;
    this.hist = newHistogram();
    this.reset([]);
  }

  /** Starts the measurement window (connections' firehose spans restart too). */
  reset(connStates) {
    this.hist.reset();
    this.frames = 0;
    this.eventsFrames = 0;
    this.events = 0;
    this.bytes = 0;
    this.warnings = 0;
    this.dropped = 0;
    this.negative = 0;
    this.otherWarnings = 0;
    for (const s of connStates) Object.assign(s, connectionState());
  }

  onFrame(buf, conn) {
    this.frames++;
    this.bytes += buf.length;
    // After `{"server_seqno":N,"` comes the kind: Events / Warning / others.
    let p = PREFIX_LEN;
    while (p < buf.length && buf[p] >= 0x30 && buf[p] <= 0x39) p++;
    const k = p + 2;
    if (buf[k] === E && buf[k + 1] === V) this.onEvents(buf, conn);
    else if (buf[k] === W) this.onWarning(buf);
  }

  onEvents(buf, conn) {
    const now = nowUs();
    this.eventsFrames++;
    const t = buf.lastIndexOf(TS_KEY);
    if (t >= 0) {
      const lat = now - parseNsAsUs(buf, t + TS_KEY.length);
      if (lat < 0) this.negative++;
      this.hist.recordValue(Math.max(1, Math.round(lat)));
    }
    if (this.firehose) {
      // Every ring event, in order: the frame holds ring seqnos first..last, all of them.
      const first = readUint(buf, buf.indexOf(SEQNO_KEY) + SEQNO_KEY.length);
      const last = readUint(buf, buf.lastIndexOf(SEQNO_KEY) + SEQNO_KEY.length);
      const n = last - first + 1;
      this.events += n;
      if (conn.firstRing < 0) conn.firstRing = first;
      conn.lastRing = last;
      conn.events += n;
    } else {
      for (let i = buf.indexOf(EVENT_KEY); i >= 0; i = buf.indexOf(EVENT_KEY, i + EVENT_KEY.length)) this.events++;
    }
  }

  onWarning(buf) {
    this.warnings++;
    try {
      const w = JSON.parse(buf.toString("utf8")).Warning;
      if (w.type === "backpressure") this.dropped += w.dropped;
      else this.otherWarnings++;
    } catch {
      this.otherWarnings++;
    }
  }

  /** Window totals; `missed` = ring events inside each firehose connection's span it never got. */
  summary(connStates) {
    let missed = 0;
    if (this.firehose) for (const s of connStates) if (s.firstRing >= 0) missed += s.lastRing - s.firstRing + 1 - s.events;
    return {
      frames: this.frames,
      eventsFrames: this.eventsFrames,
      events: this.events,
      bytes: this.bytes,
      warnings: this.warnings,
      droppedFrames: this.dropped,
      otherWarnings: this.otherWarnings,
      missedEvents: missed,
      negativeLatencies: this.negative,
      histogram: hdr.encodeIntoCompressedBase64(this.hist),
    };
  }
}

function readUint(buf, p) {
  let v = 0;
  for (; p < buf.length; p++) {
    const d = buf[p] - 0x30;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  return v;
}

/** A decimal nanosecond count at `p`, as µs (fractional), exact: see the header. */
function parseNsAsUs(buf, p) {
  let end = p;
  while (end < buf.length && buf[end] >= 0x30 && buf[end] <= 0x39) end++;
  const split = end - 3;
  let us = 0;
  for (let i = p; i < split; i++) us = us * 10 + (buf[i] - 0x30);
  let ns = 0;
  for (let i = Math.max(p, split); i < end; i++) ns = ns * 10 + (buf[i] - 0x30);
  return us + ns / 1000;
}
