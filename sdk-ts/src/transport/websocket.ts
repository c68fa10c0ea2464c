// One WebSocket connection, over either the browser's native WebSocket or Node's `ws` package,
// behind the few operations the client needs.
//
// Both implement the WHATWG API (onopen/onmessage/onclose/onerror, text frames as strings). `ws`
// offers more, used when present: ping/pong (so the client can probe a quiet connection instead of
// mistaking silence for death), and the HTTP response of a refused upgrade (so "HTTP 400: subscribe
// parameter: unknown event ..." reaches the user instead of a bare "Unexpected server response").

import { GatewayConnectionError, GatewayHttpError, describeCause } from "../errors.js";

/** The subset of the WebSocket API the client uses (the browser's WebSocket and `ws` both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A WebSocket constructor: the browser's `WebSocket`, `ws`'s default export, or a compatible one. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `ws`-only extras, detected at run time. */
interface NodeWebSocketExtras {
  on(event: "ping" | "pong", listener: () => void): void;
  on(event: "unexpected-response", listener: (req: { destroy(): void }, res: NodeResponse) => void): void;
  on(event: "error", listener: (err: Error) => void): void;
  ping(): void;
  terminate(): void;
}
interface NodeResponse {
  statusCode?: number;
  statusMessage?: string;
  setEncoding(enc: string): void;
  on(event: "data", listener: (chunk: string) => void): void;
  on(event: "end" | "error", listener: () => void): void;
}

const OPEN = 1;

export interface SocketEvents {
  open(): void;
  message(text: string): void;
  /** Any inbound traffic, pings and pongs included: the connection is alive. */
  traffic(): void;
  /** Always called exactly once, last; `error` is why, when the connection failed. */
  close(code: number, reason: string, error?: Error): void;
}

export class Socket {
  private closed = false;
  private closing = false;
  private failure: Error | undefined;
  private readonly extras: NodeWebSocketExtras | undefined;

  constructor(
    private readonly ws: WebSocketLike,
    readonly url: string,
    private readonly events: SocketEvents,
  ) {
    const maybe = ws as unknown as Partial<NodeWebSocketExtras>;
    this.extras = typeof maybe.on === "function" && typeof maybe.ping === "function" ? (ws as unknown as NodeWebSocketExtras) : undefined;
    ws.onopen = () => this.events.open();
    ws.onmessage = (ev) => {
      if (this.closing) return; // closed on request: nothing more is delivered
      this.events.traffic();
      const data = ev.data;
      // Text frames arrive as strings from both implementations; anything else is not the protocol.
      if (typeof data === "string") this.events.message(data);
    };
    ws.onerror = (ev) => {
      if (this.closing) return; // we closed it: the error `ws` reports for an aborted handshake is ours
      this.failure ??= new GatewayConnectionError(
        describeCause((ev as { error?: unknown }).error ?? (ev as { message?: unknown }).message ?? "WebSocket connection failed"),
        url,
        {
          cause: (ev as { error?: unknown }).error,
        },
      );
    };
    ws.onclose = (ev) => this.finish(ev.code, ev.reason);
    if (this.extras) {
      // `ws` also emits errors as events, some after we stopped listening (a terminated handshake
      // reports on the next tick); an unlistened "error" would crash the process.
      this.extras.on("error", () => {});
      this.extras.on("ping", () => this.events.traffic());
      this.extras.on("pong", () => this.events.traffic());
      this.extras.on("unexpected-response", (req, res) => this.refused(req, res));
    }
  }

  get isOpen(): boolean {
    return !this.closed && this.ws.readyState === OPEN;
  }

  /** Whether ping() can probe the connection (Node's `ws`; browsers hide ping frames). */
  get canPing(): boolean {
    return this.extras !== undefined;
  }

  send(text: string): void {
    if (this.isOpen) this.ws.send(text);
  }

  ping(): void {
    if (this.isOpen) this.extras?.ping();
  }

  close(code = 1000, reason = ""): void {
    if (this.closed) return;
    this.closing = true;
    try {
      this.ws.close(code, reason);
    } catch {
      this.terminate();
    }
  }

  /** Drops the connection without the closing handshake (it is presumed dead); `error` says why. */
  terminate(reason = "connection lost", error?: Error): void {
    if (this.closed) return;
    if (error) this.failure ??= error;
    try {
      if (this.extras) this.extras.terminate();
      else this.ws.close(4000);
    } catch {
      // already closing
    }
    // A dead connection may never report its close; report it now.
    this.finish(1006, reason);
  }

  private finish(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.onopen = this.ws.onmessage = this.ws.onerror = this.ws.onclose = null;
    this.events.close(code, reason, this.failure);
  }

  /** `ws` only: the server answered the upgrade with an HTTP error; keep its JSON message. */
  private refused(req: { destroy(): void }, res: NodeResponse): void {
    const status = res.statusCode ?? 0;
    let body = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => {
      if (body.length < 65_536) body += chunk;
    });
    const done = () => {
      let message = `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`;
      let code: string | undefined;
      let valid: string[] | undefined;
      try {
        const parsed = JSON.parse(body) as { error?: unknown; code?: unknown; valid?: unknown };
        if (typeof parsed.error === "string") message = parsed.error;
        if (typeof parsed.code === "string") code = parsed.code;
        if (Array.isArray(parsed.valid)) valid = parsed.valid.filter((v): v is string => typeof v === "string");
      } catch {
        // not a RestError body: keep the status line
      }
      this.failure = new GatewayHttpError(message, status, this.url, code, valid);
      req.destroy();
      this.terminate(message);
    };
    res.on("end", done);
    res.on("error", done);
  }
}

/**
 * The WebSocket constructor to use: the one given, else `ws` under Node (Node 20 has no global
 * WebSocket, and `ws` adds ping and HTTP error details), else the global one (browsers, Deno, Bun).
 */
export async function webSocketConstructor(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given;
  const g = globalThis as { process?: { versions?: { node?: string } }; WebSocket?: unknown };
  if (g.process?.versions?.node !== undefined) {
    try {
      // Bundlers for browsers replace "ws" with an empty module (package.json "browser" field);
      // this branch never runs there.
      const mod = (await import("ws")) as { default?: unknown; WebSocket?: unknown };
      const ctor = mod.default ?? mod.WebSocket;
      if (typeof ctor === "function") return ctor as WebSocketConstructor;
    } catch {
      // fall through to a global WebSocket (Node >= 22 has one)
    }
  }
  if (typeof g.WebSocket === "function") return g.WebSocket as WebSocketConstructor;
  throw new Error("no WebSocket implementation found: install the `ws` package or pass options.WebSocket");
}
