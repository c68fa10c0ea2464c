import { parseArgs } from "node:util";
import { pino } from "pino";
import { Bridge } from "../../producers/bridge/bridge.js";
import { DEFAULT_BRIDGE_OPTIONS, parseStartBlock, type BridgeOptions } from "../../producers/bridge/options.js";
import { RpcClient, rpcUrlProblem } from "../../producers/bridge/rpc-client.js";
import { DEFAULT_WRITER_SHIFTS, RingWriter } from "../../ring/ring-writer.js";
import { numberOption, UsageError } from "../usage-error.js";

export const DEFAULT_BRIDGE_RING = "/dev/shm/monad-exec-events-bridge";
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const d = DEFAULT_BRIDGE_OPTIONS;

export const bridgeUsage = `monad-gateway bridge --rpc <url> [options]

Follows an Ethereum JSON-RPC node (anvil, or any EVM node) and records each block into a ring as a
Monad validator would: BLOCK_START, the transactions (header, output, logs, call frames, account and
storage accesses), BLOCK_END; then BLOCK_QC, BLOCK_FINALIZED and BLOCK_VERIFIED at Monad-like delays.
Serve the ring with: monad-gateway serve --ring <the same ring>

Options:
  --rpc <url>                 the node's HTTP JSON-RPC endpoint (required), e.g. http://127.0.0.1:8545
  --ring <path|name>          ring to create (default ${DEFAULT_BRIDGE_RING}; a name without '/' goes
                              under the hugetlbfs mount's event-rings/)
  --from <latest|earliest|n>  first block to record (default latest: the node's current head)
  --poll-interval <ms>        how often to ask for new blocks (default ${d.pollIntervalMs})
  --qc-delay <ms>             BLOCK_QC after the block's BLOCK_START (default ${d.stages.qcDelayMs})
  --finalize-delay <ms>       BLOCK_FINALIZED after BLOCK_START (default ${d.stages.finalizedDelayMs})
  --verify-delay <ms>         BLOCK_VERIFIED after BLOCK_START (default ${d.stages.verifiedDelayMs})
  --stage-jitter <ms>         random ± jitter on each of those delays (default ${d.stages.jitterMs})
  --no-call-frames            skip debug_traceBlockByNumber callTracer (no TXN_CALL_FRAME events)
  --no-accesses               skip prestateTracer (no ACCOUNT_ACCESS / STORAGE_ACCESS events)
  --max-blocks <n>            stop after n blocks (their consensus events are still written)
  --retry-max <ms>            longest wait between reconnect attempts (default ${d.retryMaxMs})
  --rpc-timeout <ms>          timeout of one JSON-RPC call (default 30000)
  --descriptors-shift <n>, --payload-shift <n>  ring size (default ${DEFAULT_WRITER_SHIFTS.descriptorsShift} / ${DEFAULT_WRITER_SHIFTS.payloadBufShift})
  --keep                      leave the ring file when stopping (default: remove it)
  --log-level <level>         ${LOG_LEVELS.join(", ")} (default info; logs are JSON lines on stdout)`;

interface BridgeArgs {
  rpc: string;
  ring: string;
  options: BridgeOptions;
  rpcTimeoutMs: number;
  shifts: { descriptorsShift: number; payloadBufShift: number };
  keep: boolean;
  logLevel: string;
}

export async function bridgeCommand(argv: string[]): Promise<void> {
  let args: BridgeArgs;
  try {
    args = parseBridgeArgs(argv);
  } catch (e) {
    // Every flag error gets the usage, including the generic number checks.
    if (e instanceof UsageError && e.usage === undefined) throw new UsageError(e.message, bridgeUsage);
    throw e;
  }
  await runBridge(args);
}

function parseBridgeArgs(argv: string[]): BridgeArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rpc: { type: "string" },
      ring: { type: "string" },
      from: { type: "string" },
      "poll-interval": { type: "string" },
      "qc-delay": { type: "string" },
      "finalize-delay": { type: "string" },
      "verify-delay": { type: "string" },
      "stage-jitter": { type: "string" },
      "no-call-frames": { type: "boolean" },
      "no-accesses": { type: "boolean" },
      "max-blocks": { type: "string" },
      "retry-max": { type: "string" },
      "rpc-timeout": { type: "string" },
      "descriptors-shift": { type: "string" },
      "payload-shift": { type: "string" },
      keep: { type: "boolean" },
      "log-level": { type: "string" },
    },
  });
  if (positionals.length > 0) throw new UsageError(`bridge takes no positional arguments, got "${positionals[0]}" (did you mean --rpc ${positionals[0]}?)`, bridgeUsage);
  if (values.rpc === undefined) throw new UsageError("--rpc <url> is required (the node's HTTP JSON-RPC endpoint, e.g. http://127.0.0.1:8545)", bridgeUsage);
  const urlProblem = rpcUrlProblem(values.rpc);
  if (urlProblem) throw new UsageError(urlProblem, bridgeUsage);
  const from = values.from === undefined ? d.from : parseStartBlock(values.from);
  if (from === undefined) throw new UsageError(`--from must be latest, earliest or a block number, got "${values.from}"`, bridgeUsage);
  const logLevel = values["log-level"] ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}, got "${logLevel}"`, bridgeUsage);

  const ms = (name: string, fallback: number, min = 0) => numberOption(name, values[name as keyof typeof values] as string | undefined, fallback, { min, max: 3_600_000 });
  const stages = {
    qcDelayMs: ms("qc-delay", d.stages.qcDelayMs),
    finalizedDelayMs: ms("finalize-delay", d.stages.finalizedDelayMs),
    verifiedDelayMs: ms("verify-delay", d.stages.verifiedDelayMs),
    jitterMs: ms("stage-jitter", d.stages.jitterMs),
  };
  if (!(stages.qcDelayMs <= stages.finalizedDelayMs && stages.finalizedDelayMs <= stages.verifiedDelayMs)) {
    throw new UsageError(
      `stage delays must satisfy --qc-delay <= --finalize-delay <= --verify-delay, got ${stages.qcDelayMs} / ${stages.finalizedDelayMs} / ${stages.verifiedDelayMs}`,
      bridgeUsage,
    );
  }
  const options: BridgeOptions = {
    ...d,
    from,
    pollIntervalMs: ms("poll-interval", d.pollIntervalMs, 1),
    stages,
    callFrames: !values["no-call-frames"],
    accesses: !values["no-accesses"],
    retryMaxMs: ms("retry-max", d.retryMaxMs, 1),
    maxBlocks: values["max-blocks"] === undefined ? Infinity : numberOption("max-blocks", values["max-blocks"], 0, { min: 1, integer: true }),
  };
  options.retryInitialMs = Math.min(options.retryInitialMs, options.retryMaxMs);
  const rpcTimeoutMs = ms("rpc-timeout", 30_000, 1);
  const shifts = {
    descriptorsShift: numberOption("descriptors-shift", values["descriptors-shift"], DEFAULT_WRITER_SHIFTS.descriptorsShift, { min: 16, max: 32, integer: true }),
    payloadBufShift: numberOption("payload-shift", values["payload-shift"], DEFAULT_WRITER_SHIFTS.payloadBufShift, { min: 27, max: 40, integer: true }),
  };
  return { rpc: values.rpc, ring: values.ring ?? DEFAULT_BRIDGE_RING, options, rpcTimeoutMs, shifts, keep: values.keep === true, logLevel };
}

async function runBridge({ rpc: rpcUrl, ring, options, rpcTimeoutMs, shifts, keep, logLevel }: BridgeArgs): Promise<void> {
  const log = pino({ level: logLevel, base: { service: "monad-gateway", command: "bridge" } });
  const rpc = new RpcClient(rpcUrl, { timeoutMs: rpcTimeoutMs });
  const writer = RingWriter.create(ring, shifts);
  const bridge = new Bridge(rpc, { record: (batch, count) => writer.record(batch, count) }, options, { log }, writer.info().lastSeqno);
  const stop = (signal: string) => {
    log.info({ signal }, "stopping");
    void bridge.stop();
  };
  const onTerm = () => stop("SIGTERM");
  const onInt = () => stop("SIGINT");
  process.once("SIGTERM", onTerm);
  process.once("SIGINT", onInt);
  log.info({ rpc: rpcUrl, ring: writer.path, from: options.from, stages: options.stages, pollIntervalMs: options.pollIntervalMs }, "bridge starting");
  process.stderr.write(`bridging ${rpcUrl} into ${writer.path}; serve it with: monad-gateway serve --ring ${writer.path}\n`);
  const started = performance.now();
  try {
    await bridge.start();
  } finally {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
    writer.close({ unlink: !keep });
  }
  const s = bridge.stats();
  const secs = (performance.now() - started) / 1000;
  log.info({ ...s, seconds: Number(secs.toFixed(2)), eventsPerSecond: Math.round(s.events / secs) }, "bridge stopped");
}
