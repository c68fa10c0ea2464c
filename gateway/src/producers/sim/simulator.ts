// The embedded chain simulator: writes a realistic synthetic Monad chain into an event sink
// (the native ring writer in production, an in-memory sink in unit tests).
//
//   const sim = new Simulator(sink, { seed: 7, blocksPerSecond: 2.5, txnsPerBlock: 100 });
//   const done = sim.start();      // resolves when maxBlocks / durationMs is reached or after stop()
//   …
//   await sim.stop();              // finishes the block in progress, flushes, resolves
//
// Pacing: block k starts at k × interval of simulated time (later if the previous block's
// execution ran over). In paced mode the loop sleeps until the clock reaches the time of what it
// writes next, and flushes before sleeping, so each block (or consensus event) becomes visible
// in one sink call at about its simulated time — bursts within a block, idle in between, like a
// node. In flat-out mode it never sleeps, flushes when a batch fills up, and yields to the event
// loop every few milliseconds so an in-process reader and stop() keep working.

import { BatchBuilder } from "../../encode/batch-builder.js";
import { BlockWriter } from "./block-writer.js";
import { ChainModel, type BlockOutcome } from "./chain-model.js";
import { systemClock, type SimClock } from "./clock.js";
import { ConsensusSchedule, consensusEventInput } from "./consensus-timing.js";
import { EventStream, type EventSink } from "./event-stream.js";
import { resolveOptions, type ResolvedSimOptions, type SimulatorOptions } from "./options.js";
import { Prng } from "./prng.js";
import { Timeline } from "./timeline.js";

/** Reported after each block is written (not necessarily flushed yet). */
export interface SimulatedBlockInfo {
  number: number;
  round: number;
  id: Uint8Array;
  /** Seqno of its BLOCK_START. */
  startSeqno: number;
  txnCount: number;
  gasUsed: number;
  outcome: BlockOutcome;
  /** Simulated start time, ms since the simulator started. */
  startMs: number;
}

export interface SimulatorDeps {
  /** Time source; a ManualClock makes paced runs instant and deterministic. Default: real time. */
  clock?: SimClock;
  /** Batch encoder to reuse. Default: a new one. */
  builder?: BatchBuilder;
  /** Called after each block is written. */
  onBlock?: (block: SimulatedBlockInfo) => void;
}

export interface SimulatorStats {
  blocks: number;
  committedBlocks: number;
  failedBlocks: number;
  txns: number;
  consensusEvents: number;
  /** Events, batches and bytes handed to the sink. */
  events: number;
  batches: number;
  bytes: number;
  lastSeqno: number;
  /** QC / finalized / verified events scheduled but not yet written. */
  pendingConsensus: number;
  /** Simulated time reached, ms since start. */
  simulatedMs: number;
}

/** In flat-out mode, hand control back to the event loop this often (ms of real time). */
const FLAT_OUT_YIELD_MS = 5;
/** In paced mode, a producer running behind schedule still yields this often. */
const BEHIND_YIELD_MS = 20;

export class Simulator {
  readonly options: ResolvedSimOptions;
  private readonly clock: SimClock;
  private readonly chain: ChainModel;
  private readonly stream: EventStream;
  private readonly consensus: ConsensusSchedule;
  private readonly timingRng: Prng;
  private readonly abort = new AbortController();
  private readonly onBlock?: (block: SimulatedBlockInfo) => void;
  private run?: Promise<void>;
  private finished = false;
  private t0 = 0;
  private lastYield = 0;
  private simMs = 0;
  private counts = { blocks: 0, committedBlocks: 0, failedBlocks: 0, txns: 0, consensusEvents: 0 };

  /** Throws SimulatorOptionsError when `options` are invalid. */
  constructor(sink: EventSink, options: SimulatorOptions = {}, deps: SimulatorDeps = {}) {
    this.options = resolveOptions(options);
    this.clock = deps.clock ?? systemClock;
    this.onBlock = deps.onBlock;
    this.chain = new ChainModel(this.options);
    const o = this.options;
    this.stream = new EventStream(sink, deps.builder ?? new BatchBuilder(1 << 20), o.batch, o.startSeqno);
    // Timing draws get their own stream: the chain content does not depend on them.
    const timing = new Prng(o.seed, 1);
    this.consensus = new ConsensusSchedule(o.consensus, timing.fork());
    this.timingRng = timing.fork();
  }

  /**
   * Starts producing. The promise resolves when the run ends (block/duration limit, or stop())
   * and rejects if the sink fails. Call once.
   */
  start(): Promise<void> {
    if (this.run !== undefined) throw new Error("Simulator.start() called twice");
    this.run = this.loop().finally(() => {
      this.finished = true;
    });
    return this.run;
  }

  /** Stops after the block being written (it is completed and flushed). Resolves when stopped. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.run !== undefined) await this.run;
  }

  get running(): boolean {
    return this.run !== undefined && !this.finished;
  }

  /** The simulated world, for tests and diagnostics (hot contracts, accounts…). */
  get model(): ChainModel {
    return this.chain;
  }

  stats(): SimulatorStats {
    return {
      ...this.counts,
      events: this.stream.events,
      batches: this.stream.batches,
      bytes: this.stream.bytes,
      lastSeqno: this.stream.lastRecordedSeqno,
      pendingConsensus: this.consensus.pending,
      simulatedMs: this.simMs,
    };
  }

  private get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    const o = this.options;
    const clock = this.clock;
    this.t0 = clock.nowMs();
    this.lastYield = this.t0;
    const genesisMs = o.genesisTimeMs ?? clock.wallMs();
    const timeline = new Timeline(genesisMs);
    const writer = new BlockWriter(this.stream, timeline, this.timingRng, o.parallelism, o.recordOrder, o.blockIntervalMs * 1000);

    let nextStartMs = 0;
    const timeLeft = () => clock.nowMs() - this.t0 < o.durationMs;
    while (!this.stopping && this.counts.blocks < o.maxBlocks && timeLeft()) {
      await this.waitUntil(nextStartMs);
      if (this.stopping || !timeLeft()) break;
      this.simMs = nextStartMs;
      // The runloop records consensus events before it starts executing the next block.
      this.writeConsensusDue(nextStartMs, timeline);

      const plan = this.chain.planBlock(genesisMs + nextStartMs);
      const written = writer.write(plan, nextStartMs * 1000);
      this.counts.blocks++;
      this.counts.txns += plan.txns.length;
      if (plan.outcome.kind === "end") {
        this.counts.committedBlocks++;
        this.consensus.scheduleCommitted({ id: plan.id, number: plan.number, round: plan.round, epoch: plan.epoch }, nextStartMs);
      } else {
        this.counts.failedBlocks++;
      }
      this.onBlock?.({
        number: plan.number,
        round: plan.round,
        id: plan.id,
        startSeqno: written.startSeqno,
        txnCount: plan.txns.length,
        gasUsed: plan.gasUsed,
        outcome: plan.outcome,
        startMs: nextStartMs,
      });

      const endMs = written.endUs / 1000;
      // The block's events become visible once its execution has (in simulated time) finished.
      await this.waitUntil(endMs);
      this.simMs = endMs;
      if (!o.flatOut) this.stream.flush();
      nextStartMs = Math.max(nextStartMs + o.blockIntervalMs, endMs);
    }

    // Give the last blocks their QC / finalized / verified, at their times.
    while (!this.stopping && o.drainConsensus && this.consensus.pending > 0) {
      const due = this.consensus.nextDueMs();
      await this.waitUntil(due);
      if (this.stopping) break;
      this.simMs = Math.max(this.simMs, due);
      this.writeConsensusDue(due, timeline);
    }
    this.stream.flush();
  }

  private writeConsensusDue(nowMs: number, timeline: Timeline): void {
    for (let ev = this.consensus.popDue(nowMs); ev !== undefined; ev = this.consensus.popDue(nowMs)) {
      this.stream.add(consensusEventInput(ev, timeline.stamp(ev.dueMs * 1000)));
      this.counts.consensusEvents++;
    }
  }

  /** Waits until simulated time `simMs` (paced mode) or just yields now and then (flat out). */
  private async waitUntil(simMs: number): Promise<void> {
    const clock = this.clock;
    const now = clock.nowMs();
    if (!this.options.flatOut) {
      const wait = this.t0 + simMs - now;
      if (wait > 0) {
        this.stream.flush();
        await clock.sleep(wait, this.abort.signal);
        this.lastYield = clock.nowMs();
        return;
      }
      if (now - this.lastYield < BEHIND_YIELD_MS) return;
    } else if (now - this.lastYield < FLAT_OUT_YIELD_MS) {
      return;
    }
    // Flush so an in-process reader sees progress, then let it (and stop()) run.
    this.stream.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = clock.nowMs();
  }
}
