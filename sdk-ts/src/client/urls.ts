// Gateway URLs. Users pass one base URL ("ws://host:8443", "http://host:8443", or a full channel
// URL); the client derives the WebSocket URL of a channel (with the resume cursor and subscription
// in the query) and the REST base from it.

import { CHANNEL_PATHS } from "../generated/constants.js";
import type { AdvancedSubscription, Channel, SimpleSubscription } from "../generated/index.js";
import { stringifyJson } from "../json/stringify.js";
import type { Int } from "../u64.js";

export interface ConnectQuery {
  /** Last stream server_seqno received: the server replays what follows, if still buffered. */
  resumeFrom?: Int | null;
  /** The epoch that cursor belongs to. */
  epoch?: string | null;
  /** Sent as ?subscribe= so even the replay is filtered by it. */
  subscription?: SimpleSubscription | AdvancedSubscription | null;
}

function parse(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new TypeError(`invalid gateway URL "${url}": expected e.g. ws://localhost:8443`);
  }
}

const WS_SCHEME: Record<string, string> = { "http:": "ws:", "https:": "wss:", "ws:": "ws:", "wss:": "wss:" };
const HTTP_SCHEME: Record<string, string> = { "ws:": "http:", "wss:": "https:", "http:": "http:", "https:": "https:" };

/**
 * The WebSocket URL for `channel`. A base URL with a path other than "/" is used as it is (the old
 * SDK did the same), so a URL that names a channel, or a proxy path, wins over `channel`.
 */
export function websocketUrl(base: string, channel: Channel, q: ConnectQuery = {}): string {
  const u = parse(base);
  const scheme = WS_SCHEME[u.protocol];
  if (scheme === undefined) throw new TypeError(`invalid gateway URL "${base}": the scheme must be ws, wss, http or https`);
  u.protocol = scheme;
  if (u.pathname === "" || u.pathname === "/") u.pathname = CHANNEL_PATHS[channel];
  if (q.resumeFrom !== undefined && q.resumeFrom !== null) u.searchParams.set("resume_from", String(q.resumeFrom));
  if (q.epoch) u.searchParams.set("epoch", q.epoch);
  if (q.subscription) u.searchParams.set("subscribe", stringifyJson(q.subscription));
  return u.toString();
}

const CHANNEL_PATH_SUFFIX = /\/v1\/ws(?:\/(?:blocks|txs|contention|lifecycle))?\/*$/;

/**
 * The REST base for a gateway URL: http(s), without query, trailing slashes or a WebSocket channel
 * path ("ws://h:8443/v1/ws/blocks" → "http://h:8443"). Other path prefixes (a reverse proxy's) stay.
 */
export function restBase(url: string): string {
  const u = parse(url);
  const scheme = HTTP_SCHEME[u.protocol];
  if (scheme === undefined) throw new TypeError(`invalid gateway URL "${url}": the scheme must be http, https, ws or wss`);
  u.protocol = scheme;
  u.search = "";
  u.hash = "";
  u.pathname = u.pathname.replace(CHANNEL_PATH_SUFFIX, "").replace(/\/+$/, "");
  return u.toString().replace(/\/+$/, "");
}
