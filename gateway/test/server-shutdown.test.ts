// SIGTERM: clients get a 1001 close, the process exits promptly even while HTTP clients keep
// keep-alive connections open (uWS cannot close those), and a new gateway can take the port at once.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startGateway, TestClient, type GatewayProcess } from "./helpers/gateway-process.js";

const running: GatewayProcess[] = [];
afterEach(async () => {
  for (const g of running.splice(0)) await g.stop("SIGKILL");
});

describe("shutdown", () => {
  it("the embedded simulator does not outlive a gateway killed with SIGKILL", async () => {
    const gw = await startGateway(["--sim"]);
    running.push(gw);
    const ring = `/dev/shm/monad-gateway-sim-${gw.child.proc.pid}`;
    const sims = pidsWith(`sim\u0000--ring\u0000${ring}`);
    expect(sims).toHaveLength(1);
    expect(existsSync(ring)).toBe(true);
    await gw.stop("SIGKILL");
    for (let i = 0; i < 100 && pidsWith(`sim\u0000--ring\u0000${ring}`).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(pidsWith(`sim\u0000--ring\u0000${ring}`)).toEqual([]);
    expect(existsSync(ring)).toBe(false); // it stopped as on SIGTERM: ring removed
  });

  it("exits on SIGTERM despite keep-alive pollers, and the port is free for a restart", async () => {
    // A fixed port, as in production (uWS cannot rebind a port it was given as 0 while old
    // connections to it are in TIME_WAIT; a configured port rebinds fine).
    const port = await freePort();
    const first = await startGateway(["--sim", "--port", String(port)]);
    running.push(first);
    const ws = await TestClient.connect(`${first.ws}/v1/ws/blocks`);
    const agent = new http.Agent({ keepAlive: true });
    const poll = () => http.get({ host: "127.0.0.1", port: first.port, path: "/v1/status", agent }, (r) => r.resume()).on("error", () => {});
    const poller = setInterval(poll, 50);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const exited = new Promise<number | null>((r) => first.child.proc.once("exit", (code) => r(code)));
      first.child.proc.kill("SIGTERM");
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r("still running after 5 s"), 5000))]);
      expect(code).toBe(0);
      await ws.waitFor(() => ws.closeCode !== null, 5000, "close");
      expect(ws.closeCode).toBe(1001);
      const second = await startGateway(["--sim", "--port", String(first.port)]);
      running.push(second);
      expect(second.port).toBe(first.port);
    } finally {
      clearInterval(poller);
      agent.destroy();
    }
  });
});

/** Pids of processes whose command line contains `needle`. */
function pidsWith(needle: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, "utf8").includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once("error", reject);
  });
}
