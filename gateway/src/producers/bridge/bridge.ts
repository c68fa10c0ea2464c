// The bridge loop: follows an Ethereum JSON-RPC node and records each block into a ring as a
// Monad node would (BlockWriter, the simulator's event order), then the block's BLOCK_QC /
// BLOCK_FINALIZED / BLOCK_VERIFIED at their delays (ConsensusStages).
//
//   const bridge = new Bridge(rpc, { record: (b, n) => writer.record(b, n) }, options, { log });
//   const done = bridge.start();   // resolves after stop() or maxBlocks
//   await bridge.stop();
//
// Each poll: head = eth_blockNumber; if nothing new, check that the last recorded block is still
// the node's block at that height; then record every block up to the head. A block is written
// only once all its data is fetched, so an outage never leaves half a block in the ring. While
// the node is unreachable the loop retries with exponential backoff (logging at warn) and keeps
// writing consensus events that fall due. Reorgs: see reorg() and README.md.

import type { Logger } from "pino";
import { BatchBuilder } from "../../encode/batch-builder.js";
import { isRingError } from "../../ring/native.js";
import { BlockWriter } from "../sim/block-writer.js";
import { systemClock, type SimClock } from "../sim/clock.js";
import { EventStream, SeqnoMismatchError, type EventSink } from "../sim/event-stream.js";
import { Prng } from "../sim/prng.js";
import { Timeline } from "../sim/timeline.js";
import { AccountBook } from "./access-mapper.js";
import { BLOCKS_PER_EPOCH, mapBlock } from "./block-mapper.js";
import { BlockSource, ChainMovedError, type FetchedBlock } from "./block-source.js";
import { ConsensusStages } from "./consensus-stages.js";
import type { BridgeOptions } from "./options.js";
import { RecordedChain } from "./recorded-chain.js";
import { RpcUnreachableError, type RpcClient } from "./rpc-client.js";
import { data } from "./rpc-types.js";

/** Reported after each recorded block. */
export interface BridgedBlock {
  number: number;
  hash: string;
  round: number;
  txns: number;
  logs: number;
  callFrames: number;
  accountAccesses: number;
  /** Seqno of its BLOCK_START. */
  startSeqno: number;
  /** True when it replaced a block recorded before (reorg). */
  replacement: boolean;
}

export interface BridgeStats {
  blocks: number;
  txns: number;
  events: number;
  bytes: number;
  consensusEvents: number;
  reorgs: number;
  orphanedBlocks: number;
  /** Times the node became reachable again after failures. */
  reconnects: number;
  lastBlock: number | undefined;
  lastSeqno: number;
  rpcCalls: number;
  /** Time spent waiting for blocks' RPC data (mostly the node's tracers) vs. mapping and recording them, ms. */
  fetchMs: number;
  recordMs: number;
}

export interface BridgeDeps {
  log: Logger;
  clock?: SimClock;
  onBlock?: (b: BridgedBlock) => void;
}

/** BlockWriter compresses a block's execution into 60% of this (µs): bridged blocks span ≤ 60 ms of ring time. */
const EXECUTION_BUDGET_US = 100_000;
/** Transactions executing at once in the synthesized PERF timeline. */
const PARALLELISM = 4;
/** While catching up, a progress line at most this often (ms) instead of one line per block. */
const PROGRESS_LOG_MS = 2_000;
/** A reorg orphaning more blocks than this logs a summary instead of a line per block. */
const MAX_ORPHAN_LINES = 8;

export class Bridge {
  private readonly stream: EventStream;
  private readonly source: BlockSource;
  private readonly stages: ConsensusStages;
  private readonly recorded: RecordedChain;
  private readonly clock: SimClock;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private readonly timeline: Timeline;
  private readonly writer: BlockWriter;
  private readonly t0: number;
  private run?: Promise<void>;
  private chainId: bigint | undefined;
  private next: number | undefined;
  private lastRound = 0;
  private lastEndUs = 0;
  private replacedAbove = -1;
  private lastProgressLog = 0;
  private counts = { blocks: 0, txns: 0, reorgs: 0, orphanedBlocks: 0, reconnects: 0 };
  private fetchMs = 0;
  private recordMs = 0;
  private lastBlock: number | undefined;

  constructor(
    private readonly rpc: RpcClient,
    sink: EventSink,
    private readonly options: BridgeOptions,
    private readonly deps: BridgeDeps,
    /** Seqno of the last event already in the ring (0 for a fresh ring). */
    startSeqno = 0,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log;
    this.stream = new EventStream(sink, new BatchBuilder(1 << 20), { maxEvents: 1 << 16, maxBytes: 32 << 20 }, startSeqno);
    this.source = new BlockSource(rpc, { callTraces: options.callFrames, accessTraces: options.accesses }, this.log);
    const rng = new Prng(1);
    this.stages = new ConsensusStages(options.stages, rng.fork());
    this.recorded = new RecordedChain(options.reorgWindow);
    this.t0 = this.clock.nowMs();
    this.timeline = new Timeline(this.clock.wallMs());
    this.writer = new BlockWriter(this.stream, this.timeline, rng.fork(), PARALLELISM, "overlapped", EXECUTION_BUDGET_US);
  }

  /** Runs until stop() or maxBlocks; rejects only if the ring cannot be written. Call once. */
  start(): Promise<void> {
    if (this.run) throw new Error("Bridge.start() called twice");
    this.run = this.loop();
    return this.run;
  }

  /** Stops after the block being recorded (never half a block); resolves when stopped. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.run;
  }

  stats(): BridgeStats {
    return {
      ...this.counts,
      events: this.stream.events,
      bytes: this.stream.bytes,
      consensusEvents: this.stages.written,
      lastBlock: this.lastBlock,
      lastSeqno: this.stream.lastRecordedSeqno,
      rpcCalls: this.rpc.calls,
      fetchMs: Math.round(this.fetchMs),
      recordMs: Math.round(this.recordMs),
    };
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted || this.counts.blocks >= this.options.maxBlocks;
  }

  private async loop(): Promise<void> {
    const o = this.options;
    let failures = 0;
    let backoff = o.retryInitialMs;
    while (!this.stopping) {
      try {
        await this.poll();
        if (failures > 0) {
          this.counts.reconnects++;
          this.log.info({ rpc: this.rpc.url, failedAttempts: failures }, "RPC node reachable again; following the chain");
        }
        failures = 0;
        backoff = o.retryInitialMs;
        await this.idle(o.pollIntervalMs);
      } catch (e) {
        if (e instanceof SeqnoMismatchError || isRingError(e)) throw e;
        if (this.stopping) break;
        if (e instanceof ChainMovedError) {
          this.log.info({ reason: e.message }, "the chain changed while a block was fetched; fetching it again");
          await this.idle(o.pollIntervalMs);
          continue;
        }
        failures++;
        const unreachable = e instanceof RpcUnreachableError;
        this.log.warn(
          { rpc: this.rpc.url, err: (e as Error).message, attempt: failures, retryInMs: backoff },
          unreachable ? "RPC node unreachable; retrying" : "RPC request failed; retrying",
        );
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, o.retryMaxMs);
      }
    }
    // Stopped by maxBlocks: give the recorded blocks their consensus events before returning.
    while (!this.abort.signal.aborted && this.stages.pending > 0) await this.idle(this.stages.nextDueMs() + this.t0 - this.clock.nowMs());
    this.writeDue();
    this.stream.flush();
  }

  /** One poll: notice reorgs, then record every block up to the node's head. */
  private async poll(): Promise<void> {
    const signal = this.abort.signal;
    if (this.chainId === undefined) {
      this.chainId = await this.source.chainId(signal);
      this.log.info({ rpc: this.rpc.url, chainId: Number(this.chainId) }, "connected to the RPC node");
    }
    const head = await this.source.headNumber(signal);
    if (this.next === undefined) {
      const from = this.options.from;
      this.next = from === "latest" ? head : from === "earliest" ? 0 : from;
      this.log.info({ from: this.next, head }, this.next > head ? `waiting for block ${this.next} (the node is at ${head})` : "following the chain");
    }
    const tip = this.recorded.tip;
    if (tip !== undefined && head <= tip.number) {
      // Nothing new: the node may still have replaced our tip (or shrunk the chain).
      const h = await this.source.header(head, signal);
      const mine = this.recorded.get(head);
      if (head < tip.number || (h && mine && h.hash.toLowerCase() !== mine.hash)) await this.reorg(head);
    }
    while (this.next <= head && !this.stopping) {
      this.writeDue();
      const fetchStart = this.clock.nowMs();
      const f = await this.source.fetch(this.next, signal);
      this.fetchMs += this.clock.nowMs() - fetchStart;
      if (f === null) return; // the chain shrank since eth_blockNumber: the next poll sorts it out
      const parent = this.recorded.get(this.next - 1);
      if (parent && f.block.parentHash.toLowerCase() !== parent.hash) {
        await this.reorg(this.next - 1);
        continue;
      }
      await this.record(f, head);
      this.next++;
    }
  }

  /**
   * The node's chain no longer contains some recorded block at or below `from`. Finds the highest
   * recorded block the node still has (the fork point), orphans everything recorded above it and
   * continues after it. Without a common block in the window (say, a restarted devnet without
   * its state), the chain was replaced: continue at min(lowest recorded, node head).
   */
  private async reorg(from: number): Promise<void> {
    const signal = this.abort.signal;
    let fork: number | undefined;
    for (const n of this.recorded.numbersDescending()) {
      if (n > from) continue;
      const h = await this.source.header(n, signal);
      if (h && h.hash.toLowerCase() === this.recorded.get(n)!.hash) {
        fork = n;
        break;
      }
    }
    const lowest = this.recorded.lowest?.number ?? 0;
    const orphans = this.recorded.removeAbove(fork ?? -1);
    this.counts.reorgs++;
    this.counts.orphanedBlocks += orphans.length;
    const finalized: number[] = [];
    for (const b of orphans) {
      const reached = this.stages.orphan(b.tag);
      if (reached === "Finalized" || reached === "Verified") finalized.push(b.number);
      else if (orphans.length <= MAX_ORPHAN_LINES) {
        this.log.info({ block: b.number, hash: b.hash, stage: reached }, "reorg: block replaced; its proposal will not be finalized (the gateway rejects it when the replacement finalizes)");
      }
    }
    if (finalized.length > 0) {
      // Finality cannot be taken back: one line, however many blocks (a restarted devnet replaces them all).
      this.log.warn(
        { blocks: finalized.length, lowest: Math.min(...finalized), highest: Math.max(...finalized) },
        "reorg replaced blocks the ring already finalized (deeper than the finalization delay); their replacements are recorded as further proposals",
      );
    }
    if (fork !== undefined) {
      this.next = fork + 1;
      this.log.warn({ forkPoint: fork, orphaned: orphans.length }, `reorg: re-recording from block ${fork + 1}`);
    } else {
      const head = await this.source.headNumber(signal);
      this.chainId = await this.source.chainId(signal);
      this.next = Math.min(lowest, head);
      this.log.warn({ orphaned: orphans.length, head, chainId: Number(this.chainId) }, `the node's chain was replaced (no recorded block is on it any more); recording from block ${this.next}`);
    }
    this.replacedAbove = Math.max(this.replacedAbove, ...orphans.map((b) => b.number));
  }

  private async record(f: FetchedBlock, head: number): Promise<void> {
    const recordStart = this.clock.nowMs();
    const number = Number(BigInt(f.block.number));
    const round = Math.max(this.lastRound + 1, number);
    const id = data(f.block.hash, "block.hash", 32);
    const tag = { id, number, round, epoch: 1 + Math.floor(number / BLOCKS_PER_EPOCH) };
    const plan = await mapBlock(f, this.chainId!, tag, new AccountBook());
    this.lastRound = round;

    const nowUs = (this.clock.nowMs() - this.t0) * 1000;
    const startUs = Math.max(nowUs, this.lastEndUs);
    const written = this.writer.write(plan, startUs);
    this.stream.flush();
    this.lastEndUs = written.endUs;
    this.stages.add(tag, startUs / 1000);
    this.recorded.add({ number, hash: f.block.hash.toLowerCase(), tag });
    this.counts.blocks++;
    this.counts.txns += plan.txns.length;
    this.lastBlock = number;
    this.recordMs += this.clock.nowMs() - recordStart;

    const info: BridgedBlock = {
      number,
      hash: f.block.hash,
      round,
      txns: plan.txns.length,
      logs: plan.txns.reduce((s, t) => s + t.logs.length, 0),
      callFrames: plan.txns.reduce((s, t) => s + t.frames.length, 0),
      accountAccesses: plan.txns.reduce((s, t) => s + t.accounts.length, 0),
      startSeqno: written.startSeqno,
      replacement: number <= this.replacedAbove,
    };
    const now = this.clock.nowMs();
    if (head - number <= 2) {
      this.log.info(info, "block recorded");
    } else if (now - this.lastProgressLog >= PROGRESS_LOG_MS) {
      this.lastProgressLog = now;
      this.log.info({ block: number, head, blocks: this.counts.blocks, events: this.stream.events }, "catching up");
    }
    this.deps.onBlock?.(info);
  }

  /** Writes the consensus events that are due now. */
  private writeDue(): void {
    if (this.stages.writeDue(this.clock.nowMs() - this.t0, this.stream, this.timeline) > 0) this.stream.flush();
  }

  /** Waits `ms` (or until stop()), writing consensus events as they fall due. */
  private async idle(ms: number): Promise<void> {
    const until = this.clock.nowMs() + ms;
    while (!this.abort.signal.aborted) {
      this.writeDue();
      const now = this.clock.nowMs();
      if (now >= until) return;
      const wake = Math.min(until, this.t0 + this.stages.nextDueMs());
      await this.clock.sleep(Math.max(1, wake - now), this.abort.signal);
    }
  }
}
