// Simulator options: the public shape, the defaults, and validation into a fully resolved form.
//
// Validation collects every problem and reports them together, each naming the option, the bad
// value and what is valid, so a CLI user fixes a config in one round. Unknown keys are errors
// too: a misspelt `blocksPerSec` silently falling back to the default would be worse.

import type { RecordOrder } from "./record-schedule.js";

export type { RecordOrder };

export interface ContentionOptions {
  /**
   * Number of hot contracts: a popular token, a DEX pool, another token, another pool, … in that
   * order. 0 disables contention entirely. Default 2.
   */
  hotContracts?: number;
  /** Total hot storage slots, spread over the hot contracts (at least one each). Default 8. */
  hotSlots?: number;
  /** Fraction of transactions that touch at least one hot slot, in [0, 1]. Default 0.3. */
  hotFraction?: number;
  /** Most hot slots one transaction touches (it touches 1..this many), 1..8. Default 2. */
  maxHotSlotsPerTxn?: number;
  /** Probability that a hot access writes (modified = true) rather than only reads. Default 0.7. */
  writeFraction?: number;
}

/** Probabilities of the failure paths. Any failure makes the block fail (no QC / finalization). */
export interface RejectProbabilities {
  /** Per transaction: TXN_REJECT instead of its output events (the block then fails). Default 0.0002. */
  txnReject?: number;
  /** Per transaction: EVM_ERROR instead of its output events (the block then fails). Default 0. */
  txnEvmError?: number;
  /** Per block: BLOCK_REJECT instead of BLOCK_END. Default 0.005. */
  blockReject?: number;
  /** Per block: EVM_ERROR instead of BLOCK_END. Default 0. */
  blockEvmError?: number;
}

/** Delays of the consensus events after the block's BLOCK_START, in milliseconds. */
export interface ConsensusTimingOptions {
  /** BLOCK_QC delay. Default: one block interval (400 ms at 2.5 blocks/s). */
  qcDelayMs?: number;
  /** BLOCK_FINALIZED delay. Default: two block intervals (800 ms). */
  finalizedDelayMs?: number;
  /** BLOCK_VERIFIED delay. Default: four block intervals (1600 ms). */
  verifiedDelayMs?: number;
  /** Uniform ± jitter added to each delay (order QC < FINALIZED < VERIFIED is kept). Default 0. */
  jitterMs?: number;
}

/** Relative weights of the transaction kinds (need not sum to 1). */
export interface TxnMix {
  /** EOA → EOA value transfer. Default 0.25. */
  native?: number;
  /** ERC-20 transfer(address,uint256). Default 0.5. */
  erc20?: number;
  /** DEX swap through a router and a pool (nested calls, native value in/out). Default 0.23. */
  swap?: number;
  /** Contract creation. Default 0.02. */
  deploy?: number;
}

export interface TransactionOptions {
  mix?: TxnMix;
  /** Probability a transaction carries an EIP-2930 access list. Default 0.1. */
  accessListProbability?: number;
  /** Probability a transaction is an EIP-7702 one with an authorization list. Default 0.02. */
  eip7702Probability?: number;
  /** Probability a transaction reverts (status false, no logs). Default 0.03. */
  revertProbability?: number;
}

export interface BatchOptions {
  /** Flush to the sink when the batch holds this many events. Default 4096. */
  maxEvents?: number;
  /** Flush to the sink when the batch holds this many bytes. Default 1 MiB. */
  maxBytes?: number;
}

export interface SimulatorOptions {
  /** PRNG seed (safe integer). Same seed, same options → same event stream. Default 1. */
  seed?: number;
  /** Block rate. Default 2.5 (a block every 400 ms, like Monad). Range (0, 10000]. */
  blocksPerSecond?: number;
  /** Transactions per block, fixed or a uniform range. Default { min: 30, max: 100 }. */
  txnsPerBlock?: number | { min: number; max: number };
  contention?: ContentionOptions;
  rejectProbabilities?: RejectProbabilities;
  consensus?: ConsensusTimingOptions;
  transactions?: TransactionOptions;
  /** Stop after this many blocks (counting failed ones). Default: unlimited. */
  maxBlocks?: number;
  /** Stop starting blocks after this many milliseconds of clock time. Default: unlimited. */
  durationMs?: number;
  /** Never sleep: produce blocks as fast as possible (benchmarks). Default false. */
  flatOut?: boolean;
  /** Chain id written into blocks and transactions. Default 143 (Monad mainnet). */
  chainId?: number;
  /** Number of the first block. Default 1. */
  startBlockNumber?: number;
  /** Consensus round of the first block. Default 1000. */
  startRound?: number;
  /** Blocks per consensus epoch. Default 50000. */
  blocksPerEpoch?: number;
  /** Block gas limit. Default max(30M, enough for txnsPerBlock.max of the largest kind). */
  gasLimit?: number;
  /** Externally owned accounts that send transactions. Default 2000. */
  accounts?: number;
  /** ERC-20 token contracts. Default 100. */
  tokens?: number;
  /** DEX pools (token pairs). Default 40. */
  pools?: number;
  /** Worker threads executing transactions concurrently (shapes PERF timing and interleaving). Default 8. */
  parallelism?: number;
  /**
   * How transaction records interleave, after the two real captures (see record-schedule.ts):
   * "overlapped" (commit-time records of neighbouring transactions interleave; 30-block capture)
   * or "headers-first" (headers at start, contiguous outputs at commit; 1-block capture).
   * Default "overlapped".
   */
  recordOrder?: RecordOrder;
  batch?: BatchOptions;
  /** Last seqno already in the ring when the simulator starts (0 for a fresh ring). Default 0. */
  startSeqno?: number;
  /** Wall time (UNIX ms) of the first block. Default: the clock's wall time at start. */
  genesisTimeMs?: number;
  /** After maxBlocks/durationMs, still record the pending QC/finalized/verified events. Default true. */
  drainConsensus?: boolean;
}

export interface ResolvedSimOptions {
  seed: number;
  blocksPerSecond: number;
  blockIntervalMs: number;
  txnsPerBlock: { min: number; max: number };
  contention: Required<ContentionOptions>;
  rejectProbabilities: Required<RejectProbabilities>;
  consensus: Required<ConsensusTimingOptions>;
  transactions: { mix: Required<TxnMix>; accessListProbability: number; eip7702Probability: number; revertProbability: number };
  maxBlocks: number; // Infinity when unlimited
  durationMs: number; // Infinity when unlimited
  flatOut: boolean;
  chainId: number;
  startBlockNumber: number;
  startRound: number;
  blocksPerEpoch: number;
  gasLimit: number;
  accounts: number;
  tokens: number;
  pools: number;
  parallelism: number;
  recordOrder: RecordOrder;
  batch: Required<BatchOptions>;
  startSeqno: number;
  genesisTimeMs: number | undefined;
  drainConsensus: boolean;
}

/** Largest gas_used any single simulated transaction can have (see txn-factory.ts). */
export const MAX_TXN_GAS_USED = 300_000;
export const DEFAULT_GAS_LIMIT = 30_000_000;

export class SimulatorOptionsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid simulator options:\n  - ${problems.join("\n  - ")}`);
    this.name = "SimulatorOptionsError";
  }
}

const TOP_KEYS = [
  "seed", "blocksPerSecond", "txnsPerBlock", "contention", "rejectProbabilities", "consensus", "transactions",
  "maxBlocks", "durationMs", "flatOut", "chainId", "startBlockNumber", "startRound", "blocksPerEpoch", "gasLimit",
  "accounts", "tokens", "pools", "parallelism", "recordOrder", "batch", "startSeqno", "genesisTimeMs", "drainConsensus",
] as const;

/** Validates `opts` and fills in defaults. Throws SimulatorOptionsError listing every problem. */
export function resolveOptions(opts: SimulatorOptions = {}): ResolvedSimOptions {
  const problems: string[] = [];
  const v = new Checker(problems);

  if (typeof opts !== "object" || opts === null) throw new SimulatorOptionsError([`options must be an object, got ${show(opts)}`]);
  v.keys("options", opts, TOP_KEYS);

  const seed = v.int("seed", opts.seed, 1, 0, Number.MAX_SAFE_INTEGER);
  const blocksPerSecond = v.num("blocksPerSecond", opts.blocksPerSecond, 2.5, 0, 10_000, true);
  const blockIntervalMs = 1000 / (blocksPerSecond > 0 ? blocksPerSecond : 2.5);

  let txnsPerBlock = { min: 30, max: 100 };
  const tpb = opts.txnsPerBlock;
  if (typeof tpb === "number") {
    const n = v.int("txnsPerBlock", tpb, 100, 0, 100_000);
    txnsPerBlock = { min: n, max: n };
  } else if (tpb !== undefined) {
    if (typeof tpb !== "object" || tpb === null) {
      problems.push(`txnsPerBlock must be a number or { min, max }, got ${show(tpb)}`);
    } else {
      v.keys("txnsPerBlock", tpb, ["min", "max"]);
      const min = v.int("txnsPerBlock.min", tpb.min, Number.NaN, 0, 100_000);
      const max = v.int("txnsPerBlock.max", tpb.max, Number.NaN, 0, 100_000);
      if (min > max) problems.push(`txnsPerBlock.min (${min}) must not exceed txnsPerBlock.max (${max})`);
      txnsPerBlock = { min, max };
    }
  }

  const tokens = v.int("tokens", opts.tokens, 100, 2, 1_000_000);
  const pools = v.int("pools", opts.pools, 40, 1, 1_000_000);

  const c = v.group("contention", opts.contention, ["hotContracts", "hotSlots", "hotFraction", "maxHotSlotsPerTxn", "writeFraction"]);
  const hotContracts = v.int("contention.hotContracts", c.hotContracts, 2, 0, 1_000);
  const contention = {
    hotContracts,
    hotSlots: v.int("contention.hotSlots", c.hotSlots, Math.max(8, hotContracts), 0, 1_000_000),
    hotFraction: v.prob("contention.hotFraction", c.hotFraction, 0.3),
    maxHotSlotsPerTxn: v.int("contention.maxHotSlotsPerTxn", c.maxHotSlotsPerTxn, 2, 1, 8),
    writeFraction: v.prob("contention.writeFraction", c.writeFraction, 0.7),
  };
  if (contention.hotContracts > 0 && contention.hotSlots < contention.hotContracts) {
    problems.push(
      `contention.hotSlots (${contention.hotSlots}) must be at least contention.hotContracts (${contention.hotContracts}): every hot contract needs a hot slot`,
    );
  }
  if (Math.ceil(hotContracts / 2) >= tokens || Math.floor(hotContracts / 2) >= pools) {
    problems.push(
      `contention.hotContracts (${hotContracts}) alternates tokens and pools and leaves at least one of each cold, so it needs ceil(n/2) < tokens (${tokens}) and floor(n/2) < pools (${pools})`,
    );
  }

  const r = v.group("rejectProbabilities", opts.rejectProbabilities, ["txnReject", "txnEvmError", "blockReject", "blockEvmError"]);
  const rejectProbabilities = {
    txnReject: v.prob("rejectProbabilities.txnReject", r.txnReject, 0.0002),
    txnEvmError: v.prob("rejectProbabilities.txnEvmError", r.txnEvmError, 0),
    blockReject: v.prob("rejectProbabilities.blockReject", r.blockReject, 0.005),
    blockEvmError: v.prob("rejectProbabilities.blockEvmError", r.blockEvmError, 0),
  };
  if (rejectProbabilities.txnReject + rejectProbabilities.txnEvmError > 1) {
    problems.push("rejectProbabilities.txnReject + rejectProbabilities.txnEvmError must not exceed 1");
  }
  if (rejectProbabilities.blockReject + rejectProbabilities.blockEvmError > 1) {
    problems.push("rejectProbabilities.blockReject + rejectProbabilities.blockEvmError must not exceed 1");
  }

  const k = v.group("consensus", opts.consensus, ["qcDelayMs", "finalizedDelayMs", "verifiedDelayMs", "jitterMs"]);
  const consensus = {
    qcDelayMs: v.num("consensus.qcDelayMs", k.qcDelayMs, blockIntervalMs, 0, 600_000),
    finalizedDelayMs: v.num("consensus.finalizedDelayMs", k.finalizedDelayMs, 2 * blockIntervalMs, 0, 600_000),
    verifiedDelayMs: v.num("consensus.verifiedDelayMs", k.verifiedDelayMs, 4 * blockIntervalMs, 0, 600_000),
    jitterMs: v.num("consensus.jitterMs", k.jitterMs, 0, 0, 60_000),
  };
  if (!(consensus.qcDelayMs <= consensus.finalizedDelayMs && consensus.finalizedDelayMs <= consensus.verifiedDelayMs)) {
    problems.push(
      `consensus delays must satisfy qcDelayMs ≤ finalizedDelayMs ≤ verifiedDelayMs, got ${consensus.qcDelayMs} / ${consensus.finalizedDelayMs} / ${consensus.verifiedDelayMs}`,
    );
  }

  const t = v.group("transactions", opts.transactions, ["mix", "accessListProbability", "eip7702Probability", "revertProbability"]);
  const m = v.group("transactions.mix", t.mix, ["native", "erc20", "swap", "deploy"]);
  const mix = {
    native: v.num("transactions.mix.native", m.native, 0.25, 0, 1e9),
    erc20: v.num("transactions.mix.erc20", m.erc20, 0.5, 0, 1e9),
    swap: v.num("transactions.mix.swap", m.swap, 0.23, 0, 1e9),
    deploy: v.num("transactions.mix.deploy", m.deploy, 0.02, 0, 1e9),
  };
  if (mix.native + mix.erc20 + mix.swap + mix.deploy <= 0) problems.push("transactions.mix needs at least one positive weight");
  const transactions = {
    mix,
    accessListProbability: v.prob("transactions.accessListProbability", t.accessListProbability, 0.1),
    eip7702Probability: v.prob("transactions.eip7702Probability", t.eip7702Probability, 0.02),
    revertProbability: v.prob("transactions.revertProbability", t.revertProbability, 0.03),
  };

  const maxBlocks = opts.maxBlocks === undefined ? Infinity : v.int("maxBlocks", opts.maxBlocks, 0, 1, Number.MAX_SAFE_INTEGER);
  const durationMs = opts.durationMs === undefined ? Infinity : v.num("durationMs", opts.durationMs, 0, 0, Number.MAX_SAFE_INTEGER, true);
  const flatOut = v.bool("flatOut", opts.flatOut, false);
  const chainId = v.int("chainId", opts.chainId, 143, 1, Number.MAX_SAFE_INTEGER);
  const startBlockNumber = v.int("startBlockNumber", opts.startBlockNumber, 1, 0, Number.MAX_SAFE_INTEGER);
  const startRound = v.int("startRound", opts.startRound, 1000, 0, Number.MAX_SAFE_INTEGER);
  const blocksPerEpoch = v.int("blocksPerEpoch", opts.blocksPerEpoch, 50_000, 1, Number.MAX_SAFE_INTEGER);
  const minGasLimit = txnsPerBlock.max * MAX_TXN_GAS_USED;
  const gasLimit = v.int("gasLimit", opts.gasLimit, Math.max(DEFAULT_GAS_LIMIT, minGasLimit), 21_000, Number.MAX_SAFE_INTEGER);
  if (opts.gasLimit !== undefined && gasLimit < minGasLimit) {
    problems.push(
      `gasLimit (${gasLimit}) cannot hold txnsPerBlock.max (${txnsPerBlock.max}) transactions of up to ${MAX_TXN_GAS_USED} gas; use gasLimit ≥ ${minGasLimit} or fewer transactions per block`,
    );
  }
  const accounts = v.int("accounts", opts.accounts, 2000, 2, 10_000_000);
  const parallelism = v.int("parallelism", opts.parallelism, 8, 1, 1024);
  const recordOrder = v.oneOf("recordOrder", opts.recordOrder, ["overlapped", "headers-first"] as const, "overlapped");
  const b = v.group("batch", opts.batch, ["maxEvents", "maxBytes"]);
  const batch = {
    maxEvents: v.int("batch.maxEvents", b.maxEvents, 4096, 1, 10_000_000),
    maxBytes: v.int("batch.maxBytes", b.maxBytes, 1 << 20, 1024, 1 << 30),
  };
  const startSeqno = v.int("startSeqno", opts.startSeqno, 0, 0, Number.MAX_SAFE_INTEGER);
  const genesisTimeMs =
    opts.genesisTimeMs === undefined ? undefined : v.int("genesisTimeMs", opts.genesisTimeMs, 0, 0, Number.MAX_SAFE_INTEGER);
  const drainConsensus = v.bool("drainConsensus", opts.drainConsensus, true);

  if (problems.length > 0) throw new SimulatorOptionsError(problems);
  return {
    seed, blocksPerSecond, blockIntervalMs, txnsPerBlock, contention, rejectProbabilities, consensus, transactions,
    maxBlocks, durationMs, flatOut, chainId, startBlockNumber, startRound, blocksPerEpoch, gasLimit, accounts, tokens,
    pools, parallelism, recordOrder, batch, startSeqno, genesisTimeMs, drainConsensus,
  };
}

function show(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "bigint") return `${x}n`;
  if (typeof x === "object" && x !== null) {
    try {
      return JSON.stringify(x);
    } catch {
      return String(x);
    }
  }
  return String(x);
}

/** Small helpers that validate one value, record a problem on failure and return a usable value. */
class Checker {
  constructor(private readonly problems: string[]) {}

  keys(where: string, obj: object, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.problems.push(`${where}: unknown option "${key}" (valid: ${allowed.join(", ")})`);
    }
  }

  group<T extends object>(name: string, value: T | undefined, allowed: readonly string[]): Partial<T> {
    if (value === undefined) return {};
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.problems.push(`${name} must be an object, got ${show(value)}`);
      return {};
    }
    this.keys(name, value, allowed);
    return value;
  }

  num(name: string, value: unknown, dflt: number, min: number, max: number, exclusiveMin = false): number {
    if (value === undefined) return dflt;
    const low = exclusiveMin ? `> ${min}` : `≥ ${min}`;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || (exclusiveMin && value === min) || value > max) {
      this.problems.push(`${name} must be a finite number ${low} and ≤ ${max}, got ${show(value)}`);
      return dflt;
    }
    return value;
  }

  int(name: string, value: unknown, dflt: number, min: number, max: number): number {
    if (value === undefined) {
      if (Number.isNaN(dflt)) this.problems.push(`${name} is required (an integer in [${min}, ${max}])`);
      return dflt;
    }
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer in [${min}, ${max}], got ${show(value)}`);
      return Number.isNaN(dflt) ? min : dflt;
    }
    return value;
  }

  prob(name: string, value: unknown, dflt: number): number {
    if (value === undefined) return dflt;
    if (typeof value !== "number" || !(value >= 0 && value <= 1)) {
      this.problems.push(`${name} must be a probability in [0, 1], got ${show(value)}`);
      return dflt;
    }
    return value;
  }

  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], dflt: T): T {
    if (value === undefined) return dflt;
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${show(value)}`);
      return dflt;
    }
    return value as T;
  }

  bool(name: string, value: unknown, dflt: boolean): boolean {
    if (value === undefined) return dflt;
    if (typeof value !== "boolean") {
      this.problems.push(`${name} must be true or false, got ${show(value)}`);
      return dflt;
    }
    return value;
  }
}
