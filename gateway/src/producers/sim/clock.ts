// Time source of the simulator, injectable so tests run on virtual time.
//
// Pacing needs a monotonic millisecond clock and a way to wait; descriptor timestamps need wall
// time. A ManualClock makes `sleep` advance time instantly, so a test of "QC 400 ms after the
// block" runs in microseconds and never flakes on a loaded machine.

import { setTimeout as delay } from "node:timers/promises";

export interface SimClock {
  /** Monotonic milliseconds (any origin). Pacing and duration limits use it. */
  nowMs(): number;
  /** Wall-clock milliseconds since the UNIX epoch (CLOCK_REALTIME). Timestamps derive from it. */
  wallMs(): number;
  /** Resolves after `ms` milliseconds of this clock have passed, or early (without error) on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: performance.now() for pacing, Date.now() for wall time. */
export const systemClock: SimClock = {
  nowMs: () => performance.now(),
  wallMs: () => Date.now(),
  sleep: async (ms, signal) => {
    if (signal?.aborted) return;
    try {
      await delay(Math.max(0, ms), undefined, { signal });
    } catch (e) {
      if (!(signal?.aborted ?? false)) throw e;
    }
  },
};

/**
 * Virtual time: `sleep(ms)` advances the clock by `ms` and resolves on the next microtask.
 * `wallMs` moves together with `nowMs` from the given wall start.
 */
export class ManualClock implements SimClock {
  private t = 0;
  /** Total virtual milliseconds slept, for tests that check pacing. */
  slept = 0;

  constructor(private readonly wallStartMs = 1_767_225_600_000 /* 2026-01-01T00:00:00Z */) {}

  nowMs(): number {
    return this.t;
  }

  wallMs(): number {
    return this.wallStartMs + this.t;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms > 0 && !(signal?.aborted ?? false)) {
      this.t += ms;
      this.slept += ms;
    }
    await Promise.resolve();
  }

  /** Moves time forward without a sleep (e.g. to emulate slow event generation). */
  advance(ms: number): void {
    this.t += ms;
  }
}
