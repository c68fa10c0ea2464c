import { parseArgs } from "node:util";
import { replay } from "../../producers/replay/replayer.js";
import { RingReader } from "../../ring/ring-reader.js";
import { cliRingSource } from "../../ring/ring-source.js";
import { DEFAULT_WRITER_SHIFTS, RingWriter } from "../../ring/ring-writer.js";
import { numberOption, UsageError } from "../usage-error.js";

export const replayUsage = `monad-gateway replay <snapshot-or-ring> [options]

Re-records a captured ring into a live ring, as a Monad node would have written it.

Options:
  --ring <path|name>     ring to write (default /dev/shm/monad-exec-events-replay; a name without '/'
                         goes under the hugetlbfs mount's event-rings/)
  --speed <x>            1 = original pace (default), 2 = twice as fast, 0 = flat out
  --flat-out             same as --speed 0
  --passes <n>           replay the capture n times (block numbers repeat)
  --keep-timestamps      keep the captured timestamps instead of stamping replay time
  --descriptors-shift <n>, --payload-shift <n>   ring size (default ${DEFAULT_WRITER_SHIFTS.descriptorsShift} / ${DEFAULT_WRITER_SHIFTS.payloadBufShift})
  --keep                 leave the ring file when done (default: remove it on exit)
  --quiet                no progress lines`;

export async function replayCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ring: { type: "string" },
      speed: { type: "string" },
      "flat-out": { type: "boolean" },
      passes: { type: "string" },
      "keep-timestamps": { type: "boolean" },
      "descriptors-shift": { type: "string" },
      "payload-shift": { type: "string" },
      keep: { type: "boolean" },
      quiet: { type: "boolean" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("replay takes exactly one snapshot or ring path", replayUsage);
  const speed = values["flat-out"] ? 0 : numberOption("speed", values.speed, 1, { min: 0 });
  const passes = numberOption("passes", values.passes, 1, { min: 1, integer: true });
  const source = RingReader.open(cliRingSource(positionals[0]), { startAt: "oldest" });
  const writer = RingWriter.create(values.ring ?? "/dev/shm/monad-exec-events-replay", {
    descriptorsShift: numberOption("descriptors-shift", values["descriptors-shift"], DEFAULT_WRITER_SHIFTS.descriptorsShift, { min: 16, max: 32, integer: true }),
    payloadBufShift: numberOption("payload-shift", values["payload-shift"], DEFAULT_WRITER_SHIFTS.payloadBufShift, { min: 27, max: 40, integer: true }),
  });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const log = (s: string) => values.quiet || process.stderr.write(s + "\n");
  log(`replaying ${source.path} into ${writer.path} (${speed === 0 ? "flat out" : `${speed}x`})`);
  const started = performance.now();
  let lastLog = started;
  try {
    const p = await replay(source, writer, {
      speed,
      passes,
      keepTimestamps: values["keep-timestamps"],
      signal: abort.signal,
      onProgress(pr) {
        const now = performance.now();
        if (now - lastLog > 1000) {
          lastLog = now;
          log(`pass ${pr.pass}: ${pr.events} events recorded (source seqno ${pr.lastSourceSeqno})`);
        }
      },
    });
    const secs = (performance.now() - started) / 1000;
    log(`replayed ${p.events} events in ${secs.toFixed(2)} s (${Math.round(p.events / secs)} events/s)`);
  } finally {
    source.close();
    writer.close({ unlink: !values.keep });
  }
}
