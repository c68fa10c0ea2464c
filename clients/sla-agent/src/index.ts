// @monad-gateway/sla-agent: the SLA agent of the payment-stream contracts (contracts/). The CLI
// (`monad-gateway agent`) loads it on demand.
export { runAgent, type RunningAgent } from "./agent.js";
export { ConfigError, loadConfig, parseConfig, type AgentConfig, type ServiceConfig } from "./config/load-config.js";
export { configSchema } from "./config/config-schema.js";
export { configKeyPaths, configReference, CONFIG_REFERENCE_BEGIN, CONFIG_REFERENCE_END } from "./config/config-reference.js";
export { loadDeployment, type Deployment } from "./chain/deployment.js";
export { abiOf, artifactOf, type ContractName } from "./chain/artifacts.js";
export { SLAMonitor, gradeReport, type MonitorStats } from "./monitor/sla-monitor.js";
export { windowMetrics, statisticOf, jitterOf, type WindowMetrics } from "./monitor/window-metrics.js";
export { ServiceSamples, type Probe } from "./monitor/service-samples.js";
export { tierOf, windowAt, windowCloses, Metric, METRIC_NAMES, type SLA, type MetricRule, type StreamTerms } from "./monitor/sla-terms.js";
export { ReportSigner, REPORT_TYPES, type MetricReport, type SignedReport } from "./monitor/report-signer.js";
export { RefundExecutor, SLA_BREACHED_TOPIC } from "./refund/refund-executor.js";
export { CursorStore, type RefundCursor } from "./refund/cursor-store.js";
export { OUTCOMES, type RefundStats, type RefundRecord } from "./refund/breach-processor.js";
export { stressParallel, type StressOptions, type StressResult } from "./runner/parallel-runner.js";
export { blockConflicts, type BlockConflicts, type HotResource } from "./runner/block-conflicts.js";
export { accessedResources, traceAccess, type ResourceKind, type TxAccess } from "./runner/tx-access.js";
export { conflictTotals, type ConflictTotals, type GatewayComparison, type GatewayReport } from "./runner/gateway-comparison.js";
export { DegradableService, HEALTHY, type Quality } from "./degrade/degradable-service.js";
export { defaultSLA } from "./default-sla.js";
export { runDemo, type DemoResult } from "./demo/sla-demo.js";
