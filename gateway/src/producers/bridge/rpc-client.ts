// Ethereum JSON-RPC over HTTP with plain fetch: one request per call, a timeout per call, and two
// kinds of failure the bridge treats differently:
//   - RpcUnreachableError: the node did not answer (refused, reset, timeout, HTTP 5xx, not JSON).
//     The bridge retries with backoff; nothing is recorded for a block until all its data arrived.
//   - RpcCallError: the node answered with a JSON-RPC error. `unsupported` says whether it means
//     "this node does not have that method/tracer" (capability detection falls back on it).

export class RpcUnreachableError extends Error {
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${url}: ${message}`, options);
    this.name = "RpcUnreachableError";
  }
}

export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly rpcMessage: string,
  ) {
    super(`${method} failed: ${rpcMessage} (JSON-RPC error ${code})`);
    this.name = "RpcCallError";
  }

  /** The node lacks the method or the tracer (as opposed to a failure of this particular call). */
  get unsupported(): boolean {
    return this.code === -32601 || this.code === -32004 || /not (found|supported|available)|unknown (method|tracer)|does not exist|unsupported/i.test(this.rpcMessage);
  }
}

/** Checks an --rpc value; returns a message naming what is wrong, or undefined when it is usable. */
export function rpcUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `--rpc must be an http(s) URL such as http://127.0.0.1:8545, got "${raw}"`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `--rpc must use http or https (WebSocket endpoints are not supported), got "${raw}"`;
  }
  return undefined;
}

export interface RpcClientOptions {
  /** Per-call timeout in ms (the trace calls of a big block can be slow). Default 30,000. */
  timeoutMs?: number;
}

export class RpcClient {
  private nextId = 1;
  private readonly timeoutMs: number;
  /** Calls made and bytes received, for the bridge's stats. */
  calls = 0;
  bytesReceived = 0;

  constructor(
    readonly url: string,
    options: RpcClientOptions = {},
  ) {
    const problem = rpcUrlProblem(url);
    if (problem) throw new TypeError(problem);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async call<T>(method: string, params: unknown[] = [], signal?: AbortSignal): Promise<T> {
    const id = this.nextId++;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let text: string;
    let status: number;
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      const why = timeout.aborted ? `no answer to ${method} within ${this.timeoutMs} ms` : describeFetchError(e);
      throw new RpcUnreachableError(this.url, why, { cause: e });
    }
    this.calls++;
    this.bytesReceived += text.length;
    let body: { result?: T; error?: { code?: number; message?: string } };
    try {
      body = JSON.parse(text);
    } catch {
      throw new RpcUnreachableError(this.url, `HTTP ${status} with a non-JSON body to ${method}: ${text.slice(0, 120)}`);
    }
    if (body && typeof body === "object" && body.error) {
      throw new RpcCallError(method, Number(body.error.code ?? 0), String(body.error.message ?? "unknown error"));
    }
    if (status >= 500 || !body || typeof body !== "object" || !("result" in body)) {
      throw new RpcUnreachableError(this.url, `HTTP ${status} without a JSON-RPC result to ${method}: ${text.slice(0, 120)}`);
    }
    return body.result as T;
  }
}

/** "connect ECONNREFUSED 127.0.0.1:8545" rather than undici's bare "fetch failed". */
function describeFetchError(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  const cause = err?.cause;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.code} ${cause.message}` : cause.message;
  return err?.message ?? String(e);
}
