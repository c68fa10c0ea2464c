import { parseArgs } from "node:util";
import { Simulator, SimulatorOptionsError, type SimulatedBlockInfo, type SimulatorOptions } from "../../producers/sim/index.js";
import { DEFAULT_WRITER_SHIFTS, RingWriter } from "../../ring/ring-writer.js";
import { numberOption, UsageError } from "../usage-error.js";

export const DEFAULT_SIM_RING = "/dev/shm/monad-exec-events-sim";

export const simUsage = `monad-gateway sim [options]

Writes a synthetic Monad chain into a ring, as a validator would: blocks with ERC-20 transfers, swaps,
native transfers and deployments, logs, nested call frames, account and storage accesses with
configurable contention, then BLOCK_QC / BLOCK_FINALIZED / BLOCK_VERIFIED about 400 / 800 / 1600 ms
later, and occasional rejected transactions and blocks.

Options:
  --ring <path|name>            ring to create (default ${DEFAULT_SIM_RING})
  --blocks-per-second <n>       block rate (default 2.5, i.e. 400 ms blocks)
  --txns-per-block <n|min-max>  transactions per block (default 30-100)
  --flat-out                    no pacing: as fast as possible (benchmarks)
  --max-blocks <n>              stop after n blocks
  --duration <seconds>          stop after this long
  --seed <n>                    deterministic chain for a given seed (default 1)
  --hot-fraction <0..1>         share of transactions touching the hot (contended) slots (default 0.3)
  --hot-slots <n>               number of hot storage slots (default 8)
  --block-reject <p>            probability a block is rejected (default 0.005)
  --txn-reject <p>              probability of a rejected transaction (default 0.0002)
  --record-order <overlapped|headers-first>   how transactions' events interleave
  --descriptors-shift <n>, --payload-shift <n>  ring size (default ${DEFAULT_WRITER_SHIFTS.descriptorsShift} / ${DEFAULT_WRITER_SHIFTS.payloadBufShift})
  --keep                        leave the ring file when stopping (default: remove it)
  --quiet                       no per-block lines`;

function txnsPerBlock(raw: string | undefined): SimulatorOptions["txnsPerBlock"] {
  if (raw === undefined) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(raw.trim());
  if (!m) throw new UsageError(`--txns-per-block must be a number or a range like 30-100, got "${raw}"`);
  return m[2] === undefined ? Number(m[1]) : { min: Number(m[1]), max: Number(m[2]) };
}

export async function simCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      ring: { type: "string" },
      "blocks-per-second": { type: "string" },
      "txns-per-block": { type: "string" },
      "flat-out": { type: "boolean" },
      "max-blocks": { type: "string" },
      duration: { type: "string" },
      seed: { type: "string" },
      "hot-fraction": { type: "string" },
      "hot-slots": { type: "string" },
      "block-reject": { type: "string" },
      "txn-reject": { type: "string" },
      "record-order": { type: "string" },
      "descriptors-shift": { type: "string" },
      "payload-shift": { type: "string" },
      keep: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  void positionals;
  const opt = (name: string, raw: string | undefined, range: Parameters<typeof numberOption>[3] = {}) =>
    raw === undefined ? undefined : numberOption(name, raw, 0, range);
  const durationS = opt("duration", values.duration, { min: 0.001 });
  const options: SimulatorOptions = {
    seed: opt("seed", values.seed, { integer: true, min: 0 }),
    blocksPerSecond: opt("blocks-per-second", values["blocks-per-second"], { min: 0.001 }),
    txnsPerBlock: txnsPerBlock(values["txns-per-block"]),
    flatOut: values["flat-out"],
    maxBlocks: opt("max-blocks", values["max-blocks"], { integer: true, min: 1 }),
    durationMs: durationS === undefined ? undefined : durationS * 1000,
    contention: {
      hotFraction: opt("hot-fraction", values["hot-fraction"], { min: 0, max: 1 }),
      hotSlots: opt("hot-slots", values["hot-slots"], { integer: true, min: 1 }),
    },
    rejectProbabilities: {
      blockReject: opt("block-reject", values["block-reject"], { min: 0, max: 1 }),
      txnReject: opt("txn-reject", values["txn-reject"], { min: 0, max: 1 }),
    },
    recordOrder: values["record-order"] as SimulatorOptions["recordOrder"],
  };
  const writerShifts = {
    descriptorsShift: numberOption("descriptors-shift", values["descriptors-shift"], DEFAULT_WRITER_SHIFTS.descriptorsShift, { min: 16, max: 32, integer: true }),
    payloadBufShift: numberOption("payload-shift", values["payload-shift"], DEFAULT_WRITER_SHIFTS.payloadBufShift, { min: 27, max: 40, integer: true }),
  };
  const log = (s: string) => values.quiet || process.stdout.write(s + "\n");
  const writer = RingWriter.create(values.ring ?? DEFAULT_SIM_RING, writerShifts);
  let sim: Simulator;
  let lastSummary = performance.now();
  try {
    sim = new Simulator({ record: (batch, count) => writer.record(batch, count) }, stripUndefined(options), {
      onBlock(b) {
        if (!options.flatOut) {
          log(`block ${b.number} round ${b.round}: ${b.txnCount} txns, ${b.gasUsed} gas, ${outcomeText(b.outcome)} (BLOCK_START seqno ${b.startSeqno})`);
        } else if (performance.now() - lastSummary > 1000) {
          lastSummary = performance.now();
          const s = sim.stats();
          log(`block ${b.number}: ${s.events} events written so far`);
        }
      },
    });
  } catch (err) {
    writer.close({ unlink: true });
    if (err instanceof SimulatorOptionsError) throw new UsageError(err.message, simUsage);
    throw err;
  }
  const stop = () => void sim.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  log(`simulating a Monad chain into ${writer.path}; read it with: monad-gateway dump ${writer.path} --follow`);
  const started = performance.now();
  try {
    await sim.start();
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    writer.close({ unlink: !values.keep });
  }
  const s = sim.stats();
  const secs = (performance.now() - started) / 1000;
  log(`wrote ${s.blocks} blocks, ${s.txns} txns, ${s.events} events in ${secs.toFixed(1)} s (${Math.round(s.events / secs)} events/s)`);
}

/** Drops undefined values so the simulator's defaults apply (it rejects explicit undefined keys). */
function stripUndefined<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const inner = stripUndefined(v);
    if (inner && typeof inner === "object" && Object.keys(inner).length === 0) continue;
    out[k] = inner;
  }
  return out as T;
}

function outcomeText(o: SimulatedBlockInfo["outcome"]): string {
  if (o.kind === "end") return "executed";
  if (o.kind === "reject") return `rejected (BlockError ${o.reason})`;
  return `failed (EVM error ${o.statusCode})`;
}
