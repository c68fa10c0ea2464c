// The relay process: one TargetWorker per target, the gateway status poller and the admin API;
// a graceful stop that flushes what is held and persists every cursor.
import { mkdirSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { pino, type Logger } from "pino";
import { startAdminServer } from "./admin/admin-server.js";
import { GatewayStatusPoller } from "./admin/gateway-status-poller.js";
import type { RelayConfig } from "./config/types.js";
import { TargetWorker } from "./target/target-worker.js";

export class Relay {
  private admin: FastifyInstance | null = null;
  private stopping = false;
  readonly workers: TargetWorker[];
  private readonly poller: GatewayStatusPoller;

  private constructor(
    readonly config: RelayConfig,
    readonly log: Logger,
  ) {
    mkdirSync(config.stateDir, { recursive: true });
    this.workers = config.targets.map((t) => new TargetWorker(t, config, log.child({ target: t.name })));
    this.poller = new GatewayStatusPoller(config.gatewayUrl, config.statusPollMs, log);
  }

  /** Starts every target and the admin API; resolves once the admin API listens. */
  static async start(config: RelayConfig, log: Logger = pino({ level: config.logLevel, base: { service: "webhook-relay" } })): Promise<Relay> {
    const relay = new Relay(config, log);
    relay.admin = await startAdminServer(
      { workers: relay.workers, poller: relay.poller, gatewayUrl: config.gatewayUrl, startedAt: Date.now(), stopping: () => relay.stopping },
      config.admin.host,
      config.admin.port,
      log,
    );
    relay.poller.start();
    for (const w of relay.workers) w.start();
    log.info({ targets: config.targets.map((t) => t.name), gateway: config.gatewayUrl }, "relay started");
    return relay;
  }

  /** The admin API's port (useful with port 0). */
  get adminPort(): number {
    const a = this.admin?.server.address();
    return typeof a === "object" && a !== null ? a.port : 0;
  }

  /** Stops reading, delivers what is held within the shutdown timeout, persists cursors. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.log.info({ timeout_ms: this.config.shutdownTimeoutMs }, "stopping: delivering held batches");
    this.poller.stop();
    await Promise.all(this.workers.map((w) => w.stop(this.config.shutdownTimeoutMs)));
    await this.admin?.close();
    this.log.info({ delivered: Object.fromEntries(this.workers.map((w) => [w.name, w.counters.delivered_events])) }, "stopped; cursors saved");
  }
}
