// Everything the page shows, in bounded containers. The feed writes it; panels read it when drawing.
import type { ContentionData, Int, StatusResponse, TopAccesses } from "@monad-gateway/sdk";
import { BlocksStore } from "./blocks-store.js";
import { BoundedSeries, RecentList } from "./bounded.js";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "disconnected" | "failed";

export interface Notice {
  at: number;
  level: "info" | "warn" | "error";
  text: string;
  /** The same notice repeated back to back (e.g. failed reconnects) is counted, not listed again. */
  count: number;
}

/** Last 10 minutes of TPS (one point per block: 1,500 is 10 min of 400 ms blocks). */
const TPS_POINTS = 1500;
const TPS_WINDOW_SECS = 600;
/** Blocks kept for the table, timings and the contract ranking. */
const BLOCKS_KEPT = 64;
/** Blocks plotted in the contention chart. */
const CONTENTION_POINTS = 120;

export class DashboardState {
  connection: ConnectionState = "connecting";
  /** "attempt 3, next in 4.0 s" while reconnecting; the last failure when failed. */
  connectionDetail = "";
  connectedSince = 0;
  epoch: string | null = null;
  serverVersion = "";
  serverSeqno: Int | null = null;
  lastFrameAt = 0;
  frames = 0;
  reconnects = 0;
  gaps = 0;
  warnings = 0;

  status: StatusResponse | null = null;
  statusError = "";

  readonly tps = new BoundedSeries(TPS_POINTS, TPS_WINDOW_SECS);
  tpsNow: number | null = null;
  blockIntervalMs: number | null = null;

  readonly blocks = new BlocksStore(BLOCKS_KEPT);
  latestContention: ContentionData | null = null;
  readonly contentionRatio = new BoundedSeries(CONTENTION_POINTS);
  readonly idealSpeedup = new BoundedSeries(CONTENTION_POINTS);
  topAccesses: TopAccesses | null = null;

  readonly notices = new RecentList<Notice>(40);

  notice(level: Notice["level"], text: string): void {
    const last = this.notices.all[0];
    if (last && last.text === text && last.level === level) {
      last.count++;
      last.at = Date.now();
    } else this.notices.add({ at: Date.now(), level, text, count: 1 });
  }

  recordContention(c: ContentionData): void {
    const n = Number(c.block_number);
    this.blocks.applyContention(c);
    if (this.latestContention === null || n >= Number(this.latestContention.block_number)) this.latestContention = c;
    // Replays and REST seeding may repeat a block: plot each block once, in order.
    const xs = this.contentionRatio.xs;
    if (xs.length > 0 && n <= xs[xs.length - 1]) return;
    this.contentionRatio.push(n, c.contention_ratio * 100);
    this.idealSpeedup.push(n, c.schedule.ideal_speedup["16"]);
  }

  /** The gateway restarted (new epoch): block numbers and seqnos of the old run mean nothing now. */
  resetRun(): void {
    this.blocks.clear();
    this.latestContention = null;
    this.contentionRatio.clear();
    this.idealSpeedup.clear();
    this.topAccesses = null;
  }
}
