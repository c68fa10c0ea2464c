// Which gateway the page watches: the one that served it (same origin, and the same path prefix when
// a reverse proxy mounts the gateway under one), or the one named by ?gateway=.
import { restBase } from "@monad-gateway/sdk";

export interface GatewayTarget {
  /** REST base, http(s), no trailing slash: "http://host:8443" or "https://proxy/prefix". */
  base: string;
  /** WebSocket URL of the `all` route (the client picks ws/wss from the scheme). */
  stream: string;
}

const SCHEMES = new Set(["http:", "https:", "ws:", "wss:"]);

/** Throws an Error that says what was wrong with ?gateway= and what is accepted. */
export function resolveGateway(location: Pick<Location, "href">): GatewayTarget {
  const page = new URL(location.href);
  const given = page.searchParams.get("gateway");
  let base: string;
  if (given !== null && given.trim() !== "") {
    const text = given.trim();
    let u: URL;
    try {
      u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `${page.protocol === "https:" ? "https" : "http"}://${text}`);
    } catch {
      throw new Error(`?gateway=${text} is not a URL; use e.g. ?gateway=http://127.0.0.1:8443 or ?gateway=wss://gateway.example.com`);
    }
    if (!SCHEMES.has(u.protocol)) throw new Error(`?gateway=${text}: the scheme must be http, https, ws or wss, not ${u.protocol.replace(":", "")}`);
    base = restBase(u.toString());
  } else {
    // Everything before the /dashboard segment is the gateway's own prefix (empty when served directly).
    const prefix = page.pathname.replace(/\/dashboard(?:\/.*)?$/, "").replace(/\/+$/, "");
    base = `${page.origin}${prefix}`;
  }
  return { base, stream: `${base}/v1/ws` };
}
