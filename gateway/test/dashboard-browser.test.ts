// The dashboard in a real headless Chromium against a real gateway on the simulator: it loads cleanly,
// blocks advance through the stages, the TPS chart and contention panels fill, the connection panel
// follows the gateway going away and coming back, and wire text can never become markup.
// Screenshots go to gateway/test/artifacts/.
import { existsSync, mkdirSync } from "node:fs";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "./helpers/gateway-process.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const BUILDER = new URL("../scripts/build-dashboard.mjs", import.meta.url).href;

if (!HAVE_CHROMIUM) {
  console.warn(`dashboard browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

/** Everything that went wrong in the page, as text. */
class PageProblems {
  readonly console: string[] = [];
  readonly errors: string[] = [];
  readonly failed: string[] = [];
  readonly badStatus: string[] = [];

  watch(page: Page): void {
    page.on("console", (m: ConsoleMessage) => {
      if (m.type() === "error" || m.type() === "warning") this.console.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => this.errors.push(e.message));
    page.on("requestfailed", (r) => this.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on("response", (r) => {
      if (r.status() >= 400) this.badStatus.push(`${r.status()} ${r.url()}`);
    });
  }

  all(): string[] {
    return [...this.console, ...this.errors, ...this.failed, ...this.badStatus];
  }
}

/**
 * The address the browser uses: a TCP relay to whichever gateway runs now. A restarted gateway cannot
 * rebind its old port while the old connections sit in TIME_WAIT; behind the relay the page sees what
 * it would see from a gateway restarted in place (close 1001, failing reconnects, a new epoch).
 */
class StableAddress {
  private readonly server: Server;
  private readonly open = new Set<Socket>();

  private constructor(public upstreamPort: number) {
    this.server = createServer((client) => {
      const upstream = connect(this.upstreamPort, "127.0.0.1");
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        this.open.add(a);
        a.on("close", () => this.open.delete(a));
        a.on("error", () => b.destroy()); // a refused upstream resets the browser's connection
        a.pipe(b);
      }
    });
  }

  static async start(upstreamPort: number): Promise<StableAddress> {
    const relay = new StableAddress(upstreamPort);
    await new Promise<void>((resolve) => relay.server.listen(0, "127.0.0.1", resolve));
    return relay;
  }

  get http(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.open) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** Block numbers of the table rows, and the stage each is at. */
async function blockRows(page: Page): Promise<{ block: number; stage: string }[]> {
  return page.$$eval("#blocks-table tr[data-block]", (rows) => rows.map((r) => ({ block: Number((r as HTMLElement).dataset.block), stage: (r as HTMLElement).dataset.stage ?? "" })));
}

async function fact(page: Page, key: string): Promise<string> {
  return (await page.textContent(`#status-facts dd[data-fact="${key}"]`)) ?? "";
}

describe.skipIf(!HAVE_CHROMIUM)("dashboard in Chromium", () => {
  let gw: GatewayProcess;
  let relay: StableAddress;
  let browser: Browser;
  let page: Page;
  const problems = new PageProblems();

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The page under test is the one built from the current source.
    const { buildDashboard } = (await import(BUILDER)) as { buildDashboard(): Promise<unknown> };
    const [, gateway] = await Promise.all([buildDashboard(), startGateway(["--sim"])]);
    gw = gateway;
    relay = await StableAddress.start(gw.port);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1250 } });
    problems.watch(page);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    await gw?.stop();
  });

  it("shows blocks advancing through the stages, TPS points, contention and contracts, without errors", async () => {
    await page.goto(`${relay.http}/dashboard`); // redirected to /dashboard/
    expect(new URL(page.url()).pathname).toBe("/dashboard/");
    await page.waitForSelector('#conn-pill[data-state="connected"]', { timeout: 20_000 });

    await page.waitForFunction(() => document.querySelectorAll("#blocks-table tr[data-block]").length >= 3, undefined, { timeout: 20_000 });
    const first = Math.max(...(await blockRows(page)).map((r) => r.block));
    // The simulator makes 2.5 blocks/s: the head moves on within seconds.
    await page.waitForFunction((n) => [...document.querySelectorAll<HTMLElement>("#blocks-table tr[data-block]")].some((r) => Number(r.dataset.block) >= n + 3), first, { timeout: 20_000 });
    await page.waitForFunction(() => {
      const stages = [...document.querySelectorAll<HTMLElement>("#blocks-table tr[data-block]")].map((r) => r.dataset.stage);
      return stages.includes("Verified") && stages.includes("Finalized");
    }, undefined, { timeout: 20_000 });
    const rows = await blockRows(page);
    const numbers = rows.map((r) => r.block);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a)); // newest first
    // Newer blocks are never further along than older ones (Rejected aside).
    const order = ["Proposed", "Voted", "Finalized", "Verified"];
    const ranks = rows.filter((r) => r.stage !== "Rejected").map((r) => order.indexOf(r.stage));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // A verified block shows the time each stage took to reach from Proposed.
    const verified = rows.find((r) => r.stage === "Verified")!.block;
    const cells = await page.$$eval(`#blocks-table tr[data-block="${verified}"] td.stage`, (tds) => tds.map((td) => td.textContent ?? ""));
    expect(cells[0]).toBe("0 ms");
    for (const c of cells.slice(1)) expect(c).toMatch(/^\+\d/);

    await page.waitForFunction(() => Number(document.getElementById("tps-chart")?.dataset.points ?? 0) >= 8, undefined, { timeout: 20_000 });
    expect(await page.$eval("#tps-chart canvas", (c) => (c as HTMLCanvasElement).width)).toBeGreaterThan(300);
    expect(await page.textContent('[data-kpi="tps"] .kpi-value')).toMatch(/^\d[\d,]* tx\/s$/);

    await page.waitForSelector("#contention-body[data-block] .figures", { timeout: 20_000 });
    const contentionBlock = Number(await page.getAttribute("#contention-body", "data-block"));
    expect(contentionBlock).toBeGreaterThan(0);
    expect(await page.$$eval("#contention-body .bars .bar", (b) => b.length)).toBeGreaterThan(0);
    expect(await page.textContent("#contention-body .figures")).toMatch(/contended slots/);
    await page.waitForSelector("#contracts-table tr[data-address]", { timeout: 20_000 });
    const address = await page.getAttribute("#contracts-table tr[data-address]", "data-address");
    expect(address).toMatch(/^0x[0-9a-f]{40}$/);
    await page.waitForFunction(() => document.querySelectorAll("#accounts-table tbody tr:not(.empty)").length > 0, undefined, { timeout: 20_000 });

    const status = (await (await fetch(`${gw.http}/v1/status`)).json()) as { epoch: string };
    expect(await fact(page, "epoch")).toBe(status.epoch);
    expect(await fact(page, "seqno")).toMatch(/^[1-9][\d,]*$/);
    expect(await fact(page, "gaps")).toBe("0");
    await page.waitForFunction(() => /^(healthy|degraded)/.test(document.querySelector('#status-facts dd[data-fact="health"]')?.textContent ?? ""), undefined, { timeout: 10_000 });

    await page.screenshot({ path: `${ARTIFACTS}dashboard.png`, fullPage: true });
    expect(problems.all()).toEqual([]);
  }, 90_000);

  it("shows reconnecting while the gateway is down, and recovers when it restarts", async () => {
    const oldEpoch = await fact(page, "epoch");
    // SIGTERM closes every WebSocket with 1001 at once, but the stopping process keeps answering on
    // HTTP keep-alive connections it already has (the browser's pooled REST connection reaches it
    // through the relay), so it may not exit soon: the test does not wait for it.
    const old = gw;
    const exited = old.stop();
    await page.waitForSelector('#conn-pill[data-state="reconnecting"]', { timeout: 20_000 });
    expect(await page.textContent("#conn-text")).toMatch(/^reconnecting · attempt \d+/);
    expect(await page.getAttribute('[data-kpi="gateway"]', "data-tone")).toBe("bad");
    await page.screenshot({ path: `${ARTIFACTS}dashboard-reconnecting.png`, fullPage: true });

    // Failed attempts while the gateway is away are expected; nothing else is.
    const before = problems.all().length;
    gw = await startGateway(["--sim"]);
    relay.upstreamPort = gw.port;
    await page.waitForSelector('#conn-pill[data-state="connected"]', { timeout: 30_000 });
    await page.waitForFunction((old) => {
      const epoch = document.querySelector('#status-facts dd[data-fact="epoch"]')?.textContent;
      return epoch && epoch !== old;
    }, oldEpoch, { timeout: 10_000 });
    const log = (await page.textContent("#status-log")) ?? "";
    expect(log).toContain("the gateway restarted");
    expect(log).toContain("disconnected: server shutting down");
    // The new run's blocks replace the old run's, and move on again.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>("#blocks-table tr[data-block]")].some((r) => r.dataset.stage === "Verified"), undefined, { timeout: 20_000 });
    expect(Number(await fact(page, "reconnects"))).toBeGreaterThanOrEqual(1);
    old.child.proc.kill("SIGKILL");
    await exited;
    const during = problems.all().slice(before);
    const unexpected = problems.all().filter((p) => !/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|ERR_ABORTED/.test(p));
    expect(unexpected, `unexpected page problems (besides ${during.length} during the restart)`).toEqual([]);
  }, 90_000);

  it("renders a hostile ?gateway= value as text and says what is accepted", async () => {
    const other = await browser.newPage();
    const local = new PageProblems();
    local.watch(other);
    const hostile = '<img src=x onerror="window.__pwned=1">';
    await other.goto(`${gw.http}/dashboard/?gateway=${encodeURIComponent(hostile)}`);
    await other.waitForSelector("#banner:not([hidden])", { timeout: 10_000 });
    const banner = (await other.textContent("#banner")) ?? "";
    expect(banner).toContain(`?gateway=${hostile} is not a URL`); // shown as the text it is
    expect(await other.$$eval("body img", (imgs) => imgs.length)).toBe(0);
    expect(await other.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await other.goto(`${gw.http}/dashboard/?gateway=ftp://example.com`);
    await other.waitForSelector("#banner:not([hidden])", { timeout: 10_000 });
    expect(await other.textContent("#banner")).toContain("the scheme must be http, https, ws or wss, not ftp");
    expect(await other.getAttribute("#conn-pill", "data-state")).toBe("failed");

    // host:port without a scheme names the gateway too.
    await other.goto(`${gw.http}/dashboard/?gateway=127.0.0.1:${gw.port}`);
    await other.waitForSelector('#conn-pill[data-state="connected"]', { timeout: 20_000 });
    expect(await other.textContent("#gateway-url")).toBe(gw.http);
    await other.close();
    expect(local.all()).toEqual([]);
  }, 60_000);
});
