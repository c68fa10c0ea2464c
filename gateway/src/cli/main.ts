// The monad-gateway command: one executable, one subcommand per job.
import { isRingError } from "../ring/native.js";
import { dumpCommand, dumpUsage } from "./commands/dump.js";
import { replayCommand, replayUsage } from "./commands/replay.js";
import { serveCommand, serveUsage } from "./commands/serve.js";
import { simCommand, simUsage } from "./commands/sim.js";
import { exitWithParent } from "./exit-with-parent.js";
import { UsageError } from "./usage-error.js";

interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<void>;
}

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => ({ summary: "serve ring events over WebSocket and REST", usage: serveUsage, run: serveCommand }),
  dump: async () => ({ summary: "print every event as JSON lines", usage: dumpUsage, run: dumpCommand }),
  sim: async () => ({ summary: "write a synthetic Monad chain into a ring", usage: simUsage, run: simCommand }),
  replay: async () => ({ summary: "re-record a captured ring into a live ring", usage: replayUsage, run: replayCommand }),
  // Client commands load the SDK only when used.
  tail: async () => {
    const { tailCommand, tailUsage } = await import("./commands/tail.js");
    return { summary: "follow a gateway's stream", usage: tailUsage, run: tailCommand };
  },
  status: async () => {
    const { statusCommand, statusUsage } = await import("./commands/status.js");
    return { summary: "print a gateway's status", usage: statusUsage, run: statusCommand };
  },
  contracts: async () => {
    const { contractsCommand, contractsUsage } = await import("./commands/contracts.js");
    return { summary: "deploy the SLA payment-stream contracts", usage: contractsUsage, run: contractsCommand };
  },
  relay: async () => {
    const { relayCommand, relayUsage } = await import("./commands/relay.js");
    return { summary: "forward gateway events to HTTP services", usage: relayUsage, run: relayCommand };
  },
  bridge: async () => {
    const { bridgeCommand, bridgeUsage } = await import("./commands/bridge.js");
    return { summary: "record an EVM JSON-RPC chain into a ring as Monad events", usage: bridgeUsage, run: bridgeCommand };
  },
  agent: async () => {
    const { agentCommand, agentUsage } = await import("./commands/agent.js");
    return { summary: "run the SLA agent", usage: agentUsage, run: agentCommand };
  },
};

function overview(): string {
  return `monad-gateway: Monad execution events gateway

Usage: monad-gateway <command> [options]

Commands:
${Object.entries(summaries())
  .map(([name, s]) => `  ${name.padEnd(10)} ${s}`)
  .join("\n")}

Run "monad-gateway <command> --help" for a command's options.`;
}

function summaries(): Record<string, string> {
  return {
    serve: "serve ring events over WebSocket and REST (--sim: on the embedded simulator)",
    dump: "print every event of a ring or snapshot as JSON lines",
    sim: "write a synthetic Monad chain into a ring",
    replay: "re-record a captured ring into a live ring",
    tail: "follow a gateway's stream (readable lines or --json), resuming after reconnects",
    status: "print a gateway's status (/v1/status)",
    contracts: "deploy the SLA payment-stream contracts and write their addresses to a JSON file",
    relay: "forward gateway events to HTTP services (signed batches, durable cursor, dead letters)",
    bridge: "follow an EVM JSON-RPC node and record its blocks into a ring as Monad exec events",
    agent: "run the SLA agent: monitor services, report breaches, execute refunds",
  };
}

export async function main(argv: string[]): Promise<void> {
  exitWithParent();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(overview() + "\n");
    return;
  }
  const load = commands[name];
  if (!load) {
    fail(`unknown command "${name}"; valid commands: ${Object.keys(summaries()).join(", ")}`);
    return;
  }
  const command = await load();
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.usage + "\n");
    return;
  }
  try {
    await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) fail(err.message, err.usage);
    else if (isRingError(err)) fail(err.message);
    else if (err instanceof TypeError && (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) fail(err.message, command.usage);
    else if (err instanceof RangeError) fail(err.message);
    else throw err;
  }
}

function fail(message: string, usage?: string): void {
  process.stderr.write(`monad-gateway: ${message}\n`);
  if (usage) process.stderr.write(`\n${usage}\n`);
  process.exitCode = 2;
}
