// Executes the refund of one recorded breach, at most once: RefundManager.processBreach is
// idempotent on chain (a repeat is AlreadyProcessed and moves nothing), and the agent also checks
// stateOf first so that a replayed or backfilled breach costs a read, not a transaction.
import { decodeEventLog, type Address, type Hex } from "viem";
import type { Logger } from "pino";
import { abiOf } from "../chain/artifacts.js";
import { revertName, shortError, type ChainContext } from "../chain/chain-context.js";

const refundAbi = abiOf("RefundManager");
const factoryAbi = abiOf("SLAStreamFactory");
export const OUTCOMES = ["Refunded", "Stopped", "NothingToRefund", "AlreadyProcessed", "UnknownBreach"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface BreachSeen {
  breachId: Hex;
  streamId: bigint;
  metric: number;
  tier: number;
  value: number;
  windowStart: number;
  /** Where it came from: the gateway feed or a chain backfill. */
  via: "gateway" | "backfill";
  block?: number;
}

export interface RefundRecord {
  breachId: Hex;
  streamId: string;
  tier: number;
  outcome: Outcome | "skipped (already processed on chain)";
  refunded: string;
  stopped: boolean;
  tx?: Hex;
  block?: number;
  via: BreachSeen["via"];
}

export interface RefundStats {
  breachesSeen: number;
  duplicatesIgnored: number;
  refundsExecuted: number;
  streamsStopped: number;
  alreadyProcessed: number;
  nothingToRefund: number;
  totalRefundedWei: string;
  recent: RefundRecord[];
}

export class BreachProcessor {
  readonly stats: RefundStats = { breachesSeen: 0, duplicatesIgnored: 0, refundsExecuted: 0, streamsStopped: 0, alreadyProcessed: 0, nothingToRefund: 0, totalRefundedWei: "0", recent: [] };
  /** Breach ids handled by this process (the chain remembers across restarts). */
  private readonly done = new Set<string>();

  constructor(
    private readonly chain: ChainContext,
    private readonly refundManager: Address,
    private readonly factory: Address,
    private readonly log: Logger,
  ) {}

  /** Handles one breach; retries transient failures (RPC down, contracts paused) until it succeeds. */
  async handle(b: BreachSeen, stopped: () => boolean): Promise<void> {
    const key = b.breachId.toLowerCase();
    if (this.done.has(key)) {
      this.stats.duplicatesIgnored++;
      return;
    }
    this.stats.breachesSeen++;
    this.log.info({ breachId: b.breachId, streamId: b.streamId.toString(), metric: b.metric, tier: b.tier, value: b.value, windowStart: b.windowStart, via: b.via }, "breach seen");
    for (let attempt = 0; ; attempt++) {
      try {
        await this.execute(b);
        this.done.add(key);
        return;
      } catch (err) {
        if (stopped()) throw err;
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        this.log.warn({ breachId: b.breachId, err: revertName(err) ?? shortError(err), retryInMs: delay }, "refund failed; retrying");
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async execute(b: BreachSeen): Promise<void> {
    const state = await this.chain.read<number>(this.refundManager, refundAbi, "stateOf", [b.breachId]);
    if (state !== 0) {
      this.stats.alreadyProcessed++;
      this.record({ ...this.base(b), outcome: "skipped (already processed on chain)", refunded: "0", stopped: false });
      this.log.info({ breachId: b.breachId, streamId: b.streamId.toString() }, "breach already processed on chain; nothing sent");
      return;
    }
    const req = { address: this.refundManager, abi: refundAbi, functionName: "processBreach", args: [b.breachId] as const };
    const [preview] = await this.chain.simulate<[number, bigint]>(req);
    if (OUTCOMES[preview] === "UnknownBreach") throw new Error(`the oracle has no breach ${b.breachId}`);
    const receipt = await this.chain.write(req);
    let refunded = 0n;
    let stopped = false;
    let outcome: Outcome = OUTCOMES[preview];
    let processed = false;
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== this.refundManager.toLowerCase()) continue;
      try {
        const d = decodeEventLog({ abi: refundAbi, data: log.data, topics: log.topics });
        if (d.eventName !== "BreachProcessed") continue;
        const a = d.args as unknown as { refunded: bigint; stopped: boolean };
        refunded = a.refunded;
        stopped = a.stopped;
        processed = true;
      } catch {
        // not an event of ours
      }
    }
    // No BreachProcessed: someone processed it between our read and our transaction.
    if (!processed) outcome = "AlreadyProcessed";
    else outcome = stopped ? "Stopped" : refunded > 0n ? "Refunded" : "NothingToRefund";
    if (outcome === "Refunded" || outcome === "Stopped") {
      this.stats.refundsExecuted++;
      this.stats.totalRefundedWei = (BigInt(this.stats.totalRefundedWei) + refunded).toString();
    }
    if (outcome === "Stopped") this.stats.streamsStopped++;
    if (outcome === "AlreadyProcessed") this.stats.alreadyProcessed++;
    if (outcome === "NothingToRefund") this.stats.nothingToRefund++;
    const claimable = await this.chain.read<bigint>(this.factory, factoryAbi, "claimableRefundOf", [b.streamId]).catch(() => undefined);
    this.record({ ...this.base(b), outcome, refunded: refunded.toString(), stopped, tx: receipt.transactionHash, block: Number(receipt.blockNumber) });
    this.log.info(
      { breachId: b.breachId, streamId: b.streamId.toString(), outcome, refundedWei: refunded.toString(), stopped, claimableBySenderWei: claimable?.toString(), tx: receipt.transactionHash },
      outcome === "Refunded" || outcome === "Stopped" ? "refund executed" : `breach processed: ${outcome}`,
    );
  }

  private base(b: BreachSeen) {
    return { breachId: b.breachId, streamId: b.streamId.toString(), tier: b.tier, via: b.via };
  }

  private record(r: RefundRecord): void {
    this.stats.recent.push(r);
    if (this.stats.recent.length > 50) this.stats.recent.shift();
  }
}
