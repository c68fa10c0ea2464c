// What /stats reports for one target. Counters only grow; gauges describe now.
import type { GapRecord } from "./gateway-stream.js";

export interface TargetCounters {
  delivered_batches: number;
  delivered_frames: number;
  delivered_events: number;
  /** Failed attempts that were retried (5xx, 429, timeouts, connection errors). */
  retried: number;
  dead_lettered_batches: number;
  dead_lettered_events: number;
  gaps: number;
  /** Frames known to be lost in gaps (ranges with a known end); ring losses count events. */
  gap_frames_lost: number;
  redelivered: number;
}

export const newCounters = (): TargetCounters => ({
  delivered_batches: 0,
  delivered_frames: 0,
  delivered_events: 0,
  retried: 0,
  dead_lettered_batches: 0,
  dead_lettered_events: 0,
  gaps: 0,
  gap_frames_lost: 0,
  redelivered: 0,
});

export type TargetState = "starting" | "idle" | "delivering" | "retrying" | "stopped";

export interface TargetStats extends TargetCounters {
  name: string;
  url: string;
  state: TargetState;
  gateway_connected: boolean;
  last_error: string | null;
  acked: { epoch: string; server_seqno: number } | null;
  /** Gateway's newest seqno minus the last acknowledged one (same epoch), or null when unknown. */
  lag_seqnos: number | null;
  /** How long the oldest frame the relay holds for this target has waited; 0 when caught up. */
  lag_ms: number;
  /** Frames held in the batch being built and the one in flight (the SDK queue adds at most queue_frames). */
  held_frames: number;
  /** The most frames this target can hold in memory: queue_frames + one batch. */
  max_held_frames: number;
  last_gap: (GapRecord & { at: string }) | null;
  dead_letters: number;
}
