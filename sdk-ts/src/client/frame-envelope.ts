// A server frame is {"server_seqno": N, "<Kind>": body}: this splits one into its parts, keeping
// integers above 2^53 exact (parseJson).
import { parseJson } from "../json/parse.js";
import type { Int } from "../u64.js";

export interface Envelope {
  kind: string;
  seqno: Int;
  body: unknown;
  frame: Record<string, unknown>;
}

/** The frame's parts; null for something that is not a frame; throws on text that is not JSON. */
export function readEnvelope(text: string): Envelope | null {
  const frame = parseJson(text) as Record<string, unknown>;
  if (typeof frame !== "object" || frame === null) return null;
  for (const k in frame) {
    if (k !== "server_seqno") return { kind: k, seqno: frame.server_seqno as Int, body: frame[k], frame };
  }
  return null;
}
