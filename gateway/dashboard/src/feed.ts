// Fills the dashboard state from the gateway: one WebSocket (TPS, Lifecycle, ContentionData and
// TopAccesses frames) through the SDK's GatewayClient, which resumes across reconnects and reports
// gaps; REST for what the stream does not replay (completed blocks, figures of /v1/status).
import { fetchContention, fetchLifecycle, fetchStatus, fetchTPS, GatewayClient, type Gap, type Warning } from "@monad-gateway/sdk";
import type { GatewayTarget } from "./gateway-url.js";
import type { DashboardState } from "./state.js";

const SUBSCRIPTION = ["TPS", "Lifecycle", "ContentionData", "TopAccesses"] as const;
const STATUS_EVERY_MS = 2000;
const REST_TIMEOUT_MS = 5000;

export class Feed {
  readonly client: GatewayClient;
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private seededEpoch: string | null = null;

  constructor(
    private readonly target: GatewayTarget,
    private readonly state: DashboardState,
    private readonly changed: () => void,
  ) {
    this.client = new GatewayClient({
      url: target.stream,
      channel: "all",
      subscription: [...SUBSCRIPTION],
      // A dashboard should come back quickly after a gateway restart, and never give up.
      backoff: { initialMs: 500, maxMs: 5000 },
      clientName: "monad-gateway-dashboard",
    });
    this.wire();
  }

  start(): void {
    // A failed first attempt is reported through the events below; the client keeps retrying.
    this.client.connect().catch(() => undefined);
  }

  private wire(): void {
    const s = this.state;
    const c = this.client;
    const on = <A extends unknown[]>(handler: (...args: A) => void) => (...args: A) => {
      handler(...args);
      this.changed();
    };
    c.on("connected", on(() => {
      s.connection = "connected";
      s.connectionDetail = "";
      s.connectedSince = Date.now();
      s.reconnects = c.stats.reconnects;
      this.pollStatus();
      if (this.statusTimer === null) this.statusTimer = setInterval(() => this.pollStatus(), STATUS_EVERY_MS);
    }));
    c.on("disconnected", on((info) => {
      const wasConnected = s.connection === "connected";
      s.connection = "disconnected";
      s.connectionDetail = info.reason || (info.error ? info.error.message : `code ${info.code}`);
      if (this.statusTimer !== null) clearInterval(this.statusTimer);
      this.statusTimer = null;
      // Failed reconnect attempts also end in "disconnected": only a lost connection is news.
      if (!wasConnected) return;
      s.tps.push(Date.now() / 1000, null); // a visible break in the chart, not a line across the outage
      s.notice("warn", `disconnected: ${s.connectionDetail}`);
    }));
    c.on("reconnecting", on((attempt, delayMs) => {
      s.connection = "reconnecting";
      s.connectionDetail = `attempt ${attempt}, next in ${(delayMs / 1000).toFixed(1)} s`;
    }));
    c.on("hello", on((hello) => {
      s.serverVersion = hello.server_version;
      if (s.epoch !== null && s.epoch !== hello.epoch) {
        s.notice("warn", `the gateway restarted (epoch ${s.epoch} → ${hello.epoch}): starting over from its current state`);
        s.resetRun();
      }
      s.epoch = hello.epoch;
      if (this.seededEpoch !== hello.epoch) {
        this.seededEpoch = hello.epoch;
        void this.seed();
      }
    }));
    c.on("resume", on((r) => {
      if (r.mode === "resume") s.notice("info", `resumed after server_seqno ${r.resume_from}: missed frames replayed`);
      else if (r.reason !== "no_cursor") s.notice("warn", `no replay (${r.reason}): snapshot of current state`);
    }));
    c.on("frame", on((_f, info) => {
      s.frames++;
      s.lastFrameAt = Date.now();
      s.serverSeqno = info.serverSeqno;
    }));
    c.on("tps", on((tps, info) => {
      s.tpsNow = tps;
      // Replayed frames are old and have no timestamp: plotting them "now" would distort the chart.
      if (info.source !== "replay") s.tps.push(Date.now() / 1000, tps);
    }));
    c.on("lifecycle", on((u, info) => {
      s.blocks.applyLifecycle(u, info.source === "snapshot");
      if (u.to_stage === "Rejected") s.notice("warn", `block #${u.block_number} was rejected`);
    }));
    c.on("contention", on((data) => s.recordContention(data)));
    c.on("topAccesses", on((data) => (s.topAccesses = data)));
    c.on("warning", on((w) => {
      s.warnings++;
      s.notice(w.type === "writer_back" ? "info" : "warn", describeWarning(w));
    }));
    c.on("gap", on((gap: Gap) => {
      s.gaps = c.stats.gaps;
      if (gap.reason !== "backpressure" && gap.reason !== "ring_gap" && gap.reason !== "payload_expired") s.notice("warn", `gap: ${gap.message}`);
    }));
    c.on("error", on((err) => {
      // Connection failures repeat every attempt while the gateway is away; the notice log counts them.
      s.notice("error", err.message);
    }));
  }

  /** Completed blocks (the stream's snapshot holds only active ones), the TPS window, contention. */
  private async seed(): Promise<void> {
    const s = this.state;
    const o = { timeoutMs: REST_TIMEOUT_MS };
    try {
      const [tps, blocks] = await Promise.all([fetchTPS(this.target.base, o), fetchLifecycle(this.target.base, o)]);
      s.blockIntervalMs = tps.block_interval_ms ?? null;
      if (s.tps.length === 0) {
        s.tpsNow ??= tps.tps;
        s.tps.push(Date.now() / 1000, tps.tps_exact);
      }
      for (const b of blocks) s.blocks.applySummary(b);
      // Contention exists once a block has ended (gas_used is known from BlockEnd on): asking earlier
      // would only get a 404.
      if (s.latestContention === null && blocks.some((b) => b.gas_used !== undefined)) s.recordContention(await fetchContention(this.target.base, o));
    } catch (err) {
      s.notice("warn", `initial state: ${(err as Error).message}`);
    }
    this.changed();
  }

  private pollStatus(): void {
    const s = this.state;
    fetchStatus(this.target.base, { timeoutMs: REST_TIMEOUT_MS }).then(
      (st) => {
        if (st.epoch !== s.epoch && s.epoch !== null) return; // a restart the stream has not seen yet
        s.status = st;
        s.statusError = "";
        this.changed();
      },
      (err: Error) => {
        s.statusError = `/v1/status: ${err.message}`;
        this.changed();
      },
    );
    void fetchTPS(this.target.base, { timeoutMs: REST_TIMEOUT_MS }).then(
      (t) => (s.blockIntervalMs = t.block_interval_ms ?? s.blockIntervalMs),
      () => undefined,
    );
  }
}

function describeWarning(w: Warning): string {
  switch (w.type) {
    case "backpressure":
      return `the gateway dropped ${w.dropped} frames for this page (server_seqno ${w.first_dropped_seqno}…${w.last_dropped_seqno}; ${w.total_dropped} of ${w.drop_limit} allowed)`;
    case "ring_gap":
    case "payload_expired":
      return `${w.type}: ${w.lost_events} events lost before the gateway read them (${w.message})`;
    default:
      return `${w.type}: ${w.message}`;
  }
}
