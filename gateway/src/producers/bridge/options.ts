// Bridge settings and their defaults (the CLI parses flags into these; see cli/commands/bridge.ts).
import { DEFAULT_STAGE_DELAYS, type StageDelays } from "./consensus-stages.js";

/** Where to start: the node's head block, block 0, or a block number. */
export type StartBlock = "latest" | "earliest" | number;

export interface BridgeOptions {
  from: StartBlock;
  /** How often to ask the node for new blocks when caught up (ms). */
  pollIntervalMs: number;
  /** Consensus stage delays after BLOCK_START. */
  stages: StageDelays;
  /** Record TXN_CALL_FRAME from callTracer when the node has it. */
  callFrames: boolean;
  /** Record ACCOUNT_ACCESS / STORAGE_ACCESS from prestateTracer when the node has it. */
  accesses: boolean;
  /** First and longest wait between attempts while the node is unreachable (ms). */
  retryInitialMs: number;
  retryMaxMs: number;
  /** Recent block hashes kept to detect reorgs; deeper reorgs are treated as a replaced chain. */
  reorgWindow: number;
  /** Stop after recording this many blocks (tests, benchmarks). */
  maxBlocks: number;
}

export const DEFAULT_BRIDGE_OPTIONS: BridgeOptions = {
  from: "latest",
  pollIntervalMs: 100,
  stages: DEFAULT_STAGE_DELAYS,
  callFrames: true,
  accesses: true,
  retryInitialMs: 250,
  retryMaxMs: 5_000,
  reorgWindow: 256,
  maxBlocks: Infinity,
};

/** Parses --from: "latest", "earliest", or a block number (decimal or 0x-hex). Undefined if invalid. */
export function parseStartBlock(raw: string): StartBlock | undefined {
  const v = raw.trim().toLowerCase();
  if (v === "latest" || v === "earliest") return v;
  if (/^\d+$/.test(v) || /^0x[0-9a-f]+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
