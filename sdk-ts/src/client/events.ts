// What GatewayClient emits. The first argument of each event is what the old SDK
// (@monad-labs/execution-events) passed, so its listeners work unchanged; later arguments are new.

import type {
  BlockLifecycleUpdate,
  ContentionData,
  ContentionDataFrame,
  EventsFrame,
  ExecEvent,
  LifecycleFrame,
  ResumeInfo,
  ServerHello,
  TopAccesses,
  TopAccessesFrame,
  TpsFrame,
  Warning,
} from "../generated/index.js";
import type { Int } from "../u64.js";

/** A frame of the broadcast stream (the frames ?resume_from replays). */
export type StreamFrame = EventsFrame | TpsFrame | ContentionDataFrame | TopAccessesFrame | LifecycleFrame;

/**
 * How a stream frame reached this client: `live`; `replay`, re-sent after a reconnect because the
 * client missed it; or `snapshot`, current state (latest TPS, contention, active lifecycles) sent
 * instead of a replay when one was impossible.
 */
export type FrameSource = "live" | "replay" | "snapshot";

/** Where a stream frame sits in the gateway's stream. */
export interface FrameInfo {
  serverSeqno: Int;
  /** The gateway run the seqno belongs to (Hello.epoch), or null before a Hello. */
  epoch: string | null;
  source: FrameSource;
}

/**
 * Why data is missing:
 * - `backpressure`: the gateway dropped frames for this client because it read too slowly;
 * - `ring_gap`, `payload_expired`: events were lost between the execution client and the gateway;
 * - `gateway_restarted`: the gateway restarted (new epoch) while the client was away; its buffer
 *   went with it, so the client got a snapshot of current state instead of a replay;
 * - `cursor_too_old`: the client was away longer than the gateway's resume buffer covers;
 * - `cursor_in_future`, `buffer_empty`: the gateway's buffer does not hold the client's position
 *   (a restart that kept the epoch, or none announced); what happened in between is unknown.
 */
export type GapReason = "backpressure" | "ring_gap" | "payload_expired" | "gateway_restarted" | "cursor_too_old" | "cursor_in_future" | "buffer_empty";

/** A range of server_seqnos of one epoch; `to` is absent when the end is unknown. */
export interface SeqnoRange {
  epoch: string | null;
  from: Int;
  to?: Int;
}

/**
 * Data was lost. Emitted for every loss the client can know of, with what is known of the missing
 * range. Frames of a range that the subscription would not have selected were not lost for this
 * client, but the client cannot tell them apart: ranges are in server_seqnos, which are global.
 */
export interface Gap {
  reason: GapReason;
  /** Human-readable summary. */
  message: string;
  /**
   * The missing server_seqnos: exact for backpressure and cursor_too_old; for gateway_restarted the
   * rest of the old epoch (end unknown) and the new epoch's frames before the client's new position.
   * Empty for ring losses: those events never got a server_seqno.
   */
  ranges: SeqnoRange[];
  /** Frames dropped (backpressure) or ring events lost (ring_gap, payload_expired), when counted. */
  count?: number;
  /** The client's position when the loss was detected: the gap lies after the last frame delivered. */
  after: { epoch: string | null; serverSeqno: Int | null };
}

export interface DisconnectInfo {
  code: number;
  reason: string;
  /** Why the connection failed, when it did (an HTTP refusal, a network error). */
  error?: Error;
}

/** Listener signatures of GatewayClient.on/once/off. */
export interface GatewayClientEvents {
  /** One execution event (each event of an Events frame, in order). */
  event: (event: ExecEvent, info: FrameInfo) => void;
  /** The events of one Events frame. */
  events: (events: ExecEvent[], info: FrameInfo) => void;
  /** Transactions per second (TPS frame). */
  tps: (tps: number, info: FrameInfo) => void;
  contention: (data: ContentionData, info: FrameInfo) => void;
  topAccesses: (data: TopAccesses, info: FrameInfo) => void;
  lifecycle: (update: BlockLifecycleUpdate, info: FrameInfo) => void;
  /** Every stream frame, deduplicated, in server_seqno order (after the kind-specific event). */
  frame: (frame: StreamFrame, info: FrameInfo) => void;
  /** First frame of each connection. */
  hello: (hello: ServerHello) => void;
  /** Second frame of each connection: replay or snapshot. */
  resume: (info: ResumeInfo) => void;
  /** Any Warning frame (also those that cause a "gap"). */
  warning: (warning: Warning, serverSeqno: Int) => void;
  /** Data was lost; see Gap. */
  gap: (gap: Gap) => void;
  connected: () => void;
  disconnected: (info: DisconnectInfo) => void;
  /** A reconnect attempt is scheduled in delayMs. */
  reconnecting: (attempt: number, delayMs: number) => void;
  /**
   * Connection failures, Error frames (GatewayProtocolError: a rejected subscribe), exceptions
   * thrown by listeners, and giving up after maxReconnectAttempts.
   */
  error: (error: Error) => void;
}
