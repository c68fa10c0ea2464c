// GatewayClient: one logical subscription to a gateway that survives reconnects.
//
// It owns the connection lifecycle (connect, heartbeat, jittered backoff, resume with the cursor,
// epoch and subscription in the URL), turns frames into typed events, drops duplicates, and reports
// every loss it can know of as a `gap`. The pieces live beside it: StreamPosition (cursor, dedupe,
// gaps), Consumers and FrameQueue (bounded async iteration), Watchdog (dead connections), Socket
// (transport).

import type { ClientStats } from "./client-stats.js";
import { NATIVE_TRANSFER, STREAM_FRAME_KINDS, WIRE_VERSION } from "../generated/constants.js";
import type {
  EventName,
  ExecEvent,
  ExecPayload,
  ProtocolError,
  ResumeInfo,
  ServerHello,
  TxnCallFramePayload,
  Warning,
} from "../generated/index.js";
import { GatewayConnectionError, GatewayHttpError, GatewayProtocolError } from "../errors.js";
import { readEnvelope, type Envelope } from "./frame-envelope.js";
import { stringifyJson } from "../json/stringify.js";
import * as rest from "../rest.js";
import { Socket, webSocketConstructor } from "../transport/websocket.js";
import type { Int } from "../u64.js";
import { SDK_VERSION } from "../version.js";
import { backoffDelay } from "./backoff.js";
import { Emitter } from "./emitter.js";
import type { FrameInfo, Gap, GatewayClientEvents, StreamFrame } from "./events.js";
import { Consumers, type ClientFrame, type IteratorOptions } from "./consumers.js";
import { resolveOptions, type GatewayClientOptions, type ResolvedOptions, type Subscription } from "./options.js";
import { StreamPosition } from "./stream-position.js";
import { websocketUrl } from "./urls.js";
import { Watchdog } from "./watchdog.js";

/** An execution event whose name is N, with its payload type narrowed accordingly. */
export type ExecEventOf<N extends EventName | typeof NATIVE_TRANSFER> = N extends EventName
  ? ExecEvent & { event_name: N; payload: Extract<ExecPayload, { type: N }> }
  : ExecEvent & { event_name: "TxnCallFrame"; payload: TxnCallFramePayload };

const STREAM_KINDS: ReadonlySet<string> = new Set(STREAM_FRAME_KINDS);
const PAUSE_REASON = "client paused: consumer is slow";
/** Longest subscription (JSON characters) sent in the URL. */
const MAX_URL_SUBSCRIPTION = 4096;

/** HTTP statuses of a refused upgrade that retrying cannot fix (a bad subscription, a wrong path). */
const PERMANENT_HTTP = new Set([400, 401, 403, 404, 405, 410]);

export type { ClientStats };

export class GatewayClient extends Emitter<GatewayClientEvents> {
  private readonly opts: ResolvedOptions;
  private readonly position: StreamPosition;
  private subscription: Subscription | null;
  private subscriptionInUrl = false;
  private socket: Socket | null = null;
  private watchdog: Watchdog | null = null;
  private serverHello: ServerHello | null = null;
  private currentResume: ResumeInfo | null = null;
  private pending: { resolve(): void; reject(e: Error): void } | null = null;
  /** The user wants a connection: connect() was called and disconnect() was not. */
  private wanted = false;
  private opening = false;
  private attempts = 0;
  private opened = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  /** Reading is paused for a full iterator buffer; `pauseClosing` while that close is under way. */
  private paused = false;
  private pauseClosing = false;
  private readonly consumers = new Consumers(() => this.resumeReading());
  private readonly eventWrappers = new Map<(...args: never[]) => void, GatewayClientEvents["event"]>();
  private readonly counters: ClientStats = { frames: 0, duplicates: 0, reconnects: 0, gaps: 0, pauses: 0 };

  constructor(options: GatewayClientOptions) {
    super();
    this.opts = resolveOptions(options);
    this.subscription = this.opts.subscription;
    this.position = new StreamPosition({ resumeFrom: this.opts.resumeFrom, epoch: this.opts.epoch });
  }

  // ─── State ─────────────────────────────────────────────────────────────────────────────────

  /** Whether the WebSocket is open. */
  get connected(): boolean {
    return this.socket?.isOpen ?? false;
  }

  /** The resume cursor: the last server_seqno reached (null before any). */
  get serverSeqno(): Int | null {
    return this.position.cursor;
  }

  /** Epoch (gateway run) of serverSeqno, from the last Hello/Resume. */
  get epoch(): string | null {
    return this.position.epoch;
  }

  /** The last connection's Hello: server version, features, limits, subscription in effect. */
  get hello(): ServerHello | null {
    return this.serverHello;
  }

  get stats(): Readonly<ClientStats> {
    return { ...this.counters };
  }

  // ─── Connection ────────────────────────────────────────────────────────────────────────────

  /**
   * Opens the connection; resolves when the WebSocket is open. If this first attempt fails it
   * rejects, and (as the old SDK did) with autoReconnect the client keeps trying in the background
   * until disconnect() — except for refusals retrying cannot fix (HTTP 400: a bad subscription).
   */
  connect(): Promise<void> {
    if (this.connected) return Promise.resolve();
    const promise = new Promise<void>((resolve, reject) => {
      const previous = this.pending;
      this.pending = {
        resolve: () => (previous?.resolve(), resolve()),
        reject: (e) => (previous?.reject(e), reject(e)),
      };
    });
    this.wanted = true;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    if (!this.opening && this.socket === null) void this.open();
    return promise;
  }

  /** Closes the connection and stops reconnecting; iterators finish after their buffered items. */
  disconnect(): void {
    this.wanted = false;
    this.paused = false;
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
    }
    this.socket?.close(1000, "client disconnect");
    this.consumers.endAll();
  }

  /**
   * Replaces the subscription: sent now if connected, and used (as ?subscribe=) on every reconnect.
   * A subscription the gateway rejects arrives as an "error" event (GatewayProtocolError) and the
   * previous one stays in effect on that connection.
   */
  subscribe(sub: Subscription): void;
  /** The old SDK's loose form. */
  subscribe(sub: string[] | { events: string[]; filters?: unknown[]; min_stage?: string }): void;
  subscribe(sub: Subscription | string[] | { events: string[]; filters?: unknown[]; min_stage?: string }): void {
    this.subscription = (Array.isArray(sub) ? [...sub] : { ...sub }) as Subscription;
    this.socket?.send(stringifyJson({ subscribe: this.subscription }));
  }

  /**
   * The Resume frame of the current connection, or of the next one when it has not arrived yet;
   * rejects after timeoutMs.
   */
  waitForResume(timeoutMs = 5000): Promise<ResumeInfo> {
    if (this.currentResume && this.connected) return Promise.resolve(this.currentResume);
    return new Promise((resolve, reject) => {
      const onResume = (info: ResumeInfo) => {
        clearTimeout(timer);
        resolve(info);
      };
      const timer = setTimeout(() => {
        this.off("resume", onResume);
        reject(new Error(`no Resume frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.once("resume", onResume);
    });
  }

  // ─── Consuming ─────────────────────────────────────────────────────────────────────────────

  /**
   * Listens for one event type, with its payload typed. "NativeTransfer" selects TxnCallFrame
   * events that move value (as the gateway's subscription item does).
   */
  onEvent<N extends EventName | typeof NATIVE_TRANSFER>(eventName: N, handler: (event: ExecEventOf<N>, info: FrameInfo) => void): this {
    const wrapper: GatewayClientEvents["event"] =
      eventName === NATIVE_TRANSFER
        ? (e, info) => {
            if (e.payload.type === "TxnCallFrame" && e.payload.value !== "0x0") handler(e as ExecEventOf<N>, info);
          }
        : (e, info) => {
            if (e.event_name === eventName) handler(e as ExecEventOf<N>, info);
          };
    this.eventWrappers.set(handler as (...args: never[]) => void, wrapper);
    return this.on("event", wrapper);
  }

  /** Removes a handler added with onEvent. */
  offEvent(handler: (...args: never[]) => void): this {
    const wrapper = this.eventWrappers.get(handler);
    if (wrapper) {
      this.eventWrappers.delete(handler);
      this.off("event", wrapper);
    }
    return this;
  }

  /**
   * Every execution event, as an async iterator with a bounded buffer. A slow consumer pauses the
   * connection instead of losing events: see FrameQueue. Ends when disconnect() is called; throws
   * when the client gives up reconnecting.
   */
  events(options: IteratorOptions = {}): AsyncIterableIterator<ExecEvent> {
    return this.consumers.open("events", options);
  }

  /** Every stream frame, and a { Gap } item wherever data was lost, with the same buffering as events(). */
  frames(options: IteratorOptions = {}): AsyncIterableIterator<ClientFrame> {
    return this.consumers.open("frames", options);
  }

  // ─── REST (the old SDK's static helpers) ──────────────────────────────────────────────────

  static fetchTPS = rest.fetchTPS;
  static fetchStatus = rest.fetchStatus;
  static fetchContention = rest.fetchContention;
  static fetchLifecycle = rest.fetchLifecycle;
  static fetchBlockLifecycle = rest.fetchBlockLifecycle;
  static fetchHealth = rest.fetchHealth;

  // ─── Internals ─────────────────────────────────────────────────────────────────────────────

  protected override listenerFailed(event: keyof GatewayClientEvents, err: unknown): void {
    if (event === "error") return; // an error listener that throws cannot be told about it
    this.emit("error", err instanceof Error ? err : new Error(String(err)));
  }

  private async open(): Promise<void> {
    this.opening = true;
    let ctor;
    try {
      ctor = await webSocketConstructor(this.opts.WebSocket);
    } catch (err) {
      this.opening = false;
      this.giveUp(err as Error);
      return;
    }
    this.opening = false;
    if (!this.wanted || this.socket !== null) return;
    this.position.connectionStarted();
    this.currentResume = null;
    // The subscription goes in the URL so even the replay is filtered, unless it is too long for
    // URL limits on the way (reverse proxies often allow 8 KB); then it is sent after the Hello.
    this.subscriptionInUrl = this.subscription !== null && stringifyJson(this.subscription).length <= MAX_URL_SUBSCRIPTION;
    const url = websocketUrl(this.opts.url, this.opts.channel, {
      resumeFrom: this.position.cursor,
      epoch: this.position.epoch,
      subscription: this.subscriptionInUrl ? this.subscription : null,
    });
    if (this.opened++ > 0) this.counters.reconnects++;
    let ws;
    try {
      ws = new ctor(url);
    } catch (err) {
      this.closed(1006, "", err as Error);
      return;
    }
    const socket = new Socket(ws, url, {
      open: () => this.onOpen(),
      message: (text) => this.onMessage(text),
      traffic: () => this.watchdog?.traffic(),
      close: (code, reason, error) => {
        if (this.socket === socket) this.closed(code, reason, error);
      },
    });
    this.socket = socket;
    // A gateway that accepts TCP but never answers the upgrade (frozen, overloaded) must not stall
    // reconnection forever.
    this.connectTimer = setTimeout(() => {
      const ms = this.opts.connectTimeout;
      socket.terminate(`no answer within ${ms} ms`, new GatewayConnectionError(`no answer within ${ms} ms`, url));
    }, this.opts.connectTimeout);
    this.watchdog = new Watchdog(this.opts.heartbeatTimeout, {
      canPing: socket.canPing,
      ping: () => socket.ping(),
      dead: (silent) => socket.terminate(`no traffic for ${silent} ms (heartbeatTimeout ${this.opts.heartbeatTimeout})`),
    });
  }

  private onOpen(): void {
    this.clearConnectTimer();
    this.attempts = 0;
    this.watchdog?.start();
    this.socket?.send(stringifyJson({ hello: { wire_version: WIRE_VERSION, client_name: this.opts.clientName, client_version: SDK_VERSION } }));
    this.emit("connected");
    const p = this.pending;
    this.pending = null;
    p?.resolve();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private closed(code: number, reason: string, error?: Error): void {
    this.clearConnectTimer();
    this.socket = null;
    this.watchdog?.stop();
    this.watchdog = null;
    this.currentResume = null;
    this.emit("disconnected", error ? { code, reason, error } : { code, reason });
    const failure = error ?? (this.pending ? new Error(`connection closed (${code}${reason ? ` ${reason}` : ""}) before it opened`) : undefined);
    if (error) this.emit("error", error);
    const p = this.pending;
    this.pending = null;
    if (p && failure) p.reject(failure);

    if (this.pauseClosing) {
      // Closed on purpose for a slow consumer; reopen now if it caught up meanwhile.
      this.pauseClosing = false;
      if (!this.paused && this.wanted) void this.open();
      return;
    }
    if (!this.wanted) return;
    if (error instanceof GatewayHttpError && PERMANENT_HTTP.has(error.status)) return this.giveUp(error);
    if (!this.opts.autoReconnect) return this.giveUp();
    this.attempts++;
    if (this.attempts > this.opts.maxReconnectAttempts) {
      return this.giveUp(new Error(`gave up after ${this.opts.maxReconnectAttempts} reconnect attempts${error ? `: ${error.message}` : ""}`));
    }
    const delay = backoffDelay(this.attempts, this.opts.backoff);
    this.emit("reconnecting", this.attempts, delay);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.wanted && this.socket === null && !this.opening) void this.open();
    }, delay);
  }

  /** No more connections: end the iterators (with the error, if one is why). */
  private giveUp(error?: Error): void {
    const notYetReported = error !== undefined && !(error instanceof GatewayHttpError);
    this.wanted = false;
    if (notYetReported) this.emit("error", error);
    const p = this.pending;
    this.pending = null;
    p?.reject(error ?? new Error("connection closed"));
    this.consumers.endAll(error);
  }

  private onMessage(text: string): void {
    // Paused (or closing for a pause, even if the consumer caught up meanwhile): the cursor stays at
    // the last frame accepted, and these frames are replayed on the next connection.
    if (this.paused || this.pauseClosing) return;
    let env: Envelope | null;
    try {
      env = readEnvelope(text);
    } catch (err) {
      this.emit("error", new Error(`unparseable frame from the gateway: ${(err as Error).message}`));
      return;
    }
    if (env === null) return;
    const { kind, seqno, body, frame } = env;
    if (STREAM_KINDS.has(kind)) return this.onStreamFrame(frame as unknown as StreamFrame, seqno);
    switch (kind) {
      case "Hello":
        return this.onHello(body as ServerHello);
      case "Resume": {
        const info = body as ResumeInfo;
        const gap = this.position.resumed(info);
        this.currentResume = info;
        this.emit("resume", info);
        if (gap) this.reportGap(gap);
        return;
      }
      case "Warning": {
        const w = body as Warning;
        this.emit("warning", w, seqno);
        const gap = this.position.warned(w);
        if (gap) this.reportGap(gap);
        return;
      }
      case "Error":
        this.emit("error", new GatewayProtocolError(body as ProtocolError));
        return;
      default:
        return; // a frame kind newer than this SDK: ignore it, as the protocol asks
    }
  }

  private onHello(hello: ServerHello): void {
    this.serverHello = hello;
    this.watchdog?.serverLimits(hello);
    this.emit("hello", hello);
    // Not in the URL, or a gateway without ?subscribe= support ignored it: send it as a message.
    if (this.subscription && (!this.subscriptionInUrl || !hello.features.includes("subscribe_in_url"))) {
      this.socket?.send(stringifyJson({ subscribe: this.subscription }));
    }
  }

  private onStreamFrame(frame: StreamFrame, seqno: Int): void {
    if (this.consumers.full) return this.pauseReading();
    const source = this.position.accept(seqno);
    if (source === null) {
      this.counters.duplicates++;
      return;
    }
    this.counters.frames++;
    const info: FrameInfo = { serverSeqno: seqno, epoch: this.position.epoch, source };
    if ("Events" in frame) {
      this.emit("events", frame.Events, info);
      if (this.listenerCount("event") > 0) for (const e of frame.Events) this.emit("event", e, info);
    } else if ("TPS" in frame) this.emit("tps", frame.TPS, info);
    else if ("ContentionData" in frame) this.emit("contention", frame.ContentionData, info);
    else if ("TopAccesses" in frame) this.emit("topAccesses", frame.TopAccesses, info);
    else this.emit("lifecycle", frame.Lifecycle, info);
    this.emit("frame", frame, info);
    this.consumers.frame(frame);
  }

  private reportGap(gap: Gap): void {
    this.counters.gaps++;
    this.emit("gap", gap);
    this.consumers.gap(gap);
  }

  /** An iterator's buffer is full: stop taking frames and close; resumeReading() reopens. */
  private pauseReading(): void {
    if (this.paused) return;
    this.paused = true;
    this.counters.pauses++;
    if (this.socket) {
      this.pauseClosing = true;
      this.socket.close(1000, PAUSE_REASON);
    }
  }

  private resumeReading(): void {
    if (!this.paused) return;
    if (this.consumers.full) return;
    this.paused = false;
    if (this.wanted && this.socket === null && !this.pauseClosing && !this.opening && this.reconnectTimer === null) void this.open();
  }
}
