import { pino } from "pino";
import { configUsage, parseConfig } from "../../server/config.js";
import { Gateway } from "../../server/gateway.js";

export const serveUsage = `monad-gateway serve [options]

Serves the execution events of a Monad node's event ring over WebSocket and REST on one port.
Without a node, --sim runs the embedded chain simulator, --replay <snapshot> replays a capture.

Options (each also from the environment variable named):
${configUsage()}`;

export async function serveCommand(argv: string[]): Promise<void> {
  const config = parseConfig(argv);
  const log = pino({ level: config.logLevel, base: { service: "monad-gateway" } });
  const gateway = await Gateway.start(config, log);
  const base = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${gateway.port}`;
  process.stderr.write(
    [
      `monad-gateway listening on port ${gateway.port} (epoch ${gateway.epoch})`,
      `  WebSocket   ${base.replace("http", "ws")}/v1/ws   (also /v1/ws/blocks, /txs, /contention, /lifecycle)`,
      `  REST        ${base}/v1/status   ${base}/v1/tps   ${base}/v1/blocks/lifecycle`,
      `  health      ${base}/health      metrics ${base}/metrics      API ${base}/openapi.json`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, "shutting down");
      gateway.stop().then(resolve, resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  // uWS has no way to close idle keep-alive HTTP connections, and a client that keeps polling keeps
  // the process alive (and its port busy) indefinitely. WebSockets got their 1001; give the close
  // frames a moment to leave, then exit.
  await new Promise((r) => setTimeout(r, 200));
  process.exit(process.exitCode ?? 0);
}
