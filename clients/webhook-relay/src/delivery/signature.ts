// Batch signatures. The relay signs `${timestamp}.${body}` with HMAC-SHA256 and the target's
// secret; a receiver recomputes it over the raw body it received, compares in constant time, and
// rejects timestamps outside its replay window, so a captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-relay-signature";
export const TIMESTAMP_HEADER = "x-relay-timestamp";
export const IDEMPOTENCY_HEADER = "idempotency-key";
/** Receivers should reject requests whose timestamp is further than this from their clock. */
export const DEFAULT_REPLAY_WINDOW_SECS = 300;

export function signatureOf(secret: string, timestampSecs: number, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestampSecs}.`).update(body).digest("hex")}`;
}

export interface SignedHeaders {
  [TIMESTAMP_HEADER]: string;
  [SIGNATURE_HEADER]: string;
}

export function signBody(secret: string, body: string, now = Date.now()): SignedHeaders {
  const t = Math.floor(now / 1000);
  return { [TIMESTAMP_HEADER]: String(t), [SIGNATURE_HEADER]: signatureOf(secret, t, body) };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/**
 * What a receiver does (exported for receivers written in TypeScript): `body` must be the raw
 * request body, byte for byte, not a re-serialization.
 */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string | Buffer,
  options: { now?: number; replayWindowSecs?: number } = {},
): VerifyResult {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined) return { ok: false, reason: "missing signature or timestamp header" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed timestamp" };
  const age = Math.abs((options.now ?? Date.now()) / 1000 - Number(timestamp));
  if (age > (options.replayWindowSecs ?? DEFAULT_REPLAY_WINDOW_SECS)) return { ok: false, reason: `timestamp outside the replay window (${Math.round(age)} s off)` };
  const expected = Buffer.from(signatureOf(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature mismatch" };
  return { ok: true };
}
