// One target, end to end: its gateway stream → batches → signed POSTs with retries → durable cursor,
// dead letters and stats. Targets share nothing but the process, so a slow or dead receiver only
// ever stalls its own stream (whose connection then pauses: the gateway holds the frames).
//
// Cursor protocol, per batch: save {cursor, pending: batch range} (fsync) → POST until answered →
// save {cursor: batch end, pending: null}. A crash anywhere re-sends the pending batch, rebuilt
// from the same frames, under the same idempotency key.
import type { Logger } from "pino";
import type { RelayConfig, TargetConfig } from "../config/types.js";
import type { Batch } from "../delivery/batch.js";
import { Batcher } from "../delivery/batcher.js";
import { deliverWithRetry, type DeliveryResult } from "../delivery/deliver-with-retry.js";
import { postBatch } from "../delivery/post-batch.js";
import { CursorStore, type Cursor } from "../state/cursor-store.js";
import { DeadLetterLog, type DeadLetterEntry } from "../state/dead-letter-log.js";
import { stringifyJson } from "@monad-gateway/sdk";
import { GatewayStream, type GapRecord, type StreamItem } from "./gateway-stream.js";
import { newCounters, type TargetCounters, type TargetState, type TargetStats } from "./target-stats.js";

const LINGER = Symbol("linger");

export class TargetWorker {
  readonly counters: TargetCounters = newCounters();
  readonly dlq: DeadLetterLog;
  private readonly cursors: CursorStore;
  private readonly subscriptionJson: string;
  private readonly batcher: Batcher;
  private readonly stream: GatewayStream;
  private acked: Cursor | null;
  private inFlight: Batch | null = null;
  private state: TargetState = "starting";
  private lastError: string | null = null;
  private lastGap: (GapRecord & { at: string }) | null = null;
  /** Aborted to stop reading new frames (shutdown begins). */
  private readonly stopReading = new AbortController();
  /** Aborted when the shutdown deadline passes: in-flight deliveries give up (and stay pending). */
  private readonly stopDelivering = new AbortController();
  private running: Promise<void> | null = null;
  /** One timer per batch deadline, however many frames arrive meanwhile. */
  private linger: { deadline: number; fired: Promise<typeof LINGER>; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(
    readonly target: TargetConfig,
    relay: RelayConfig,
    private readonly log: Logger,
  ) {
    this.cursors = new CursorStore(relay.stateDir, target.name);
    this.dlq = new DeadLetterLog(relay.stateDir, target.name);
    this.subscriptionJson = stringifyJson(target.subscription);
    this.batcher = new Batcher(target.name, target.batch);
    const saved = this.cursors.load();
    this.acked = saved?.cursor ?? null;
    if (saved?.pending && this.acked && saved.pending.epoch === this.acked.epoch) {
      if (saved.subscription === this.subscriptionJson) this.batcher.rebuild(saved.pending.lastSeqno);
      else log.warn({ pending: saved.pending }, "the subscription changed since the last run: the unacknowledged batch is re-sent under new batch boundaries");
    }
    if (this.acked) log.info({ cursor: this.acked, pending: saved?.pending ?? null }, "resuming from the saved cursor");
    this.stream = new GatewayStream({
      url: relay.gatewayUrl,
      channel: relay.channel,
      subscription: target.subscription,
      queueFrames: target.queueFrames,
      start: this.acked,
      startMode: relay.start,
      clientName: `webhook-relay/${target.name}`,
      log,
    });
  }

  get name(): string {
    return this.target.name;
  }

  start(): void {
    this.running = this.run().catch((err) => {
      this.state = "stopped";
      this.lastError = (err as Error).message;
      this.log.error({ err }, "target stopped on an unexpected error");
    });
  }

  /**
   * Graceful stop: take no new frames, send what is held (the lingering batch too) until
   * `deadline`, then persist the cursor. Whatever is not acknowledged by then is re-sent after a
   * restart, under the same key.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.stopReading.abort();
    this.stream.stop();
    const timer = setTimeout(() => this.stopDelivering.abort(), deadlineMs);
    try {
      await this.running;
    } finally {
      clearTimeout(timer);
      this.state = "stopped";
    }
  }

  private async run(): Promise<void> {
    this.state = "idle";
    const items = this.stream.items(this.stopReading.signal);
    let next: Promise<IteratorResult<StreamItem>> | null = null;
    for (;;) {
      next ??= items.next();
      const deadline = this.batcher.deadline;
      const r = deadline === null ? await next : await Promise.race([next, this.lingerUntil(deadline)]);
      if (r === LINGER) {
        if (!(await this.send(this.batcher.flush()))) return;
        continue;
      }
      next = null;
      if (r.done) break;
      const item = r.value;
      if (item.kind === "frame") {
        for (const batch of this.batcher.add(item.frame)) if (!(await this.send(batch))) return;
      } else {
        if (!(await this.send(this.batcher.flush()))) return;
        if (item.gap) this.recordGap(item.gap);
        if (item.kind === "jump") {
          this.batcher.forgetRebuild();
          this.acked = item.to;
          this.saveCursor(null);
        }
      }
    }
    // The stream ended: shutdown. Flush the lingering batch within the deadline.
    if (this.linger) clearTimeout(this.linger.timer);
    await this.send(this.batcher.flush());
  }

  /** Delivers a batch (or nothing); false when delivery was cut short by the shutdown deadline. */
  private async send(batch: Batch | null): Promise<boolean> {
    if (batch === null) return true;
    this.inFlight = batch;
    this.saveCursor({ epoch: batch.epoch, firstSeqno: batch.firstSeqno, lastSeqno: batch.lastSeqno });
    this.state = "delivering";
    const result = await deliverWithRetry({ ...this.target, timeoutMs: this.target.retry.timeoutMs }, this.target.retry, batch, this.stopDelivering.signal, {
      retrying: (outcome, attempt, delayMs) => {
        this.counters.retried++;
        this.state = "retrying";
        this.lastError = outcome.detail;
        this.log.warn({ key: batch.key, attempt, delay_ms: delayMs, problem: outcome.detail }, "delivery failed; retrying");
      },
    });
    this.inFlight = null;
    if (result.kind === "stopped") {
      this.log.warn({ key: batch.key }, "shutdown deadline reached with a batch unacknowledged; it is re-sent after a restart");
      return false;
    }
    this.settle(batch, result);
    this.acked = { epoch: batch.epoch, serverSeqno: batch.lastSeqno };
    this.saveCursor(null);
    this.state = "idle";
    return true;
  }

  private settle(batch: Batch, result: Exclude<DeliveryResult, { kind: "stopped" }>): void {
    if (result.kind === "delivered") {
      this.counters.delivered_batches++;
      this.counters.delivered_frames += batch.frames;
      this.counters.delivered_events += batch.events;
      this.lastError = null;
      this.log.debug({ key: batch.key, events: batch.events, attempts: result.attempts }, "batch delivered");
      return;
    }
    this.counters.dead_lettered_batches++;
    this.counters.dead_lettered_events += batch.events;
    this.lastError = result.detail;
    const entry = this.dlq.add(
      {
        reason: result.reason,
        detail: result.detail,
        epoch: batch.epoch,
        first_seqno: batch.firstSeqno,
        last_seqno: batch.lastSeqno,
        idempotency_key: batch.key,
        events: batch.events,
        ...(result.status !== undefined ? { status: result.status } : {}),
        ...(result.response !== undefined ? { response: result.response } : {}),
      },
      batch.body,
    );
    this.log.error({ key: batch.key, dlq_id: entry.id, problem: result.detail }, "batch dead-lettered");
  }

  private recordGap(gap: GapRecord): void {
    this.counters.gaps++;
    if (gap.from !== null && gap.to !== null) this.counters.gap_frames_lost += Math.max(0, gap.to - gap.from + 1);
    else if (gap.count !== undefined) this.counters.gap_frames_lost += gap.count;
    this.lastGap = { ...gap, at: new Date().toISOString() };
    this.dlq.add({ reason: "gap", gap_reason: gap.reason, detail: gap.detail, epoch: gap.epoch, first_seqno: gap.from, last_seqno: gap.to });
    this.log.error({ gap }, "data lost before this target could read it (recorded in the dead-letter log)");
  }

  private saveCursor(pending: { epoch: string; firstSeqno: number; lastSeqno: number } | null): void {
    this.cursors.save({ cursor: this.acked, pending, subscription: this.subscriptionJson });
  }

  /** Sends a dead-lettered batch again (one attempt cycle with the retry policy's timeout). */
  async redeliver(id: number): Promise<{ ok: boolean; status?: number; detail: string; entry?: DeadLetterEntry }> {
    const entry = this.dlq.get(id);
    if (!entry) return { ok: false, detail: `no dead letter ${id} for target ${this.name}` };
    const body = entry.idempotency_key !== undefined ? this.dlq.body(id) : undefined;
    if (body === undefined || entry.idempotency_key === undefined) return { ok: false, detail: `dead letter ${id} records a gap: there is nothing to redeliver`, entry };
    const outcome = await postBatch({ ...this.target, timeoutMs: this.target.retry.timeoutMs }, { key: entry.idempotency_key, body });
    if (outcome.kind !== "delivered") return { ok: false, ...(outcome.status !== undefined ? { status: outcome.status } : {}), detail: outcome.detail, entry };
    this.dlq.markRedelivered(id);
    this.counters.redelivered++;
    return { ok: true, status: outcome.status, detail: "delivered", entry };
  }

  private lingerUntil(deadline: number): Promise<typeof LINGER> {
    if (this.linger?.deadline !== deadline) {
      if (this.linger) clearTimeout(this.linger.timer);
      let timer!: ReturnType<typeof setTimeout>;
      const fired = new Promise<typeof LINGER>((resolve) => (timer = setTimeout(() => resolve(LINGER), Math.max(0, deadline - Date.now()))));
      this.linger = { deadline, fired, timer };
    }
    return this.linger.fired;
  }

  stats(gatewayNewest: { epoch: string; newest: number } | null, now = Date.now()): TargetStats {
    const oldest = this.inFlight?.oldestReceivedAt ?? this.batcher.oldestReceivedAt;
    return {
      name: this.name,
      url: this.target.url,
      state: this.state,
      gateway_connected: this.stream.connected,
      last_error: this.lastError ?? this.stream.error,
      ...this.counters,
      acked: this.acked && { epoch: this.acked.epoch, server_seqno: this.acked.serverSeqno },
      lag_seqnos: gatewayNewest && this.acked && gatewayNewest.epoch === this.acked.epoch ? Math.max(0, gatewayNewest.newest - this.acked.serverSeqno) : null,
      lag_ms: oldest === null ? 0 : Math.max(0, now - oldest),
      held_frames: (this.inFlight?.frames ?? 0) + this.batcher.size,
      max_held_frames: this.target.queueFrames + 2 * this.target.batch.maxEvents + 1,
      last_gap: this.lastGap,
      dead_letters: this.dlq.size,
    };
  }
}

