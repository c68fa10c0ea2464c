// RefundExecutor: follows the AgentOracle's SLABreached logs through the gateway (TxnLog filtered by
// address and topic, min_stage Finalized, so only final blocks are acted on), and refunds each breach
// once. Frames are handled strictly in order and the cursor is saved after each, so a restart
// resumes right after the last handled frame (a replayed breach is found processed on chain and
// costs nothing). Wherever the feed may have lost something — first start, a gateway restart, a
// cursor the gateway no longer holds, dropped frames — the missed block range is read from the
// chain with eth_getLogs before going on, so no breach is missed.
import { GatewayClient, type ExecEvent, type StreamFrame } from "@monad-gateway/sdk";
import { decodeEventLog, encodeEventTopics, getAbiItem, type AbiEvent, type Hex } from "viem";
import type { Logger } from "pino";
import { abiOf } from "../chain/artifacts.js";
import { shortError, type ChainContext } from "../chain/chain-context.js";
import type { Deployment } from "../chain/deployment.js";
import type { AgentConfig } from "../config/load-config.js";
import { BreachProcessor, type BreachSeen } from "./breach-processor.js";
import { CursorStore, type RefundCursor } from "./cursor-store.js";

const oracleAbi = abiOf("AgentOracle");
const slaBreached = getAbiItem({ abi: oracleAbi, name: "SLABreached" }) as AbiEvent;
export const SLA_BREACHED_TOPIC = encodeEventTopics({ abi: [slaBreached], eventName: "SLABreached" })[0] as Hex;

export interface BackfillRecord {
  from: number;
  to: number;
  breaches: number;
  reason: string;
}

export class RefundExecutor {
  readonly processor: BreachProcessor;
  readonly store: CursorStore;
  cursor: RefundCursor;
  readonly backfills: BackfillRecord[] = [];
  private client: GatewayClient | undefined;
  /** First block still to read from the chain, and why, when the feed may have missed something. */
  private pendingBackfill: { from: number; reason: string } | null = null;
  private readonly epochOf = new WeakMap<object, string | null>();
  private loop: Promise<void> | undefined;
  /** Frame handling and chain passes run one at a time, in order. */
  private serial: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly config: AgentConfig,
    private readonly chain: ChainContext,
    private readonly deployment: Deployment,
    private readonly log: Logger,
  ) {
    this.processor = new BreachProcessor(chain, deployment.refundManager, deployment.factory, log.child({ part: "refunds" }));
    this.store = new CursorStore(config.stateDir);
    const saved = this.store.load();
    if (saved && (saved.chainId !== deployment.chainId || saved.oracle.toLowerCase() !== deployment.oracle.toLowerCase())) {
      throw new Error(`the refund cursor ${this.store.file} belongs to oracle ${saved.oracle} on chain ${saved.chainId}, not this deployment; move it away`);
    }
    const first = config.refunds.fromBlock ?? deployment.oracleBlock;
    this.cursor = saved ?? { chainId: deployment.chainId, oracle: deployment.oracle, epoch: null, serverSeqno: null, block: Math.max(0, first - 1) };
    // No cursor: everything since the oracle was deployed must be read from the chain.
    if (!saved) this.pendingBackfill = { from: first, reason: "first start" };
  }

  async start(): Promise<void> {
    const c = this.cursor;
    const client = new GatewayClient({
      url: this.config.gateway,
      subscription: {
        events: ["TxnLog", "BlockFinalized"],
        filters: [
          {
            event_name: "TxnLog",
            field_filters: [
              { field: "address", filter: { values: [this.deployment.oracle] } },
              { field: "topics", filter: { values: [SLA_BREACHED_TOPIC] } },
            ],
          },
        ],
        min_stage: "Finalized",
      },
      ...(c.serverSeqno !== null ? { resumeFrom: BigInt(c.serverSeqno), ...(c.epoch ? { epoch: c.epoch } : {}) } : {}),
      backoff: { initialMs: 250, maxMs: 5000 },
      clientName: "sla-agent refund executor",
    });
    this.client = client;
    client.on("frame", (frame, info) => this.epochOf.set(frame, info.epoch));
    client.on("resume", (r) => this.log.info({ mode: r.mode, epoch: r.epoch, ...("reason" in r ? { reason: r.reason } : {}) }, "gateway feed (re)connected"));
    client.on("error", (e) => {
      if (e.name !== "GatewayConnectionError") this.log.warn({ err: e.message }, "gateway feed error");
    });
    const frames = client.frames({ bufferSize: 1000 });
    this.loop = (async () => {
      for await (const item of frames) {
        if (this.stopped) break;
        if ("Gap" in item) this.onGap(item.Gap.reason, item.Gap.message);
        else await this.exclusive(() => this.onFrame(item));
      }
    })().catch((err) => {
      if (!this.stopped) this.log.error({ err: shortError(err) }, "refund executor stopped");
    });
    await client.connect().catch((err) => this.log.warn({ err: shortError(err), gateway: this.config.gateway }, "gateway not reachable yet; retrying in the background"));
    if (this.pendingBackfill) this.scheduleChainPass();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /**
   * Reads the missed range up to the chain's head right away, without waiting for the feed's next
   * finalized block (a quiet chain may not produce one for a while). Blocks the gateway finalizes
   * from now on come through the feed; the pass that the next BlockFinalized triggers covers the rest.
   */
  private scheduleChainPass(): void {
    void this.exclusive(async () => {
      if (!this.pendingBackfill || this.stopped) return;
      const head = Number(await this.chain.public.getBlockNumber()) - this.config.refunds.confirmations;
      if (head < this.pendingBackfill.from) return;
      await this.backfill(head, false);
    }).catch((err) => this.log.warn({ err: shortError(err) }, "chain backfill failed; it is retried at the next finalized block"));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client?.disconnect();
    await this.loop;
  }

  private onGap(reason: string, message: string): void {
    // The last fully handled block itself may have had breaches released after its BlockFinalized
    // frame: start the rescan there (duplicates are harmless).
    const from = this.cursor.block;
    if (!this.pendingBackfill || this.pendingBackfill.from > from) this.pendingBackfill = { from, reason };
    this.scheduleChainPass();
    this.log.warn({ reason, message, backfillFrom: from }, "gateway feed lost data; the missed blocks will be read from the chain");
  }

  private async onFrame(frame: StreamFrame): Promise<void> {
    if (!("Events" in frame)) return;
    const finalized = frame.Events.filter((e) => e.payload.type === "BlockFinalized").map((e) => Number((e.payload as { block_number: number }).block_number));
    const newest = finalized.length ? Math.max(...finalized) : undefined;
    if (this.pendingBackfill && newest !== undefined) await this.backfill(newest);
    for (const e of frame.Events) if (e.payload.type === "TxnLog") await this.onLog(e);
    this.cursor = {
      ...this.cursor,
      epoch: this.epochOf.get(frame) ?? this.cursor.epoch,
      serverSeqno: String(frame.server_seqno),
      block: newest !== undefined && !this.pendingBackfill ? Math.max(this.cursor.block, newest) : this.cursor.block,
    };
    this.store.save(this.cursor);
  }

  private async onLog(e: ExecEvent): Promise<void> {
    const p = e.payload as { address: string; topics_list: Hex[]; data: Hex };
    if (p.address.toLowerCase() !== this.deployment.oracle.toLowerCase() || p.topics_list[0]?.toLowerCase() !== SLA_BREACHED_TOPIC) return;
    const d = decodeEventLog({ abi: [slaBreached], data: p.data, topics: p.topics_list as [Hex, ...Hex[]] });
    await this.processor.handle(toBreach(d.args as Record<string, unknown>, "gateway", e.block_number === undefined ? undefined : Number(e.block_number)), () => this.stopped);
  }

  /**
   * Reads SLABreached logs from the pending start up to `target`: the feed's newest finalized block
   * (`final`: the feed covers what follows), or the chain's head (the feed's next finalized block
   * triggers another pass from there).
   */
  private async backfill(target: number, final = true): Promise<void> {
    const { from, reason } = this.pendingBackfill!;
    // from > target: an earlier chain pass already read past the feed's newest finalized block;
    // nothing to read, nothing to log.
    if (from <= target) {
      const found = await this.readBreaches(from, target);
      if (found === undefined) return;
      const record = { from, to: target, breaches: found, reason };
      this.backfills.push(record);
      if (this.backfills.length > 20) this.backfills.shift();
      this.log.info(record, "backfilled breaches from the chain");
    }
    if (final) {
      this.pendingBackfill = null;
      this.cursor = { ...this.cursor, block: Math.max(this.cursor.block, target) };
    } else this.pendingBackfill = { from: target, reason };
  }

  /** Handles every SLABreached log in [from, to]; the number found, or undefined when stopped. */
  private async readBreaches(from: number, to: number): Promise<number | undefined> {
    const chunk = this.config.refunds.backfillChunk;
    let next = from;
    let found = 0;
    while (next <= to) {
      const head = Number(await this.chain.public.getBlockNumber()) - this.config.refunds.confirmations;
      const end = Math.min(to, head, next + chunk - 1);
      if (end < next) {
        // The chain's head is behind the gateway (or within the confirmations): wait for it.
        await new Promise((r) => setTimeout(r, 500));
        if (this.stopped) return undefined;
        continue;
      }
      const logs = await this.chain.public.getLogs({ address: this.deployment.oracle, event: slaBreached, fromBlock: BigInt(next), toBlock: BigInt(end) });
      for (const log of logs) {
        found++;
        await this.processor.handle(toBreach(log.args as Record<string, unknown>, "backfill", Number(log.blockNumber)), () => this.stopped);
      }
      next = end + 1;
    }
    return found;
  }
}

function toBreach(a: Record<string, unknown>, via: BreachSeen["via"], block?: number): BreachSeen {
  return {
    breachId: a.breachId as Hex,
    streamId: a.streamId as bigint,
    metric: Number(a.metric),
    tier: Number(a.tier),
    value: Number(a.value),
    windowStart: Number(a.windowStart),
    via,
    block,
  };
}
