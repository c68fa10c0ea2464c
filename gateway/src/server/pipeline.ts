// The ingest pipeline: ring poll → validate → enrich → serialize once into frames (each with the next
// server_seqno) → hub. One pass per polled batch; frames are cut where order matters (an event that
// moved a block's stage is followed at once by its Lifecycle frame and the block's release frame).
import { checkRecord, FlowTracker } from "../decode/index.js";
import { u64At } from "../decode/numbers.js";
import { EventsFrameBuilder, recordMs } from "../broadcast/events-frame-builder.js";
import { EventsSerializer } from "../broadcast/events-serializer.js";
import { Frame, FRAME_KIND_NAMES, FrameKind, valueFrameBytes } from "../broadcast/frame.js";
import type { Hub } from "../broadcast/hub.js";
import { HOLD_STAGES, Stage, STAGE_UNKNOWN } from "../broadcast/stage.js";
import { StageRelease } from "../broadcast/stage-release.js";
import { Enricher, type EnrichOutput } from "../enrich/enricher.js";
import type { StageChange } from "../enrich/lifecycle.js";
import { recordSize, REC_BLOCK_SEQNO, REC_EVENT_TYPE, REC_PAYLOAD_SIZE } from "../ring/event-record.js";
import { ExecEventType } from "../decode/event-types.js";
import { PollStatus, type PollBatch } from "../ring/ring-reader.js";
import type { GatewayMetrics } from "../transport/metrics.js";

/** Events that may pass a pending block summary: recorded outside block scope, they leave its state alone. */
const CONSENSUS_EVENT = new Uint8Array(256);
CONSENSUS_EVENT[ExecEventType.BLOCK_QC] = 1;
CONSENSUS_EVENT[ExecEventType.BLOCK_FINALIZED] = 1;
CONSENSUS_EVENT[ExecEventType.BLOCK_VERIFIED] = 1;

/**
 * Events whose JSON one idle turn writes (about 0.2 ms): the ring is polled again between turns, so
 * a block that starts meanwhile waits at most that long (1,024 measured worse for BLOCK_START).
 */
const IDLE_JSON_EVENTS = 256;

/** The pipeline's enricher: BLOCK_END's summaries are computed after the block's end goes out. */
function newEnricher(): Enricher {
  return new Enricher({ deferBlockSummaries: true });
}

export interface PipelineOptions {
  /** Most events in one Events frame. */
  maxEventsPerFrame: number;
  /** Most events taken from the ring per poll. */
  maxEventsPerPoll: number;
}

interface Change {
  kind: "stage" | "evicted";
  blockSeqno: number;
  blockId: string;
  stage: Stage;
}

export interface PipelineEvents {
  /** Events the ring lost before the gateway read them (gap or expired payload). */
  ringLoss(kind: "ring_gap" | "payload_expired", lostEvents: number, message: string): void;
  decodeError(message: string): void;
}

export class Pipeline {
  enricher = newEnricher();
  private readonly tracker = new FlowTracker();
  private readonly builder: EventsFrameBuilder;
  private readonly serializer: EventsSerializer;
  private readonly release = new StageRelease();
  private readonly changes: Change[] = [];
  private nextSeqno = 1;
  private unsubscribe: () => void = () => {};
  /** Frames that hold current state, for clients that start with a snapshot. */
  private latest: { tps?: Frame; contention?: Frame; top?: Frame } = {};
  private readonly activeLifecycle = new Map<string, Frame>();
  /** Ring time of the event whose outputs are being published. */
  private currentMs = 0;
  eventsIn = 0;
  lastEventWallMs = 0;
  lastBlockNumber = 0;

  constructor(
    private readonly hub: Hub,
    private readonly metrics: GatewayMetrics,
    private readonly events: PipelineEvents,
    readonly options: PipelineOptions,
  ) {
    this.serializer = new EventsSerializer(this.tracker, hub.buffer);
    this.builder = new EventsFrameBuilder(options.maxEventsPerFrame, this.serializer);
    this.watchStages();
  }

  get newestSeqno(): number {
    return this.nextSeqno - 1;
  }

  /** State frames for a snapshot, oldest first (each keeps its own seqno). */
  snapshotFrames(): Frame[] {
    const frames = [this.latest.tps, this.latest.contention, this.latest.top, ...this.activeLifecycle.values()].filter((f): f is Frame => !!f);
    return frames.sort((a, b) => a.seqno - b.seqno);
  }

  /** Processes one polled batch (the reader's buffer is reused after this returns). */
  ingest(b: PollBatch): void {
    const buf = b.buffer;
    const end = b.bytes;
    let r = 0;
    let started = false;
    while (r < end) {
      const size = recordSize(buf.readUInt32LE(r + REC_PAYLOAD_SIZE));
      const err = checkRecord(buf, r, end);
      if (err !== undefined) {
        this.metrics.decodeErrors.inc();
        this.events.decodeError(err.message);
        if (err.reason === "truncated_record") break;
        r += size;
        continue;
      }
      const type = buf[r + REC_EVENT_TYPE];
      if (type === ExecEventType.BLOCK_START) this.serializer.blockStarted();
      if (this.enricher.summaryPending && !CONSENSUS_EVENT[type]) {
        if (started) this.finishEvents();
        started = false;
        this.publishSummaries();
      }
      if (!started) {
        this.builder.begin(this.nextSeqno, buf);
        started = true;
      }
      // A BLOCK_START creates its block: it arrives at Proposed, not "unknown".
      const arrival = type === ExecEventType.BLOCK_START ? Stage.Proposed : this.enricher.stageOf(buf, r);
      this.changes.length = 0;
      const outputs = this.enricher.observe(buf, r);
      const stage = this.enricher.stageOf(buf, r);
      const index = this.builder.count;
      this.builder.add(r, r + size, this.tracker, stage < 0 ? STAGE_UNKNOWN : stage, arrival < 0 ? STAGE_UNKNOWN : arrival);
      const blockSeqno = u64At(buf, r + REC_BLOCK_SEQNO) || (this.changes.length > 0 ? this.changes[0].blockSeqno : 0);
      if (blockSeqno !== 0 && arrival >= 0 && arrival < Stage.Verified) this.release.hold(blockSeqno, index, arrival);
      this.eventsIn++;
      r += size;
      // A frame ends at BLOCK_END, whether its summaries come now or later: same frames either way.
      // Deferred, they wait for a gap in the ring or the next event that needs them (publishSummaries).
      const blockEnded = type === ExecEventType.BLOCK_END && this.enricher.summaryPending;
      if (outputs > 0 || this.changes.length > 0 || this.builder.full || blockEnded) {
        this.finishEvents();
        started = false;
        this.currentMs = recordMs(buf, r - size);
        for (let i = 0; i < outputs; i++) this.publishOutput(this.enricher.outputs[i]);
        for (const c of this.changes) this.applyChange(c);
      }
    }
    if (started) this.finishEvents();
    if (b.count > 0) {
      this.metrics.eventsIn.inc(b.count);
      this.lastEventWallMs = Date.now();
    }
  }

  /**
   * The ring has nothing new: the ended block's summaries are computed now, or else the JSON of up to
   * IDLE_JSON_EVENTS events that no client has asked for yet. BLOCK_END is followed at once by its
   * block's consensus events (QC, FINALIZED, VERIFIED, which do not touch the summaries' state),
   * then a gap of a few ms before the next BLOCK_START: the work lands there. True when it did work
   * (call again after polling the ring: there may be more).
   */
  idle(): boolean {
    if (this.publishSummaries()) return true;
    if (this.serializer.backlog === 0) return false;
    this.serializer.writeSome(IDLE_JSON_EVENTS);
    return true;
  }

  /** Publishes the pending block summaries, if any; true when it did. */
  private publishSummaries(): boolean {
    if (!this.enricher.summaryPending) return false;
    this.hub.flush(); // what is held (the block's end, its consensus events) goes before the long part
    const n = this.enricher.summarizeBlock();
    for (let i = 0; i < n; i++) this.publishOutput(this.enricher.outputs[i]);
    return true;
  }

  /** After events were lost: per-block state restarts at the next block the reader sees. */
  resync(): void {
    this.publishSummaries(); // the block that ended before the loss is complete
    this.serializer.writeAll(); // while the tracker still knows their blocks
    this.enricher.reset();
    this.tracker.reset();
  }

  /** A new writer replaced the ring: seqnos start over, so every per-seqno memory goes. */
  restartRing(): void {
    this.publishSummaries();
    this.serializer.writeAll(); // while the tracker still knows their blocks
    this.unsubscribe();
    this.enricher = newEnricher();
    this.tracker.reset();
    this.release.clear();
    this.activeLifecycle.clear();
    this.watchStages();
  }

  /** Handles a poll status other than Ok/NotReady; returns true when the reader must resync. */
  lost(b: PollBatch): boolean {
    if (b.status === PollStatus.Gap) {
      const lost = Math.max(1, b.gapFoundSeqno - b.nextSeqno);
      this.metrics.ringGaps.inc();
      this.metrics.ringLostEvents.inc(lost);
      this.events.ringLoss("ring_gap", lost, `the ring writer overwrote events from seqno ${b.nextSeqno} before the gateway read them; resuming at the latest BLOCK_START`);
      return true;
    }
    if (b.status === PollStatus.Expired) {
      this.metrics.ringLostEvents.inc(1);
      this.events.ringLoss("payload_expired", 1, `the payload of ring event ${b.expiredSeqno} was overwritten before the gateway read it; resuming at the latest BLOCK_START`);
      return true;
    }
    return false;
  }

  private watchStages(): void {
    this.unsubscribe = this.enricher.lifecycle.onStage((c: StageChange) => {
      this.changes.push({ kind: c.kind, blockSeqno: c.block.blockSeqno, blockId: c.block.blockId, stage: c.kind === "stage" ? c.stage : c.block.stage });
    });
  }

  private finishEvents(): void {
    if (this.builder.count === 0) return;
    const frame = this.builder.finish();
    this.nextSeqno++;
    this.release.frameFinished(frame);
    this.publish(frame);
  }

  private publishOutput(o: EnrichOutput): void {
    const seqno = this.nextSeqno++;
    switch (o.type) {
      case "TPS": {
        const f = new Frame(seqno, FrameKind.TPS, valueFrameBytes(seqno, "TPS", String(o.data.tps)));
        this.latest.tps = f;
        this.lastBlockNumber = Math.max(this.lastBlockNumber, o.data.block_number);
        return this.publish(f);
      }
      case "ContentionData": {
        const f = new Frame(seqno, FrameKind.ContentionData, valueFrameBytes(seqno, "ContentionData", JSON.stringify(o.data)));
        this.latest.contention = f;
        return this.publish(f);
      }
      case "TopAccesses": {
        const f = new Frame(seqno, FrameKind.TopAccesses, valueFrameBytes(seqno, "TopAccesses", JSON.stringify(o.data)));
        this.latest.top = f;
        return this.publish(f);
      }
      case "Lifecycle": {
        const f = new Frame(seqno, FrameKind.Lifecycle, valueFrameBytes(seqno, "Lifecycle", JSON.stringify(o.data)));
        if (o.data.to_stage === "Verified" || o.data.to_stage === "Rejected") this.activeLifecycle.delete(o.data.block_hash);
        else this.activeLifecycle.set(o.data.block_hash, f);
        this.lastBlockNumber = Math.max(this.lastBlockNumber, o.data.block_number);
        return this.publish(f);
      }
    }
  }

  private applyChange(c: Change): void {
    if (c.kind === "evicted" || c.stage === Stage.Rejected) {
      this.release.drop(c.blockSeqno);
      if (c.kind === "evicted") this.activeLifecycle.delete(c.blockId);
      return;
    }
    if (!HOLD_STAGES.includes(c.stage)) return;
    const f = this.release.release(c.blockSeqno, c.stage, this.nextSeqno);
    if (!f) return;
    this.nextSeqno++;
    this.publish(f);
  }

  private publish(frame: Frame): void {
    if (frame.ringMs === 0) frame.ringMs = this.currentMs;
    this.hub.publish(frame);
    this.metrics.framesPublished.inc({ kind: FRAME_KIND_NAMES[frame.kind] });
  }
}
