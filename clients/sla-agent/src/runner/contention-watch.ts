// The gateway's view of the same blocks: its ContentionData frames (the contention channel), kept by
// block number, so the runner can compare what it measured with what the gateway computed.
import { GatewayClient, type ContentionData } from "@monad-gateway/sdk";

export class ContentionWatch {
  readonly byBlock = new Map<number, ContentionData>();
  private client: GatewayClient | undefined;
  connected = false;
  error: string | undefined;

  constructor(private readonly url: string) {}

  async start(): Promise<void> {
    const client = new GatewayClient({ url: this.url, channel: "contention", autoReconnect: true, backoff: { initialMs: 250, maxMs: 2000 }, clientName: "sla-agent parallel runner" });
    this.client = client;
    client.on("contention", (c) => this.byBlock.set(Number(c.block_number), c));
    try {
      await client.connect();
      this.connected = true;
    } catch (err) {
      this.error = (err as Error).message;
      client.disconnect();
    }
  }

  /** Waits until every block has its ContentionData, or the timeout passes. */
  async waitFor(blocks: number[], timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.connected && Date.now() < until && blocks.some((b) => !this.byBlock.has(b))) await new Promise((r) => setTimeout(r, 100));
  }

  stop(): void {
    this.client?.disconnect();
  }
}
