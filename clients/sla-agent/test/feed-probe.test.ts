// The SLAMonitor's gateway-feed probe measuring a real gateway (`serve --sim`): delivery latency
// samples from live frames, full uptime while connected; a gateway stop shows as downtime and the
// restart's lost frames as errors in the window's metrics.
import { connect, createServer, type Server } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { startGateway, type GatewayProcess } from "../../../gateway/test/helpers/gateway-process.js";
import { FeedProbe } from "../src/monitor/feed-probe.js";
import { ServiceSamples } from "../src/monitor/service-samples.js";
import { windowMetrics } from "../src/monitor/window-metrics.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * A fixed address in front of the gateway: the restarted gateway gets a fresh port (its old one may
 * be taken by then: free ports come from the ephemeral range), the probe keeps its URL.
 */
async function stablePort(): Promise<{ port: number; target: number; server: Server }> {
  const front = { port: 0, target: 0, server: createServer((client) => {
    const upstream = connect(front.target, "127.0.0.1");
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.pipe(upstream).pipe(client);
  }) };
  await new Promise<void>((r) => front.server.listen(0, "127.0.0.1", () => r()));
  front.port = (front.server.address() as { port: number }).port;
  return front;
}

describe("gateway-feed probe against serve --sim", () => {
  let gateway: GatewayProcess | undefined;
  let probe: FeedProbe | undefined;
  let front: Awaited<ReturnType<typeof stablePort>> | undefined;
  afterAll(async () => {
    probe?.stop();
    await gateway?.stop("SIGKILL");
    front?.server.close();
  });

  it("measures latency and uptime, and counts a gateway stop as downtime and errors", async () => {
    gateway = await startGateway(["--sim"]);
    front = await stablePort();
    front.target = gateway.port;
    const t0 = Date.now();
    const samples = new ServiceSamples(t0, true);
    probe = new FeedProbe(`ws://127.0.0.1:${front.port}`, samples, () => Date.now());
    await probe.start();

    // Samples are placed by their events' ring time: the first frames of a connection (the block in
    // progress) can predate t0, so wait for samples inside the window itself.
    await until("live frames", () => windowMetrics(samples, t0, Date.now(), "p95").samples >= 5);
    const healthy = windowMetrics(samples, t0, Date.now(), "p95");
    expect(healthy.samples).toBeGreaterThanOrEqual(5);
    expect(samples.probes.every((p) => p.up && !p.error && p.latencyMs !== undefined && p.latencyMs >= 0)).toBe(true);
    expect(healthy.errorRateBps).toBe(0);
    // Connected for all but the connection set-up at the start of the window.
    expect(healthy.uptimeBps).toBeGreaterThan(5000);

    // The gateway goes away for a while, then comes back (a new run: new epoch).
    const downFrom = Date.now();
    await gateway.stop("SIGTERM");
    await until("the disconnect", () => samples.transitions.at(-1)?.up === false);
    await sleep(1500);
    gateway = await startGateway(["--sim"]);
    front.target = gateway.port;
    const downTo = Date.now();
    await until("reconnection", () => samples.transitions.at(-1)?.up === true, 30_000);
    await until("the restart's gap as an error", () => samples.probes.some((p) => p.error), 20_000);
    const framesAfter = probe.framesReceived;
    await until("live frames after the restart", () => probe!.framesReceived > framesAfter + 2);

    const m = windowMetrics(samples, t0, Date.now(), "p95");
    expect(m.coverage).toBe(1);
    // Down for at least the 1.5 s pause: uptime below 100 % by at least that share.
    const length = Date.now() - t0;
    expect(m.uptimeBps).toBeLessThanOrEqual(Math.floor(((length - 1500) * 10_000) / length));
    expect(m.uptimeBps).toBeGreaterThan(0);
    expect(samples.upTimeIn(downFrom + 200, downTo - 200)).toBeLessThan(downTo - downFrom - 400);
    expect(m.errorRateBps).toBeGreaterThan(0);
    expect(probe.framesLost).toBeGreaterThanOrEqual(1);
    expect(m.samples).toBeGreaterThan(healthy.samples);
  }, 60_000);
});
