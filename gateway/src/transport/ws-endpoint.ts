// The WebSocket API: channels, the Hello/Resume handshake, subscribe messages, per-IP and rate limits.
// Delivery itself (cursors, drops, slow clients) is the hub's; this module only adapts sockets to it.
import type { Client } from "../broadcast/client.js";
import type { Frame } from "../broadcast/frame.js";
import type { Hub } from "../broadcast/hub.js";
import { channelDefault, CHANNELS, compileSubscription, SubscriptionError, type Channel, type SubscribeSpec, type Subscription } from "../broadcast/subscription.js";
import { bytesFor } from "../broadcast/variants.js";
import { sendJson } from "./http.js";
import { clientAddress, type TrustedProxies } from "./client-address.js";
import { asAdvancedSubscription, parseClientMessage } from "../protocol/client-message.js";
import { KNOWN_FEATURES } from "../protocol/constants.js";
import type { ErrorDescription } from "../protocol/describe-error.js";
import { SEND_SUCCESS, type HttpRequest, type HttpResponse, type TemplatedApp, type WebSocket } from "./uws.js";

export interface WsLimits {
  maxConnectionsPerIp: number;
  maxMessageBytes: number;
  subscribesPerMinute: number;
  /** Seconds without traffic before a ping; the socket closes after twice this with no answer. */
  heartbeatIntervalSecs: number;
  trustedProxies: TrustedProxies;
}

export interface StreamContext {
  epoch: string;
  serverVersion: string;
  hub: Hub;
  limits: WsLimits;
  /** Frames holding current state (TPS, contention, top accesses, active lifecycles), in seqno order. */
  snapshotFrames(): Frame[];
  /** A client connection closed (for metrics). */
  disconnected(): void;
  log: { info(o: object, msg: string): void; warn(o: object, msg: string): void };
}

interface SocketData {
  channel: Channel;
  /** From ?subscribe=<json>: known before replay starts, so a resume is filtered exactly. */
  sub: Subscription | null;
  ip: string;
  resumeFrom: number | null;
  epoch: string | null;
  client: Client | null;
  subscribeTimes: number[];
}

const HARD_MESSAGE_LIMIT = 1024 * 1024;

const PATHS: Record<string, Channel> = {
  "/": "all",
  "/v1/ws": "all",
  "/v1/ws/blocks": "blocks",
  "/v1/ws/txs": "txs",
  "/v1/ws/contention": "contention",
  "/v1/ws/lifecycle": "lifecycle",
};

/** Every feature this server implements: all the protocol defines. */
export const FEATURES = Object.keys(KNOWN_FEATURES);

export function mountWebSocket(app: TemplatedApp, ctx: StreamContext): { closeAll(code: number, reason: string): void } {
  const perIp = new Map<string, number>();
  const sockets = new Set<WebSocket<SocketData>>();
  const defaults = new Map(CHANNELS.map((c) => [c, compileSubscription(channelDefault(c))]));

  for (const [path, channel] of Object.entries(PATHS)) {
    app.ws<SocketData>(path, {
      // Messages up to 1 MiB are read and answered (an Error frame when over the limit); a larger one
      // is abuse, and uWS closes the connection with 1009.
      maxPayloadLength: Math.max(ctx.limits.maxMessageBytes, HARD_MESSAGE_LIMIT),
      idleTimeout: Math.max(8, Math.ceil((2 * ctx.limits.heartbeatIntervalSecs) / 4) * 4),
      sendPingsAutomatically: true,
      // The hub stops sending per client at the first backpressure, and moves a topic member that
      // falls 1 MiB behind off its topic (checked at least every 8 MiB published): uWS drops a
      // message silently only beyond this, which the hub never lets a socket reach.
      maxBackpressure: 64 * 1024 * 1024,
      upgrade: (res, req, context) => upgrade(res, req, context, channel),
      open: (ws) => open(ws),
      message: (ws, message) => onMessage(ws, message),
      // Catch up on the next tick, not inside the drain callback: this uWS build stops emitting drain
      // for a socket whose drain handler hit backpressure again with a large frame (measured).
      drain: (ws) => resumeSoon(ws),
      close: (ws) => {
        sockets.delete(ws);
        ctx.disconnected();
        const d = ws.getUserData();
        if (d.client) ctx.hub.remove(d.client);
        d.client = null;
        const n = (perIp.get(d.ip) ?? 1) - 1;
        if (n > 0) perIp.set(d.ip, n);
        else perIp.delete(d.ip);
      },
    });
  }

  function resumeSoon(ws: WebSocket<SocketData>): void {
    const c = ws.getUserData().client;
    if (!c || c.resumeScheduled) return;
    c.resumeScheduled = true;
    setImmediate(() => {
      c.resumeScheduled = false;
      if (!c.closed && sockets.has(ws)) ws.cork(() => ctx.hub.drained(c));
    });
  }

  // Watchdog: a blocked client whose socket has emptied is resumed even if no drain event came.
  // Caught-up clients get live frames through uWS topics (the hub decides who is a member).
  ctx.hub.publisher = (topic, bytes) => void app.publish(topic, bytes, false);
  const watchdog = setInterval(() => {
    ctx.hub.sweepTopics();
    for (const ws of sockets) {
      const c = ws.getUserData().client;
      if (c && c.blocked && !c.closed && ws.getBufferedAmount() === 0) resumeSoon(ws);
    }
  }, 100);
  watchdog.unref();

  function upgrade(res: HttpResponse, req: HttpRequest, context: unknown, channel: Channel): void {
    const ip = clientAddress(res, req, ctx.limits.trustedProxies);
    const query = new URLSearchParams(req.getQuery() ?? "");
    const key = req.getHeader("sec-websocket-key");
    const protocol = req.getHeader("sec-websocket-protocol");
    const extensions = req.getHeader("sec-websocket-extensions");
    if ((perIp.get(ip) ?? 0) >= ctx.limits.maxConnectionsPerIp) {
      sendJson(res, 429, { error: `too many connections from ${ip}: at most ${ctx.limits.maxConnectionsPerIp} per IP`, code: "too_many_connections" });
      return;
    }
    let resumeFrom: number | null = null;
    const rawResume = query.get("resume_from");
    if (rawResume !== null) {
      resumeFrom = /^\d{1,16}$/.test(rawResume) ? Number(rawResume) : NaN;
      if (!Number.isSafeInteger(resumeFrom)) {
        sendJson(res, 400, { error: `resume_from must be a non-negative integer (a server_seqno), got "${rawResume}"`, code: "invalid_resume_from" });
        return;
      }
    }
    let sub: Subscription | null = null;
    const rawSub = query.get("subscribe");
    if (rawSub !== null) {
      const parsed = parseClientMessage(`{"subscribe":${rawSub}}`);
      if (!parsed.ok || parsed.kind !== "subscribe") {
        const e: ErrorDescription = !parsed.ok ? parsed.error : { code: "invalid_subscribe", message: "not a subscription" };
        sendJson(res, 400, { error: `subscribe parameter: ${e.message}`, code: e.code, ...(e.valid ? { valid: e.valid } : {}) });
        return;
      }
      try {
        sub = compileSubscription(asAdvancedSubscription(parsed.message.subscribe) as SubscribeSpec);
      } catch (err) {
        if (!(err instanceof SubscriptionError)) throw err;
        sendJson(res, 400, { error: `subscribe parameter: ${err.message}`, code: err.code, ...(err.valid ? { valid: err.valid } : {}) });
        return;
      }
    }
    perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
    const data: SocketData = { channel, sub, ip, resumeFrom, epoch: query.get("epoch"), client: null, subscribeTimes: [] };
    res.upgrade(data, key, protocol, extensions, context as never);
  }

  function open(ws: WebSocket<SocketData>): void {
    sockets.add(ws);
    const d = ws.getUserData();
    const sub = d.sub ?? defaults.get(d.channel)!;
    const conn = {
      send: (b: Buffer) => ws.send(b, false) === SEND_SUCCESS,
      cork: (sends: () => void) => void ws.cork(sends),
      close: (code: number, reason: string) => ws.end(code, reason),
      subscribe: (topic: string) => void ws.subscribe(topic),
      // A ping is a send, and a send first drains this socket's pending topic messages: without it
      // they are lost at unsubscribe (gateway/test/uws-topic-order.test.ts).
      unsubscribe: (topic: string) => {
        ws.ping();
        ws.unsubscribe(topic);
      },
      bufferedAmount: () => ws.getBufferedAmount(),
    };
    const hub = ctx.hub;
    const buf = hub.buffer;
    let mode: "resume" | "snapshot";
    let reason: string | undefined;
    let position = buf.newest;
    const epochOk = d.epoch === null || d.epoch === ctx.epoch;
    if (d.resumeFrom === null) reason = "no_cursor";
    else if (!epochOk) reason = "epoch_mismatch";
    else if (d.resumeFrom > buf.newest) reason = "cursor_in_future";
    else if (buf.newest === 0) reason = "buffer_empty";
    else if (d.resumeFrom < buf.oldest - 1) reason = "cursor_too_old";
    const control: Buffer[] = [];
    const state: Buffer[] = [];
    if (reason === undefined) {
      mode = "resume";
      position = d.resumeFrom!;
    } else {
      mode = "snapshot";
      for (const f of ctx.snapshotFrames()) {
        const b = bytesFor(f, sub);
        if (b) state.push(b);
      }
    }
    const hello = {
      wire_version: 1,
      server_version: ctx.serverVersion,
      epoch: ctx.epoch,
      channel: d.channel,
      features: FEATURES,
      limits: {
        resume_buffer_size: buf.options.maxFrames,
        client_send_buffer: hub.options.maxPendingFrames,
        slow_client_drop_limit: hub.options.dropLimit,
        heartbeat_interval_secs: ctx.limits.heartbeatIntervalSecs,
        heartbeat_timeout_secs: 2 * ctx.limits.heartbeatIntervalSecs,
        max_message_bytes: ctx.limits.maxMessageBytes,
        max_subscribes_per_minute: ctx.limits.subscribesPerMinute,
        max_connections_per_ip: ctx.limits.maxConnectionsPerIp,
      },
      subscription: sub.spec,
    };
    control.push(Buffer.from(`{"server_seqno":${position},"Hello":${JSON.stringify(hello)}}`));
    const resume = { mode, epoch: ctx.epoch, oldest_seqno: buf.newest === 0 ? 0 : buf.oldest, newest_seqno: buf.newest, ...(d.resumeFrom !== null ? { resume_from: d.resumeFrom } : {}), ...(reason ? { reason } : {}) };
    control.push(Buffer.from(`{"server_seqno":${position},"Resume":${JSON.stringify(resume)}}`), ...state);
    ws.cork(() => {
      d.client = hub.add(conn, sub, d.channel, d.ip, position, control);
    });
    ctx.log.info({ client: d.client?.id, ip: d.ip, channel: d.channel, mode, reason, resume_from: d.resumeFrom }, "client connected");
  }

  function onMessage(ws: WebSocket<SocketData>, message: ArrayBuffer): void {
    const d = ws.getUserData();
    const c = d.client;
    if (!c) return;
    if (message.byteLength > ctx.limits.maxMessageBytes) {
      return sendError(c, { code: "message_too_large", message: `message of ${message.byteLength} bytes exceeds the limit of ${ctx.limits.maxMessageBytes}; it was ignored` });
    }
    const parsed = parseClientMessage(Buffer.from(message).toString("utf8"));
    if (!parsed.ok) return sendError(c, parsed.error);
    if (parsed.kind === "hello") {
      ctx.log.info({ client: c.id, hello: parsed.message.hello }, "client hello");
      return;
    }
    const now = Date.now();
    d.subscribeTimes = d.subscribeTimes.filter((t) => now - t < 60_000);
    if (d.subscribeTimes.length >= ctx.limits.subscribesPerMinute) {
      return sendError(c, { code: "rate_limited", message: `at most ${ctx.limits.subscribesPerMinute} subscribe messages per minute; this one was ignored` });
    }
    d.subscribeTimes.push(now);
    let sub: Subscription;
    try {
      sub = compileSubscription(asAdvancedSubscription(parsed.message.subscribe) as SubscribeSpec);
    } catch (err) {
      if (err instanceof SubscriptionError) return sendError(c, { code: err.code, message: err.message, valid: err.valid ? [...err.valid] : undefined });
      throw err;
    }
    if (sub.key === c.sub.key) return; // identical subscription: nothing changes
    ws.cork(() => ctx.hub.resubscribe(c, sub));
  }

  function sendError(c: Client, e: ErrorDescription): void {
    const body = JSON.stringify({ code: e.code, message: e.message, ...(e.valid ? { valid: e.valid } : {}), ...(e.path ? { path: e.path } : {}) });
    ctx.hub.sendControl(c, Buffer.from(`{"server_seqno":${c.streamPosition(ctx.hub.buffer.newest)},"Error":${body}}`));
  }

  return {
    closeAll(code, reason) {
      clearInterval(watchdog);
      for (const ws of [...sockets]) ws.end(code, reason);
    },
  };
}

export type { SubscribeSpec };
