// Errors the SDK throws or emits. Each carries what the gateway said, so a message like
// `unknown event "BlockStrat"; valid: ...` reaches the user verbatim.

import type { ProtocolError } from "./generated/index.js";

/** An HTTP request (REST, or the WebSocket upgrade) answered with a 4xx/5xx status. */
export class GatewayHttpError extends Error {
  override readonly name = "GatewayHttpError";
  constructor(
    /** The server's message (RestError.error), or the status line when the body had none. */
    message: string,
    readonly status: number,
    readonly url: string,
    /** Machine-readable code (RestError.code), when the server sent one. */
    readonly code?: string,
    /** Accepted values, when a parameter was outside a fixed set. */
    readonly valid?: readonly string[],
  ) {
    super(message);
  }
}

/** The gateway could not be reached at all (connection refused, DNS failure, TLS failure...). */
export class GatewayConnectionError extends Error {
  override readonly name = "GatewayConnectionError";
  constructor(
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The gateway rejected a client message (an Error frame); the previous subscription stays in effect. */
export class GatewayProtocolError extends Error {
  override readonly name = "GatewayProtocolError";
  readonly code: string;
  readonly valid?: readonly string[];
  readonly path?: string;
  constructor(e: ProtocolError) {
    super(e.message);
    this.code = e.code;
    if (e.valid !== undefined) this.valid = e.valid;
    if (e.path !== undefined) this.path = e.path;
  }
}

/** Text of a network error's cause chain, e.g. "fetch failed: connect ECONNREFUSED 127.0.0.1:1". */
export function describeCause(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const m = e instanceof Error ? e.message : String(e);
    if (m && !parts.includes(m)) parts.push(m);
    e = e instanceof Error ? (e as { cause?: unknown }).cause : undefined;
  }
  return parts.join(": ") || "unknown error";
}
