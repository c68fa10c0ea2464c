// One gateway process: a ring reader feeding the pipeline, the hub, and uWS serving WebSocket + REST
// on one port. It survives a missing ring, a dead writer and a writer that replaces the ring file;
// /health says which, and clients get Warnings.
import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import type { Logger } from "pino";
import { Hub } from "../broadcast/hub.js";
import { ResumeBuffer } from "../broadcast/resume-buffer.js";
import { framePool } from "../broadcast/slab-pool.js";
import { PollStatus, RingReader } from "../ring/ring-reader.js";
import { GatewayMetrics } from "../transport/metrics.js";
import { mountDashboard } from "../transport/dashboard.js";
import { mountRest } from "../transport/rest.js";
import { uws, type us_listen_socket } from "../transport/uws.js";
import { mountWebSocket } from "../transport/ws-endpoint.js";
import type { GatewayConfig } from "./config.js";
import { EmbeddedProducer } from "./embedded-producer.js";
import { buildOpenApi } from "./openapi.js";
import { Pipeline } from "./pipeline.js";
import { SERVER_VERSION } from "./version.js";

/** Keep polling on every tick for this long after the last event, then wait on the ring (waitThenPoll). */
const SPIN_MS = 2;
/** Longest idle wait before the poll loop runs anyway (housekeeping sees a quiet ring at this pace). */
const IDLE_WAIT_MS = 100;
/** Polls per event-loop turn, so sockets and timers are served while the ring is busy. */
const POLLS_PER_TURN = 8;

export class Gateway {
  readonly epoch = randomBytes(8).toString("hex");
  readonly metrics = new GatewayMetrics();
  readonly buffer: ResumeBuffer;
  readonly hub: Hub;
  readonly pipeline: Pipeline;
  port = 0;
  private reader: RingReader | null = null;
  private ringIno = -1;
  private ringPath: string;
  private openError = "";
  private writerAlive = false;
  private writerPid = 0;
  private producer: EmbeddedProducer | null = null;
  private listenSocket: us_listen_socket | null = null;
  private ws: { closeAll(code: number, reason: string): void } | null = null;
  private stopped = false;
  private monitor: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();
  private disconnectsSlow = 0;
  private framesDropped = 0;
  private ringLag = 0;
  /** Withdraws the window's bytes from the frame pool's exempt budget (see slab-pool.ts). */
  private readonly unretainFrames: () => void;

  private constructor(
    readonly config: GatewayConfig,
    readonly log: Logger,
  ) {
    this.ringPath = config.ring;
    this.buffer = new ResumeBuffer({ maxFrames: config.resumeFrames, maxBytes: config.resumeBytes * 1024 * 1024 });
    this.unretainFrames = framePool().retain(() => this.buffer.byteSize);
    this.hub = new Hub(this.buffer, { maxPendingFrames: config.clientQueue, warnEvery: config.warnEvery, dropLimit: config.dropLimit });
    this.hub.observer = {
      sent: (frames, bytes) => this.metrics.countSend(frames, bytes),
      published: (frame, liveSends) => {
        // Ring record time → the moment the last caught-up client's socket took the frame.
        if (liveSends > 0 && frame.ringMs > 0) this.metrics.deliveryLatency.observe(Math.max(0, nowMs() - frame.ringMs) / 1000);
      },
      dropped: (_c, n) => {
        this.framesDropped += n;
        this.metrics.drops.inc(n);
      },
      slowDisconnect: (c) => {
        this.disconnectsSlow++;
        this.metrics.slowDisconnects.inc();
        this.log.warn({ client: c.id, ip: c.ip, dropped: c.droppedTotal }, "slow client disconnected");
      },
    };
    this.pipeline = new Pipeline(this.hub, this.metrics, {
      ringLoss: (type, lost, message) => {
        this.log.warn({ type, lost }, message);
        this.hub.warnAll({ type, lost_events: lost, message });
      },
      decodeError: (message) => this.log.warn({}, `skipped an undecodable ring event: ${message}`),
    }, { maxEventsPerFrame: config.frameEvents, maxEventsPerPoll: 4096 });
  }

  static async start(config: GatewayConfig, log: Logger): Promise<Gateway> {
    const g = new Gateway(config, log);
    await g.prefault();
    await g.startProducer();
    g.attach();
    g.listen();
    g.monitor = setInterval(() => g.checkRing(), 1000);
    g.monitor.unref();
    g.pollLoop();
    return g;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async startProducer(): Promise<void> {
    const c = this.config;
    if (!c.sim && !c.replay) return;
    this.ringPath = `/dev/shm/monad-gateway-${c.sim ? "sim" : "replay"}-${process.pid}`;
    const args = c.sim
      ? ["sim", "--ring", this.ringPath, "--quiet"]
      : ["replay", c.replay, "--ring", this.ringPath, "--speed", String(c.replaySpeed), "--quiet"];
    this.producer = new EmbeddedProducer(this.ringPath, args, this.log, c.sim);
    this.producer.start();
    await this.producer.ready();
  }

  /**
   * With --resume-prefault-mib: fault in frame memory before serving (about 0.1-1.6 s per GiB,
   * measured), so that the faults are not taken while clients wait for frames.
   */
  private async prefault(): Promise<void> {
    const mib = this.config.resumePrefaultMib;
    if (mib === 0) return;
    const t0 = Date.now();
    const pool = framePool();
    await pool.reserve(mib * 1024 * 1024);
    if (pool.failures > 0) this.log.warn({ error: pool.lastFailure }, "could not fault in all the frame memory asked for; frames use plain memory beyond it");
    else this.log.info({ mib, ms: Date.now() - t0 }, "frame memory faulted in");
  }

  /** Opens the ring if it is not open; on failure, /health explains and we retry every second. */
  private attach(): boolean {
    try {
      const reader = RingReader.open(this.ringPath, { startAt: "block_start" });
      this.reader?.close();
      this.reader = reader;
      this.ringIno = statSync(reader.path).ino;
      const w = reader.writer();
      this.writerAlive = w.alive;
      this.writerPid = w.pid;
      this.openError = "";
      this.log.info({ ring: reader.path, writer_pid: w.pid, writer_alive: w.alive }, "attached to the event ring");
      return true;
    } catch (err) {
      const msg = (err as Error).message;
      if (msg !== this.openError) this.log.error({ ring: this.ringPath }, `cannot open the event ring: ${msg}`);
      this.openError = msg;
      return false;
    }
  }

  /** Once a second: writer liveness, a replaced ring file, gauges. */
  private checkRing(): void {
    this.metrics.resumeFrames.set(this.buffer.length < 0 ? 0 : this.buffer.length);
    this.metrics.resumeBytes.set(this.buffer.byteSize);
    // Not per poll: prom-client's set() allocates, and the poll loop turns tens of thousands of times a second.
    this.metrics.ringLag.set(this.ringLag);
    const mem = framePool().stats();
    this.metrics.frameMemory.set({ state: "in_use" }, mem.liveBytes);
    this.metrics.frameMemory.set({ state: "free" }, mem.freeBytes);
    this.metrics.frameMemoryFallbacks.set(mem.fallbacks);
    this.metrics.frameMemoryGcExempt.set(mem.exemptBytes);
    const perChannel = new Map<string, number>();
    for (const c of this.hub.clients()) perChannel.set(c.channel, (perChannel.get(c.channel) ?? 0) + 1);
    this.metrics.clients.reset();
    for (const [ch, n] of perChannel) this.metrics.clients.set({ channel: ch }, n);
    if (!this.reader) {
      if (this.attach()) this.pipeline.restartRing();
      return;
    }
    let ino = -1;
    try {
      ino = statSync(this.reader.path).ino;
    } catch {
      // the writer removed the file; keep the old mapping until a new ring appears
    }
    if (ino !== -1 && ino !== this.ringIno) {
      this.log.warn({ ring: this.reader.path }, "the ring file was replaced by a new writer; reattaching");
      if (this.attach()) {
        this.pipeline.restartRing();
        this.hub.warnAll({ type: "writer_back", message: "a new ring writer started; the gateway reattached (ring seqnos restart)" });
      }
      return;
    }
    const w = this.reader.writer();
    if (w.alive !== this.writerAlive) {
      this.writerAlive = w.alive;
      this.writerPid = w.pid;
      const type = w.alive ? "writer_back" : "writer_gone";
      const message = w.alive ? `the ring writer (pid ${w.pid}) is back` : "the ring writer is gone: no new events until it restarts";
      this.log.warn({ ring: this.reader.path, writer_pid: w.pid }, message);
      this.hub.warnAll({ type, message });
    }
  }

  private pollLoop = (): void => {
    if (this.stopped) return;
    const reader = this.reader;
    let busy = false;
    this.hub.turnStarted();
    if (reader) {
      for (let i = 0; i < POLLS_PER_TURN; i++) {
        const b = reader.poll(this.pipeline.options.maxEventsPerPoll);
        if (b.count > 0) {
          this.pipeline.ingest(b);
          this.hub.flush();
          busy = true;
          if (this.hub.topicsOverdue()) break; // uWS writes topic frames when the turn ends
        } else if (this.pipeline.idle()) {
          this.hub.flush();
          busy = true; // there may be more idle work: poll, then come back to it
        }
        this.ringLag = Math.max(0, b.writerLastSeqno - (b.nextSeqno - 1)); // the gauge is set by checkRing()
        if (b.status === PollStatus.Ok) continue;
        if (this.pipeline.lost(b)) {
          reader.seek("block_start");
          this.pipeline.resync();
          busy = true;
          continue;
        }
        break;
      }
    }
    if (busy || Date.now() - this.pipeline.lastEventWallMs < SPIN_MS) setImmediate(this.pollLoop);
    else if (reader && !reader.isSnapshot) this.waitThenPoll(reader);
    else setTimeout(this.pollLoop, 1);
  };

  /** Idle: a worker thread watches the ring and wakes the loop when the writer moves (no spinning). */
  private waitThenPoll(reader: RingReader): void {
    let wait: Promise<boolean>;
    try {
      wait = reader.waitForEvents(IDLE_WAIT_MS);
    } catch {
      setTimeout(this.pollLoop, 1); // closed or replaced meanwhile: the next turn sees the new state
      return;
    }
    wait.then(() => this.pollLoop(), () => setTimeout(this.pollLoop, 1));
  }

  private listen(): void {
    const app = uws.App();
    mountDashboard(app); // before mountRest: its "/*" catch-all answers 404 to everything unmatched
    mountRest(app, {
      tps: () => this.pipeline.enricher.latestTps ?? { tps: 0, tps_exact: 0, window_blocks: 0, block_interval_ms: 0, block_number: 0 },
      status: () => this.status(),
      contention: () => this.pipeline.enricher.latestContention ?? null,
      lifecycles: () => this.pipeline.enricher.lifecycleSummaries(),
      lifecycle: (n) => this.pipeline.enricher.lifecycleSummary(n),
      health: () => this.health(),
      metrics: () => this.metrics.render(),
      openapi: () => buildOpenApi(),
    });
    this.ws = mountWebSocket(app, {
      epoch: this.epoch,
      serverVersion: SERVER_VERSION,
      hub: this.hub,
      limits: {
        maxConnectionsPerIp: this.config.maxConnectionsPerIp,
        maxMessageBytes: this.config.maxMessageBytes,
        subscribesPerMinute: this.config.subscribesPerMinute,
        heartbeatIntervalSecs: this.config.heartbeatSecs,
        trustedProxies: new Set(this.config.trustedProxies.split(",").map((s) => s.trim()).filter(Boolean)),
      },
      snapshotFrames: () => this.pipeline.snapshotFrames(),
      disconnected: () => this.metrics.disconnects.inc(),
      log: this.log,
    });
    let failed = "";
    app.listen(this.config.host, this.config.port, (socket) => {
      if (!socket) failed = `cannot listen on ${this.config.host}:${this.config.port} (in use, or not permitted)`;
      else {
        this.listenSocket = socket;
        this.port = uws.us_socket_local_port(socket as never);
      }
    });
    if (failed) throw new Error(failed);
  }

  /** 503 (success false) when the ring is missing, its writer is gone, or no event came for staleSecs. */
  health(): { success: boolean; status: string; reason?: string } {
    const s = this.status();
    return { success: s.status === "healthy", status: s.status, ...(s.reason ? { reason: s.reason } : {}) };
  }

  status() {
    const now = Date.now();
    const lastAge = this.pipeline.lastEventWallMs === 0 ? (now - this.startedAt) / 1000 : (now - this.pipeline.lastEventWallMs) / 1000;
    let status: "healthy" | "degraded" | "unhealthy" = "healthy";
    let reason: string | undefined;
    if (!this.reader) {
      status = "unhealthy";
      reason = `no event ring: ${this.openError}`;
    } else if (!this.writerAlive) {
      status = "unhealthy";
      reason = "the ring writer is gone";
    } else if (lastAge > this.config.staleSecs) {
      status = "degraded";
      reason = this.pipeline.lastEventWallMs === 0 ? "no events read yet" : `no events for ${lastAge.toFixed(1)} s`;
    }
    const info = this.reader?.info();
    return {
      status,
      ...(reason ? { reason } : {}),
      block_number: this.pipeline.lastBlockNumber,
      connected_clients: this.hub.clientCount,
      uptime_secs: Math.floor((now - this.startedAt) / 1000),
      last_event_age_secs: Math.round(lastAge * 1000) / 1000,
      server_seqno: this.buffer.newest,
      oldest_seqno: this.buffer.newest === 0 ? 0 : this.buffer.oldest,
      newest_seqno: this.buffer.newest,
      epoch: this.epoch,
      drops: { frames: this.framesDropped, clients_disconnected: this.disconnectsSlow },
      ring: {
        path: this.reader?.path ?? this.ringPath,
        writer_pid: this.writerPid,
        writer_alive: this.writerAlive,
        lag_events: this.ringLag,
        last_seqno: info?.lastSeqno ?? 0,
      },
    };
  }

  /** Closes every client with 1001, stops reading, and stops the embedded producer. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unretainFrames();
    if (this.monitor) clearInterval(this.monitor);
    this.ws?.closeAll(1001, "server shutting down");
    if (this.listenSocket) uws.us_listen_socket_close(this.listenSocket);
    this.listenSocket = null;
    this.reader?.close();
    this.reader = null;
    await this.producer?.stop();
  }
}

/** Wall-clock ms with sub-ms precision (Date.now() has whole ms only). */
function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
