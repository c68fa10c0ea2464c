// Public API of the embedded chain simulator.
export { Simulator, type SimulatorDeps, type SimulatorStats, type SimulatedBlockInfo } from "./simulator.js";
export {
  resolveOptions,
  SimulatorOptionsError,
  MAX_TXN_GAS_USED,
  type SimulatorOptions,
  type ResolvedSimOptions,
  type ContentionOptions,
  type RejectProbabilities,
  type ConsensusTimingOptions,
  type TransactionOptions,
  type TxnMix,
  type BatchOptions,
  type RecordOrder,
} from "./options.js";
export { EventStream, SeqnoMismatchError, type EventSink } from "./event-stream.js";
export { MemorySink } from "./memory-sink.js";
export { ExecStreamChecker } from "./stream-checker.js";
export { viewRecord, splitBlocks, num, big, bytes, trailing, type RecordView, type BlockView } from "./record-view.js";
export { systemClock, ManualClock, type SimClock } from "./clock.js";
export { Prng } from "./prng.js";
export { keccak256, selector } from "./keccak.js";
