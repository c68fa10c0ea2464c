// The SDK's browser bundle: esbuild builds it with no Node built-in and without `ws`, and it works
// with nothing but a WHATWG WebSocket (no ping, no `on`), as in a browser.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Sdk from "../../sdk-ts/src/index.js";
import type { Child } from "./helpers/child.js";
import { startGateway, type GatewayProcess } from "./helpers/gateway-process.js";
import { startSimRing } from "./helpers/sim-ring.js";
import { removeTempRings } from "./helpers/temp-ring.js";

const BUNDLER = new URL("../../sdk-ts/scripts/bundle.mjs", import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), "sdk-browser-"));
const outfile = join(dir, "monad-gateway-sdk.js");
let built: { problems: string[]; metafile: { inputs: Record<string, unknown>; outputs: Record<string, { bytes: number }> } };
let sim: { path: string; child: Child };
let gw: GatewayProcess;

beforeAll(async () => {
  const { bundleBrowser } = (await import(BUNDLER)) as { bundleBrowser(out: string): Promise<typeof built> };
  built = await bundleBrowser(outfile);
  sim = await startSimRing(["--blocks-per-second", "10", "--txns-per-block", "5-10", "--seed", "4"]);
  gw = await startGateway(["--ring", sim.path]);
});
afterAll(async () => {
  await gw?.stop();
  await sim?.child.kill();
  removeTempRings();
  rmSync(dir, { recursive: true, force: true });
});

/** What a browser offers: the WHATWG API only (ws underneath, hidden). */
class BrowserWebSocket {
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly #ws: WebSocket;
  constructor(url: string) {
    this.#ws = new WebSocket(url);
    this.#ws.onopen = (e) => this.onopen?.(e);
    this.#ws.onmessage = (e) => this.onmessage?.({ data: e.data });
    this.#ws.onclose = (e) => this.onclose?.({ code: e.code, reason: e.reason });
    this.#ws.onerror = (e) => this.onerror?.(e);
  }
  get readyState(): number {
    return this.#ws.readyState;
  }
  send(data: string): void {
    this.#ws.send(data);
  }
  close(code?: number, reason?: string): void {
    this.#ws.close(code, reason);
  }
}

describe("browser bundle", () => {
  it("builds with no Node built-ins and without the ws package", () => {
    expect(built.problems).toEqual([]);
    const inputs = Object.keys(built.metafile.inputs);
    expect(inputs.some((i) => i.includes("sdk-ts/src/client/gateway-client.ts"))).toBe(true);
    expect(inputs.filter((i) => i.includes("node_modules") && !i.startsWith("(disabled):"))).toEqual([]);
    const text = readFileSync(outfile, "utf8");
    expect(text).not.toMatch(/\brequire\(|["']node:/); // no CommonJS require, no Node built-in
    expect(text).not.toMatch(/(?:^|[;}])\s*import\b|\bimport\s*\(/); // self-contained: imports nothing at all
    const js = Object.entries(built.metafile.outputs).find(([path]) => path.endsWith(".js"))![1];
    expect(js.bytes).toBeLessThan(64 * 1024);
  });

  it("streams from a real gateway over a WHATWG-only WebSocket", async () => {
    const sdk = (await import(pathToFileURL(outfile).href)) as typeof Sdk;
    const client = new sdk.GatewayClient({ url: gw.ws, channel: "blocks", WebSocket: BrowserWebSocket });
    const events: Sdk.ExecEvent[] = [];
    client.on("event", (e) => events.push(e));
    await client.connect();
    const resume = await client.waitForResume();
    expect(resume.mode).toBe("snapshot");
    const deadline = Date.now() + 20_000;
    while (events.length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(events.length).toBeGreaterThanOrEqual(10);
    expect(typeof events[0].timestamp_ns).toBe("bigint");
    const status = await sdk.fetchStatus(gw.http);
    expect(status.epoch).toBe(client.epoch);
    client.disconnect();
  });
});
