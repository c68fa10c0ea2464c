// The gateway's newest seqno (from its /v1/status), polled for the `lag_seqnos` of /stats. A failed
// poll leaves the last answer in place; lag is then reported against it.
import { fetchStatus } from "@monad-gateway/sdk";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Logger } from "pino";

export interface GatewayPosition {
  epoch: string;
  newest: number;
  at: number;
}

export class GatewayStatusPoller {
  private latest: GatewayPosition | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private failing = false;

  constructor(
    private readonly url: string,
    private readonly everyMs: number,
    private readonly log: Logger,
  ) {}

  get position(): GatewayPosition | null {
    return this.latest;
  }

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    try {
      const s = await fetchStatus(this.url, { timeoutMs: Math.max(1000, this.everyMs), fetch: fetchWithoutKeepAlive });
      this.latest = { epoch: s.epoch, newest: Number(s.newest_seqno), at: Date.now() };
      if (this.failing) this.log.info("gateway status reachable again");
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.log.warn({ err: (err as Error).message }, "cannot read the gateway's status (lag_seqnos may be stale)");
      this.failing = true;
    }
  }
}

/**
 * A fetch for the status polls that closes its connection after each answer. With keep-alive, a poll
 * every few seconds holds one HTTP connection open for good, and a gateway told to stop waits for
 * its open connections: the poll would keep it from exiting.
 */
async function fetchWithoutKeepAlive(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(input instanceof Request ? input.url : input);
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", agent: false, headers: { connection: "close", accept: "application/json" }, signal: init?.signal ?? undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: { "content-type": String(res.headers["content-type"] ?? "") } })));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
