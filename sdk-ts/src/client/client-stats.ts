// Counters a GatewayClient keeps about its stream (client.stats).
/** Counters for monitoring and tests. */
export interface ClientStats {
  /** Stream frames delivered. */
  frames: number;
  /** Stream frames dropped as duplicates (server_seqno not above the last one delivered). */
  duplicates: number;
  /** Connections opened after the first. */
  reconnects: number;
  /** Gaps reported. */
  gaps: number;
  /** Times reading was paused because an iterator's buffer was full. */
  pauses: number;
}
