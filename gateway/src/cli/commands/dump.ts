import { once } from "node:events";
import { parseArgs } from "node:util";
import { batchToNdjson, FlowTracker, JsonWriter } from "../../decode/index.js";
import { PollStatus, RingReader, type StartAt } from "../../ring/ring-reader.js";
import { cliRingSource, DEFAULT_RING_NAME } from "../../ring/ring-source.js";
import { numberOption, UsageError } from "../usage-error.js";

export const dumpUsage = `monad-gateway dump [ring|snapshot] [options]

Prints every event as one JSON object per line (the gateway's event JSON), in seqno order.
The source is a ring path, a ring name under hugetlbfs (default ${DEFAULT_RING_NAME}), or a
zstd snapshot file.

Options:
  --from <seqno>     start at this seqno (default: the oldest event still in the ring)
  --start <where>    oldest | block_start | head (instead of --from)
  --limit <n>        stop after n events
  --follow           keep reading new events as the writer records them (Ctrl-C to stop)`;

const STARTS = ["oldest", "block_start", "head"] as const;

export async function dumpCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: "string" },
      start: { type: "string" },
      limit: { type: "string" },
      follow: { type: "boolean" },
    },
  });
  if (positionals.length > 1) throw new UsageError("dump takes one ring or snapshot", dumpUsage);
  if (values.start !== undefined && !STARTS.includes(values.start as (typeof STARTS)[number]))
    throw new UsageError(`--start must be one of ${STARTS.join(", ")}, got "${values.start}"`);
  if (values.start !== undefined && values.from !== undefined) throw new UsageError("give --from or --start, not both");
  const from = values.from === undefined ? undefined : numberOption("from", values.from, 1, { min: 1, integer: true });
  const startAt: StartAt = from !== undefined ? { seqno: from } : ((values.start as StartAt | undefined) ?? "oldest");
  const limit = numberOption("limit", values.limit, Infinity, { min: 1, integer: true });

  const reader = RingReader.open(cliRingSource(positionals[0] ?? DEFAULT_RING_NAME), { startAt });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let pipeClosed = false;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") {
      pipeClosed = true; // `dump | head` is a normal way to use it
      stop.abort();
    } else throw err;
  });

  const tracker = new FlowTracker();
  const writer = new JsonWriter(8 << 20);
  let written = 0;
  let decodeErrors = 0;
  try {
    while (!stop.signal.aborted && written < limit) {
      const b = reader.poll(Math.min(4096, limit - written));
      if (b.count > 0) {
        writer.reset();
        const out = batchToNdjson(b.buffer, tracker, { end: b.bytes, writer });
        for (const e of out.errors) process.stderr.write(`dump: skipped ${e.message}\n`);
        decodeErrors += out.errors.length;
        written += out.count;
        if (!process.stdout.write(Buffer.from(out.data))) await once(process.stdout, "drain", { signal: stop.signal }).catch(() => {});
      }
      if (b.status === PollStatus.Gap) {
        process.stderr.write(`dump: the writer overwrote events ${b.nextSeqno}..${b.gapFoundSeqno - 1} before they were read; resuming at the latest BLOCK_START\n`);
        tracker.reset();
        reader.seek("block_start");
      } else if (b.status === PollStatus.Expired) {
        process.stderr.write(`dump: the payload of event ${b.expiredSeqno} was overwritten before it could be read; skipped\n`);
      } else if (b.status === PollStatus.NotReady) {
        if (!values.follow) break;
        if (!reader.isSnapshot && !reader.writer().alive) {
          process.stderr.write("dump: the ring's writer is gone; stopping\n");
          break;
        }
        await new Promise((r) => setTimeout(r, 2));
      }
    }
  } finally {
    reader.close();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (!pipeClosed && decodeErrors > 0) {
    process.stderr.write(`dump: ${decodeErrors} events could not be decoded (see above)\n`);
    process.exitCode = 1;
  }
}
