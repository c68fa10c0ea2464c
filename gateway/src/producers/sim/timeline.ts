// Simulated time → descriptor timestamps (record_epoch_nanos).
//
// The simulator keeps its own time axis (microseconds since it started) so that intervals in the
// ring (QC − BLOCK_START, PERF_EXIT − PERF_ENTER) have their modelled values even when events are
// produced in bursts or flat out. Timestamps are that time plus the wall-clock start, and never go
// backwards, as CLOCK_REALTIME taken at reserve time would not on a single writer.

export class Timeline {
  private readonly baseNs: bigint;
  private lastNs = 0n;
  private lastUs = 0;

  constructor(readonly genesisWallMs: number) {
    this.baseNs = BigInt(Math.round(genesisWallMs * 1000)) * 1000n;
  }

  /** The timestamp of an event at simulated time `simUs`, clamped to be non-decreasing. */
  stamp(simUs: number): bigint {
    let ns = this.baseNs + BigInt(Math.round(simUs * 1000));
    if (ns < this.lastNs) ns = this.lastNs;
    else this.lastUs = simUs;
    this.lastNs = ns;
    return ns;
  }

  /** Simulated time of the latest stamp, microseconds. */
  get latestUs(): number {
    return this.lastUs;
  }
}
