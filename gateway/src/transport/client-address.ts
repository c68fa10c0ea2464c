// The address a connection counts against for per-IP limits. Behind a reverse proxy every socket comes
// from the proxy, so X-Forwarded-For is believed only when the socket's peer is a configured proxy.
import type { HttpRequest, HttpResponse } from "./uws.js";

export type TrustedProxies = ReadonlySet<string>;

export function clientAddress(res: HttpResponse, req: HttpRequest, trusted: TrustedProxies): string {
  const peer = normalize(Buffer.from(res.getRemoteAddressAsText()).toString());
  if (!trusted.has(peer)) return peer;
  const forwarded = req.getHeader("x-forwarded-for");
  // The right-most address not added by a trusted proxy is the client.
  const hops = forwarded.split(",").map((s) => normalize(s.trim())).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i])) return hops[i];
  return req.getHeader("x-real-ip").trim() || peer;
}

function normalize(ip: string): string {
  const v4mapped = /^(?:0{0,4}:){0,5}ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return (v4mapped ? v4mapped[1] : ip).toLowerCase();
}
