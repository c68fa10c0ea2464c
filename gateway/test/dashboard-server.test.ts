// The dashboard's asset server: content types, caching (ETag/304), gzip, HEAD, 404 for unknown files,
// path traversal, 503 while the bundle is missing (and serving once it appears), over real sockets;
// and the real gateway process serving the real bundle at /dashboard without shadowing its REST API.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mountDashboard } from "../src/transport/dashboard.js";
import { sendJson } from "../src/transport/http.js";
import { uws, type us_listen_socket } from "../src/transport/uws.js";
import { startGateway, type GatewayProcess } from "./helpers/gateway-process.js";

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One raw HTTP request: the path goes out byte for byte (no URL normalization), nothing is decompressed. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // A fresh socket each time (agent: false): uWS closes after "connection: close", and a pooled
    // socket that it closed would fail the next request.
    const req = request({ host: "127.0.0.1", port, path, method, agent: false, headers: { connection: "close", ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const root = mkdtempSync(join(tmpdir(), "dashboard-assets-"));
const built = join(root, "built");
const missing = join(root, "missing");
const SECRET = "top-secret-outside-the-bundle";
const PAGE = '<!doctype html><link rel="stylesheet" href="dashboard.css"><script type="module" src="dashboard.js"></script>';
const SCRIPT = `console.log(${JSON.stringify("x".repeat(4000))});`;
const servers: us_listen_socket[] = [];

/** A uWS app with only the dashboard and a catch-all 404, like the gateway's, on a free port. */
function serve(dir: string): number {
  const app = uws.App();
  mountDashboard(app, { dir });
  app.any("/*", (res, req) => sendJson(res, 404, { error: `no such path: ${req.getUrl()}`, code: "not_found" }));
  let port = 0;
  app.listen("127.0.0.1", 0, (socket) => {
    if (!socket) throw new Error("cannot listen");
    servers.push(socket);
    port = uws.us_socket_local_port(socket as never);
  });
  return port;
}

let port = 0;
let missingPort = 0;

beforeAll(() => {
  mkdirSync(join(built, "fonts"), { recursive: true });
  writeFileSync(join(built, "index.html"), PAGE);
  writeFileSync(join(built, "dashboard.js"), SCRIPT);
  writeFileSync(join(built, "dashboard.js.map"), '{"version":3}');
  writeFileSync(join(built, "dashboard.css"), "body{color:red}");
  writeFileSync(join(built, "fonts", "logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  writeFileSync(join(built, "notes.bak"), "not a servable type");
  writeFileSync(join(root, "secret.txt"), SECRET);
  port = serve(built);
  missingPort = serve(missing);
});

afterAll(() => {
  for (const s of servers) uws.us_listen_socket_close(s);
  rmSync(root, { recursive: true, force: true });
});

describe("dashboard asset server", () => {
  it("serves the page at /dashboard/ and redirects /dashboard there, keeping ?gateway=", async () => {
    const page = await get(port, "/dashboard/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body.toString()).toBe(PAGE);
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect((await get(port, "/dashboard/index.html")).body.toString()).toBe(PAGE);

    const bare = await get(port, "/dashboard?gateway=ws%3A%2F%2Fh%3A1");
    expect(bare.status).toBe(302);
    // Relative, so it also works behind a proxy that mounts the gateway under a path prefix.
    expect(bare.headers.location).toBe("dashboard/?gateway=ws%3A%2F%2Fh%3A1");
    expect((await get(port, "/dashboard")).headers.location).toBe("dashboard/");
  });

  it("sends each asset with its content type, gzip when accepted, and HEAD without a body", async () => {
    const types: Record<string, string> = {
      "/dashboard/dashboard.js": "text/javascript; charset=utf-8",
      "/dashboard/dashboard.css": "text/css; charset=utf-8",
      "/dashboard/dashboard.js.map": "application/json; charset=utf-8",
      "/dashboard/fonts/logo.svg": "image/svg+xml",
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await get(port, path);
      expect(r.status, path).toBe(200);
      expect(r.headers["content-type"], path).toBe(type);
      expect(r.headers["content-encoding"], path).toBeUndefined();
    }
    const zipped = await get(port, "/dashboard/dashboard.js", { "accept-encoding": "gzip, deflate, br" });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toBe("Accept-Encoding");
    expect(zipped.body.length).toBeLessThan(SCRIPT.length / 10);
    expect(gunzipSync(zipped.body).toString()).toBe(SCRIPT);

    const head = await get(port, "/dashboard/dashboard.js", {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(SCRIPT.length));
    expect(head.body.length).toBe(0);
  });

  it("answers 304 to a matching If-None-Match, and 200 to a stale one", async () => {
    const first = await get(port, "/dashboard/dashboard.css");
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]{10,}"$/);
    expect(first.headers["cache-control"]).toBe("no-cache");
    const again = await get(port, "/dashboard/dashboard.css", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect((await get(port, "/dashboard/dashboard.css", { "if-none-match": `W/${etag}` })).status).toBe(304);
    expect((await get(port, "/dashboard/dashboard.css", { "if-none-match": '"stale"' })).status).toBe(200);
  });

  it("answers 404 with the valid files for unknown assets and types it does not serve", async () => {
    for (const path of ["/dashboard/nope.js", "/dashboard/notes.bak", "/dashboard/fonts/", "/dashboard/DASHBOARD.JS"]) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      const body = JSON.parse(r.body.toString()) as { code: string; valid: string[] };
      expect(body.code).toBe("not_found");
      expect(body.valid).toContain("/dashboard/dashboard.js");
      expect(body.valid).not.toContain("/dashboard/notes.bak");
    }
  });

  it("never serves a file outside the bundle, however the path is spelled", async () => {
    const attempts = [
      "/dashboard/../secret.txt",
      "/dashboard/../../secret.txt",
      "/dashboard/%2e%2e/secret.txt",
      "/dashboard/%2E%2E%2Fsecret.txt",
      "/dashboard/..%2fsecret.txt",
      "/dashboard/fonts/../../secret.txt",
      "/dashboard/..\\secret.txt",
      "/dashboard/%2e%2e%5csecret.txt",
      "/dashboard/./index.html",
      "/dashboard//etc/passwd",
      "/dashboard/%00index.html",
      "/dashboard/%E0%A4%A",
      `/dashboard/${encodeURIComponent(join(root, "secret.txt"))}`,
    ];
    for (const path of attempts) {
      const r = await get(port, path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toContain(SECRET);
      expect(r.body.toString(), path).not.toContain("root:");
    }
  });

  it("refuses methods other than GET and HEAD", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      const r = await get(port, "/dashboard/", {}, method);
      expect(r.status, method).toBe(405);
      expect(JSON.parse(r.body.toString()).code).toBe("method_not_allowed");
    }
  });

  it("answers 503 with what to run while the bundle is missing, and serves it once built", async () => {
    for (const path of ["/dashboard", "/dashboard/", "/dashboard/dashboard.js"]) {
      const r = await get(missingPort, path);
      expect(r.status, path).toBe(503);
      const body = JSON.parse(r.body.toString()) as { error: string; code: string };
      expect(body.code).toBe("not_built");
      expect(body.error).toContain("npm run build");
      expect(body.error).toContain(missing);
    }
    mkdirSync(missing, { recursive: true });
    writeFileSync(join(missing, "dashboard.js"), SCRIPT);
    writeFileSync(join(missing, "index.html"), PAGE);
    // Looked for again at most once a second: poll rather than sleep a fixed time.
    const deadline = Date.now() + 10_000;
    let r = await get(missingPort, "/dashboard/");
    while (r.status !== 200 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 200));
      r = await get(missingPort, "/dashboard/");
    }
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(PAGE);
    expect((await get(missingPort, "/dashboard/dashboard.js")).body.toString()).toBe(SCRIPT);
  });
});

describe("the gateway serves the built dashboard", () => {
  const distPage = new URL("../dist/dashboard/index.html", import.meta.url);
  let gw: GatewayProcess;
  beforeAll(async () => {
    gw = await startGateway(["--sim"]);
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("at /dashboard/, next to its REST API and its JSON 404s", async () => {
    const page = await get(gw.port, "/dashboard/");
    // gateway/dist/dashboard is what `npm run build` writes; the gateway reads it from there.
    expect(page.status, "run `npm run build` before the tests").toBe(200);
    expect(page.body.toString()).toBe(readFileSync(distPage, "utf8"));
    const js = await get(gw.port, "/dashboard/dashboard.js");
    expect(js.status).toBe(200);
    expect(js.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    const css = await get(gw.port, "/dashboard/dashboard.css");
    expect(css.body.toString()).toContain(".uplot"); // uPlot's own CSS is bundled in
    expect((await get(gw.port, "/v1/status")).status).toBe(200);
    const unknown = await get(gw.port, "/dashboardx");
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body.toString()).valid).toContain("/dashboard");
  });
});
