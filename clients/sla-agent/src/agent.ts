// The agent process: loads and checks the configuration and the deployment, then runs the SLAMonitor
// and the RefundExecutor side by side, with the status API, until SIGINT/SIGTERM.
import pino, { type Logger } from "pino";
import { abiOf } from "./chain/artifacts.js";
import { ChainClock } from "./chain/chain-clock.js";
import { ChainContext, shortError } from "./chain/chain-context.js";
import { loadDeployment } from "./chain/deployment.js";
import { ConfigError, loadConfig, type AgentConfig } from "./config/load-config.js";
import { SLAMonitor } from "./monitor/sla-monitor.js";
import { StreamRegistry } from "./monitor/stream-registry.js";
import { RefundExecutor } from "./refund/refund-executor.js";
import { startStatusServer } from "./status/status-server.js";

export interface RunningAgent {
  config: AgentConfig;
  statusUrl?: string;
  monitor?: SLAMonitor;
  refunds?: RefundExecutor;
  stop(): Promise<void>;
}

export async function runAgent(configFile: string, opts: { logger?: Logger } = {}): Promise<RunningAgent> {
  const config = loadConfig(configFile);
  const log = opts.logger ?? pino({ level: config.logLevel, base: { name: "sla-agent" } });
  const deployment = loadDeployment(config.deploymentFile);
  const chain = await ChainContext.connect(config.rpc, config.key, config.gas.marginPercent);
  if (chain.chain.id !== deployment.chainId) throw new ConfigError(`the chain at ${config.rpc} has id ${chain.chain.id}, but the deployment file is for chain ${deployment.chainId}`);
  if (config.reports.enabled && config.services.length > 0) {
    const role = await chain.read<`0x${string}`>(deployment.oracle, abiOf("AgentOracle"), "AGENT_ROLE");
    const isAgent = await chain.read<boolean>(deployment.oracle, abiOf("AgentOracle"), "hasRole", [role, chain.address]);
    if (!isAgent) throw new ConfigError(`the agent key's address ${chain.address} does not hold AGENT_ROLE on the AgentOracle ${deployment.oracle}: its reports would be refused (deploy with --agent ${chain.address}, or grant the role)`);
  }
  const clock = new ChainClock(chain.public);
  await clock.start();
  const started = Date.now();

  let monitor: SLAMonitor | undefined;
  if (config.services.length > 0) {
    const registry = new StreamRegistry(chain, deployment.factory, config.services, deployment.oracleBlock, log);
    await registry.init();
    monitor = new SLAMonitor(config, chain, clock, deployment, registry, log.child({ part: "monitor" }));
    await monitor.start();
  }
  let refunds: RefundExecutor | undefined;
  if (config.refunds.enabled) {
    refunds = new RefundExecutor(config, chain, deployment, log.child({ part: "refunds" }));
    await refunds.start();
  }

  const status = () => ({
    agent: chain.address,
    chainId: chain.chain.id,
    contracts: { factory: deployment.factory, oracle: deployment.oracle, refundManager: deployment.refundManager },
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    chainTime: clock.nowSeconds(),
    monitor: monitor?.stats ?? null,
    refunds: refunds ? { ...refunds.processor.stats, cursor: refunds.cursor, backfills: refunds.backfills } : null,
  });
  const healthy = () => {
    const problems: string[] = [];
    if (monitor?.stats.lastError) problems.push(`monitor: ${monitor.stats.lastError}`);
    return { ok: problems.length === 0, problems };
  };
  let statusUrl: string | undefined;
  let closeStatus = async () => undefined as unknown;
  if (config.status.enabled) {
    try {
      const s = await startStatusServer({ status, healthy }, config.status.host, config.status.port);
      statusUrl = s.url;
      closeStatus = () => s.app.close();
    } catch (err) {
      throw new ConfigError(`cannot listen on ${config.status.host}:${config.status.port} for the status API: ${shortError(err)}`);
    }
  }
  log.info({ agent: chain.address, status: statusUrl, services: config.services.map((s) => s.name), refunds: config.refunds.enabled, cursor: refunds?.cursor }, "agent started");
  return {
    config,
    statusUrl,
    monitor,
    refunds,
    async stop() {
      await monitor?.stop();
      await refunds?.stop();
      clock.stop();
      await closeStatus();
    },
  };
}
