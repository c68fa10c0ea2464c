// The chain's time, estimated between blocks: measurement windows are on-chain windows (aligned to
// each stream's start, judged by block.timestamp), so samples are stamped with chain time, not with
// the agent's wall clock. Each block seen gives a lower bound on the offset between the two (it was
// produced no later than when it was fetched); the largest bound wins, so the estimate never runs
// ahead of the chain and a window is never reported before the chain agrees it has closed.
import type { PublicClient } from "viem";

export class ChainClock {
  private offsetMs = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private latestBlock = 0n;

  constructor(private readonly client: PublicClient) {}

  /** Fetches the latest block now, then every `intervalMs`. */
  async start(intervalMs = 500): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const block = await this.client.getBlock({ blockTag: "latest" });
    this.observe(block.timestamp, block.number);
  }

  observe(timestamp: bigint, number?: bigint | null): void {
    const offset = Number(timestamp) * 1000 - Date.now();
    if (offset > this.offsetMs) this.offsetMs = offset;
    if (number != null && number > this.latestBlock) this.latestBlock = number;
  }

  /** Chain time now, in milliseconds since the epoch. */
  nowMs(): number {
    if (this.offsetMs === -Infinity) throw new Error("ChainClock: no block seen yet");
    return Date.now() + this.offsetMs;
  }

  /** Chain time now, whole seconds (what block.timestamp would be). */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  get headBlock(): bigint {
    return this.latestBlock;
  }
}
