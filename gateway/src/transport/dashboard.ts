// Serves the live dashboard (the bundle gateway/scripts/build-dashboard.mjs writes to gateway/dist/dashboard)
// at /dashboard/. Files are read once into memory (with a gzip copy), so serving never touches the disk
// and only files the bundle holds can ever be answered: no path reaches outside it.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { sendJson } from "./http.js";
import type { HttpRequest, HttpResponse, TemplatedApp } from "./uws.js";

/** gateway/dist/transport/../dashboard: where the build puts the bundle, next to the compiled server. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../dashboard/", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".html", ".js", ".css", ".map", ".json", ".svg", ".txt"]);

/**
 * The page may talk to another gateway (?gateway=), so connections are open to any http(s)/ws(s)
 * origin; scripts, styles and everything else come from the dashboard itself only.
 */
const PAGE_CSP = "default-src 'self'; connect-src 'self' http: https: ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Bundles bigger than this are not a dashboard: refuse to hold them in memory. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** While the bundle is missing, look for it again at most this often (a build after start needs no restart). */
const RELOAD_INTERVAL_MS = 1000;

interface Asset {
  body: Buffer;
  gzip: Buffer | null;
  contentType: string;
  etag: string;
}

/** Reads every servable file under `dir` (by extension), keyed by its path relative to `dir` with "/". */
export function loadDashboardAssets(dir: string): Map<string, Asset> | null {
  if (!existsSync(join(dir, "index.html"))) return null;
  const assets = new Map<string, Asset>();
  const walk = (folder: string, depth: number): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory() && depth < 4) walk(full, depth + 1);
      if (!entry.isFile()) continue;
      const ext = extname(entry.name).toLowerCase();
      const contentType = CONTENT_TYPES[ext];
      if (!contentType || statSync(full).size > MAX_FILE_BYTES) continue;
      const body = readFileSync(full);
      const gz = COMPRESSIBLE.has(ext) ? gzipSync(body, { level: 9 }) : null;
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
      assets.set(relative(dir, full).split(sep).join("/"), { body, gzip: gz && gz.length < body.length ? gz : null, contentType, etag });
    }
  };
  walk(dir, 0);
  return assets;
}

export interface DashboardOptions {
  /** Folder holding the built page; default gateway/dist/dashboard. */
  dir?: string;
}

/** Mounts /dashboard and /dashboard/*. Must be mounted before a catch-all route ("/*"). */
export function mountDashboard(app: TemplatedApp, options: DashboardOptions = {}): void {
  const dir = options.dir ?? DEFAULT_DASHBOARD_DIR;
  let assets = loadDashboardAssets(dir);
  let lastLoadAttempt = Date.now();
  const current = (): Map<string, Asset> | null => {
    if (!assets && Date.now() - lastLoadAttempt >= RELOAD_INTERVAL_MS) {
      lastLoadAttempt = Date.now();
      assets = loadDashboardAssets(dir);
    }
    return assets;
  };

  const handle = (res: HttpResponse, req: HttpRequest, file: string | null): void => {
    const method = req.getMethod();
    if (method !== "get" && method !== "head") {
      sendJson(res, 405, { error: `${req.getCaseSensitiveMethod()} is not allowed on ${req.getUrl()}; use GET`, code: "method_not_allowed" });
      return;
    }
    const loaded = current();
    if (!loaded) {
      sendJson(res, 503, {
        error: `the dashboard is not built (no index.html in ${dir}): run \`npm run build\``,
        code: "not_built",
      });
      return;
    }
    if (file === null) {
      // "/dashboard" → "dashboard/": relative, so the page's relative asset URLs also work behind a
      // reverse proxy that mounts the gateway under a path prefix; the query (?gateway=) is kept.
      const query = req.getQuery();
      res.cork(() => {
        res.writeStatus("302 Found").writeHeader("Location", `dashboard/${query ? `?${query}` : ""}`).writeHeader("Cache-Control", "no-store").end();
      });
      return;
    }
    const asset = loaded.get(file === "" ? "index.html" : file);
    if (!asset) {
      sendJson(res, 404, { error: `no such dashboard file: ${req.getUrl()}`, code: "not_found", valid: [...loaded.keys()].map((k) => `/dashboard/${k}`) });
      return;
    }
    serveAsset(res, req, asset, method === "head", file === "" || file === "index.html");
  };

  app.any("/dashboard", (res, req) => handle(res, req, null));
  app.any("/dashboard/*", (res, req) => handle(res, req, assetName(req.getUrl())));
}

/** The file a request path names ("" for the folder itself), or "\0" when it cannot name one. */
function assetName(url: string): string {
  let rest = url.slice("/dashboard/".length);
  try {
    rest = decodeURIComponent(rest);
  } catch {
    return "\0";
  }
  // Only exact names of loaded files match; these can never be, so say so early.
  if (rest.includes("\0") || rest.split(/[\\/]/).some((part) => part === ".." || part === ".")) return "\0";
  return rest;
}

function serveAsset(res: HttpResponse, req: HttpRequest, asset: Asset, headOnly: boolean, isPage: boolean): void {
  const notModified = req.getHeader("if-none-match").split(",").some((tag) => tag.trim().replace(/^W\//, "") === asset.etag);
  const useGzip = asset.gzip !== null && /\bgzip\b/.test(req.getHeader("accept-encoding"));
  const body = useGzip ? asset.gzip! : asset.body;
  res.cork(() => {
    res.writeStatus(notModified ? "304 Not Modified" : "200 OK");
    res.writeHeader("ETag", asset.etag);
    // Revalidate every time (cheap: 304), so a rebuilt bundle shows up on the next reload.
    res.writeHeader("Cache-Control", "no-cache");
    res.writeHeader("Vary", "Accept-Encoding");
    res.writeHeader("X-Content-Type-Options", "nosniff");
    if (isPage) {
      res.writeHeader("Content-Security-Policy", PAGE_CSP);
      res.writeHeader("Referrer-Policy", "no-referrer");
    }
    if (notModified) {
      res.endWithoutBody();
      return;
    }
    res.writeHeader("Content-Type", asset.contentType);
    if (useGzip) res.writeHeader("Content-Encoding", "gzip");
    // (endWithoutBody(length) of this uWS build does not count as a response: it aborts the process.)
    if (headOnly) res.writeHeader("Content-Length", String(body.length)).endWithoutBody();
    else res.end(body);
  });
}
