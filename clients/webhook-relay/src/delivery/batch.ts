// A batch: consecutive stream frames of one target and one gateway epoch, POSTed as one JSON body.
// Its idempotency key names exactly the frames in it (epoch:first:last server_seqno), so a batch
// sent again after a retry or a relay restart carries the same key and the same frames.
import { stringifyJson, type StreamFrame } from "@monad-gateway/sdk";

export interface Batch {
  target: string;
  epoch: string;
  firstSeqno: number;
  lastSeqno: number;
  /** Events in the batch (a non-Events frame counts as one). */
  events: number;
  frames: number;
  key: string;
  body: string;
  /** When the oldest frame of the batch reached the relay (for lag). */
  oldestReceivedAt: number;
}

export interface QueuedFrame {
  frame: StreamFrame;
  seqno: number;
  epoch: string;
  /** JSON of the frame, exact integers kept. */
  json: string;
  events: number;
  receivedAt: number;
}

export function queuedFrame(frame: StreamFrame, epoch: string, receivedAt = Date.now()): QueuedFrame {
  return {
    frame,
    seqno: Number(frame.server_seqno),
    epoch,
    json: stringifyJson(frame),
    events: "Events" in frame ? frame.Events.length : 1,
    receivedAt,
  };
}

export const idempotencyKey = (epoch: string, first: number, last: number): string => `${epoch}:${first}:${last}`;

export function buildBatch(target: string, frames: readonly QueuedFrame[]): Batch {
  const first = frames[0];
  const last = frames[frames.length - 1];
  const key = idempotencyKey(first.epoch, first.seqno, last.seqno);
  const events = frames.reduce((n, f) => n + f.events, 0);
  const head = JSON.stringify({ target, idempotency_key: key, epoch: first.epoch, first_seqno: first.seqno, last_seqno: last.seqno, event_count: events });
  // The frames are spliced in as the gateway's exact JSON (64-bit integers intact).
  const body = `${head.slice(0, -1)},"frames":[${frames.map((f) => f.json).join(",")}]}`;
  return {
    target,
    epoch: first.epoch,
    firstSeqno: first.seqno,
    lastSeqno: last.seqno,
    events,
    frames: frames.length,
    key,
    body,
    oldestReceivedAt: first.receivedAt,
  };
}

/** Bytes a frame adds to a batch body (its JSON and a comma). */
export const frameBytes = (f: QueuedFrame): number => Buffer.byteLength(f.json) + 1;
/** Bytes of a batch body besides its frames. */
export const BATCH_OVERHEAD_BYTES = 256;
