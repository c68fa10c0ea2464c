// `monad-gateway relay --config FILE`: loads the config (a bad one is a one-line ConfigError, exit
// code 2), runs the relay until SIGTERM/SIGINT, then stops gracefully.
import { parseArgs } from "node:util";
import { loadConfig, type WireSchemas } from "./config/load-config.js";
import { Relay } from "./relay.js";

export const relayUsage = `monad-gateway relay --config FILE [--check]

Forwards gateway events to HTTP services: POSTs signed JSON batches (HMAC-SHA256 over timestamp and
body, an idempotency key per batch), retries with backoff, keeps a durable cursor per target and a
dead-letter log, and serves an admin API (/health, /stats, /dlq). SIGTERM/SIGINT stop it gracefully.
See clients/webhook-relay/README.md for the config file.

Options:
  --config <file>   the relay's JSON config file (required)
  --check           validate the config, print a summary and exit`;

/** Thrown for a bad command line; the CLI prints it with the usage and exits with code 2. */
export class RelayUsageError extends Error {
  override name = "RelayUsageError";
}

export async function relayMain(argv: string[], wire: WireSchemas): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: "string" }, check: { type: "boolean" } } });
  if (positionals.length > 0) throw new RelayUsageError(`unexpected argument "${positionals[0]}"; relay takes only options`);
  if (values.config === undefined) throw new RelayUsageError("--config <file> is required");
  const config = loadConfig(values.config, wire);
  if (values.check) {
    process.stdout.write(`${values.config}: valid; ${config.targets.length} target(s): ${config.targets.map((t) => `${t.name} → ${t.url}`).join(", ")}\n`);
    return;
  }
  const relay = await Relay.start(config);
  process.stderr.write(`webhook relay: admin API listening on port ${relay.adminPort}; ${config.targets.length} target(s); state in ${config.stateDir}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      relay.log.info({ signal }, "signal received");
      const done = () => {
        // Cursors are saved; a socket some library keeps open must not keep the process alive.
        setTimeout(() => process.exit(), 2000).unref();
        resolve();
      };
      relay.stop().then(done, (err) => {
        relay.log.error({ err }, "error while stopping");
        process.exitCode = 1;
        done();
      });
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
