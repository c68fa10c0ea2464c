// Public API of the event enrichments (see README.md for every metric's definition).
export { Enricher, type EnrichOutput, type EnricherOptions } from "./enricher.js";
export {
  LifecycleTracker,
  type LifecycleUpdate,
  type LifecycleSummary,
  type StageTimings,
  type StageChange,
  type StageListener,
  type BlockLifecycleView,
  type LifecycleOptions,
  type LifecycleStats,
} from "./lifecycle.js";
export { TpsTracker, type TpsData } from "./tps.js";
export {
  ContentionTracker,
  type ContentionData,
  type ContendedSlot,
  type ContractContention,
  type ContractEdge,
  type ContentionOptions,
} from "./contention.js";
export { ScheduleAnalyzer, AccessLog, UNKNOWN_TXN_GAS, SPEEDUP_CORES, type ScheduleData, type IdealSpeedup } from "./schedule.js";
export { TopAccessesTracker, type TopAccessesData, type AccountCount, type StorageCount, type TopAccessesOptions } from "./top-accesses.js";
export { SpaceSaving, type CounterEntry } from "./space-saving.js";
export { Stage, STAGE_NAMES, stageName, stageFromName, canAdvance, hasReached, isTerminal, type CommitStage } from "./stages.js";
export { RingTime } from "./ring-time.js";
