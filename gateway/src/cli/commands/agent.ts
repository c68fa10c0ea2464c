// `monad-gateway agent`: the SLA agent of the payment-stream contracts (clients/sla-agent), loaded
// only when this command runs. Subcommands: run (the default), check, stress-parallel,
// simulate-degradation.
import { parseArgs } from "node:util";
import { numberOption, UsageError } from "../usage-error.js";

export const agentUsage = `monad-gateway agent --config <file>
monad-gateway agent check --config <file>
monad-gateway agent stress-parallel --rpc <url> --deployment <file> [options]
monad-gateway agent simulate-degradation [options]

The SLA agent of the payment-stream contracts (contracts/). It measures each configured service
(the gateway's own feed, or an HTTP URL), reports each closed SLA window to the AgentOracle in
EIP-712 signed batches, and refunds every recorded breach once through the RefundManager, following
SLABreached logs through the gateway (Finalized blocks only) with a durable cursor and a chain
backfill after any gap. A status API serves GET /health and GET /status. Logs are JSON lines (pino)
on stdout. See clients/sla-agent/README.md for the configuration file.

  (run)                    --config <file>: run until SIGINT/SIGTERM
  check                    --config <file>: validate the configuration and the deployment file, then exit

stress-parallel: creates --count SLA streams at once from as many fresh senders and reports
throughput, blocks used, the conflicts between the blocks' transactions (traced: pairs sharing a
storage slot, balance or nonce that one of them writes, by kind, and the resources causing them),
and the gateway's contention data (schedule.conflict_edges) for the same blocks.
  --rpc <url>              JSON-RPC endpoint
  --deployment <file>      the JSON written by "monad-gateway contracts deploy"
  --gateway <url>          gateway serving this chain, to compare contention (optional)
  --count <n>              streams to create, 1..200 (default 100)
  --key <0x..>             funds the senders (default $SLA_AGENT_KEY; not needed on anvil)
  --deposit-wei <n>        per stream (default 1000000000000000)
  --duration <seconds>     stream length (default 3600)
  --json                   print the result as JSON

simulate-degradation: serves GET / as a service whose quality changes on a schedule (or on
POST /control {"mode": "healthy"|"degraded"|"down", "latencyMs"?, "errorRate"?}), for the agent to
monitor.
  --host <host>            (default 127.0.0.1)
  --port <port>            (default 9100; 0 = any free port)
  --schedule <spec>        phases, repeated: e.g. healthy:30,degraded:30 (seconds; default: healthy
                           until told otherwise)
  --latency-ms <ms>        latency while degraded (default 800)
  --error-rate <0..1>      share of 503 answers while degraded (default 0.2)`;

export async function agentCommand(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === "stress-parallel") return stress(rest);
  if (first === "simulate-degradation") return degrade(rest);
  if (first === "check") return run(rest, true);
  if (first !== undefined && !first.startsWith("-"))
    throw new UsageError(`unknown agent subcommand "${first}"; valid: check, stress-parallel, simulate-degradation (or none, to run)`, agentUsage);
  return run(argv, false);
}

async function load() {
  return import("@monad-gateway/sla-agent");
}

async function run(argv: string[], checkOnly: boolean): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { config: { type: "string" } }, allowPositionals: false });
  if (!values.config) throw new UsageError("--config <file> is required", agentUsage);
  const agent = await load();
  try {
    if (checkOnly) {
      const config = agent.loadConfig(values.config);
      const d = agent.loadDeployment(config.deploymentFile);
      process.stdout.write(`config ${config.file} is valid: ${config.services.length} service(s), oracle ${d.oracle} on chain ${d.chainId}\n`);
      return;
    }
    const running = await agent.runAgent(values.config);
    if (running.statusUrl) process.stderr.write(`sla-agent status API on ${running.statusUrl}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await running.stop();
  } catch (err) {
    if (err instanceof agent.ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

async function stress(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      rpc: { type: "string" },
      deployment: { type: "string" },
      gateway: { type: "string" },
      count: { type: "string" },
      key: { type: "string" },
      "deposit-wei": { type: "string" },
      duration: { type: "string" },
      json: { type: "boolean" },
    },
  });
  if (!values.rpc || !/^https?:\/\/./.test(values.rpc)) throw new UsageError("--rpc <http(s) url> is required", agentUsage);
  if (!values.deployment) throw new UsageError("--deployment <file> is required (written by monad-gateway contracts deploy)", agentUsage);
  if (values.gateway !== undefined && !/^(wss?|https?):\/\/./.test(values.gateway)) throw new UsageError(`--gateway must be a ws(s):// or http(s):// URL, got "${values.gateway}"`);
  const count = numberOption("count", values.count, 100, { min: 1, max: 200, integer: true });
  const duration = numberOption("duration", values.duration, 3600, { min: 60, max: 10 * 365 * 86400, integer: true });
  const depositRaw = values["deposit-wei"] ?? "1000000000000000";
  if (!/^[1-9][0-9]{0,37}$/.test(depositRaw)) throw new UsageError(`--deposit-wei must be a positive integer (wei), got "${depositRaw}"`);
  const key = values.key ?? process.env.SLA_AGENT_KEY;
  if (key !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(key)) throw new UsageError("--key must be a private key (0x + 64 hex digits)");
  const agent = await load();
  const { generatePrivateKey } = await import("viem/accounts");
  try {
    const result = await agent.stressParallel({
      rpc: values.rpc,
      deploymentFile: values.deployment,
      gateway: values.gateway,
      count,
      // Without a key the senders can only be funded on anvil (anvil_setBalance); elsewhere funding fails with a clear error.
      funderKey: (key as `0x${string}` | undefined) ?? generatePrivateKey(),
      depositWei: BigInt(depositRaw),
      durationSeconds: duration,
      sla: agent.defaultSLA(),
      progress: values.json ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatStress(result));
  } catch (err) {
    if (err instanceof agent.ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

type StressResult = Awaited<ReturnType<Awaited<ReturnType<typeof load>>["stressParallel"]>>;

function formatStress(r: StressResult): string {
  const lines = [
    `streams created:   ${r.streams} (one per sender, all sent at once)`,
    `time:              ${r.seconds.toFixed(2)} s`,
    `throughput:        ${r.streamsPerSecond.toFixed(1)} streams/s, ${r.txsPerSecond.toFixed(1)} txs/s`,
    `blocks used:       ${r.blocksUsed.length} (${r.blocksUsed.join(", ")})`,
    `gas used:          ${r.gasUsed}`,
  ];
  if (!r.traced) lines.push(`own conflicts:     not measured: ${r.traceError}`);
  else if (r.conflictTotals) {
    const t = r.conflictTotals;
    lines.push(`conflicting pairs: ${t.pairs} (through balances ${t.balance}, storage ${t.storage}, nonces ${t.nonce}; a pair can conflict through several)`);
  }
  lines.push("", "block    txs  slots  contended  conflicts (storage/balance/nonce)  | gateway: txs  slots  contended  conflict_edges  agrees");
  for (const b of r.gateway?.blocks ?? r.conflicts.map((c) => ({ block: c.block, ours: c, gateway: null, agrees: null }))) {
    const o = b.ours;
    const g = b.gateway;
    const ours = o
      ? `${pad(o.txs, 3)}  ${pad(o.uniqueSlots, 5)}  ${pad(o.contendedSlots, 9)}  ${`${o.conflictPairs} (${o.byKind.storage}/${o.byKind.balance}/${o.byKind.nonce})`.padStart(32)}`
      : "(not traced)".padEnd(56);
    const theirs = g ? `${pad(g.txns, 12)}  ${pad(g.uniqueSlots, 5)}  ${pad(g.contendedSlots, 9)}  ${pad(g.conflictEdges, 14)}  ${b.agrees === null ? "" : b.agrees ? "yes" : "NO"}` : "  (no ContentionData)";
    lines.push(`${String(b.block).padEnd(8)} ${ours}  | ${theirs}`);
  }
  if (r.conflicts.length) lines.push("", ...r.conflicts.map((c) => `block ${c.block}: ${c.explanation}`));
  lines.push("", "verdict:", ...r.verdict.split("\n").map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width);
}

async function degrade(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: { host: { type: "string" }, port: { type: "string" }, schedule: { type: "string" }, "latency-ms": { type: "string" }, "error-rate": { type: "string" } },
  });
  const port = numberOption("port", values.port, 9100, { min: 0, max: 65535, integer: true });
  const latencyMs = numberOption("latency-ms", values["latency-ms"], 800, { min: 0, max: 120_000, integer: true });
  const errorRate = numberOption("error-rate", values["error-rate"], 0.2, { min: 0, max: 1 });
  const phases = parseSchedule(values.schedule);
  const agent = await load();
  const service = new agent.DegradableService();
  service.onChange((q) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...q })}\n`));
  const url = await service.listen(values.host ?? "127.0.0.1", port);
  process.stderr.write(`degradable service on ${url} (GET /, GET|POST /control)\n`);
  let timer: NodeJS.Timeout | undefined;
  if (phases.length > 0) {
    let i = 0;
    const next = () => {
      const p = phases[i++ % phases.length];
      service.set(p.mode === "healthy" ? agent.HEALTHY : p.mode === "down" ? { mode: "down", latencyMs: 0, errorRate: 1 } : { mode: "degraded", latencyMs, errorRate });
      timer = setTimeout(next, p.seconds * 1000);
    };
    next();
  }
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  clearTimeout(timer);
  await service.close();
}

function parseSchedule(spec: string | undefined): { mode: "healthy" | "degraded" | "down"; seconds: number }[] {
  if (spec === undefined) return [];
  return spec.split(",").map((part) => {
    const m = /^(healthy|degraded|down):(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!m || Number(m[2]) <= 0) throw new UsageError(`--schedule: "${part}" is not <healthy|degraded|down>:<seconds>; e.g. healthy:30,degraded:30`);
    return { mode: m[1] as "healthy" | "degraded" | "down", seconds: Number(m[2]) };
  });
}
