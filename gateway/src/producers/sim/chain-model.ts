// The chain: block numbers, rounds, epochs, the parent-hash chain, base fee, and each block's
// transactions and outcome, planned in full before anything is written.
//
// A failed block (BLOCK_REJECT, EVM_ERROR, or one with an invalid transaction, which fails the
// whole block on a real node) is rolled back: the next proposal reuses its block number, builds
// on the same parent and sees the same state, in a new round. Only committed blocks advance the
// number and the hash chain, and only they get QC / finalized / verified.

import { AccessSet, type AccountEntry } from "./access-set.js";
import { bloomAdd, BLOOM_BYTES } from "./bloom.js";
import { HotSet } from "./contention.js";
import { keccak256 } from "./keccak.js";
import type { ResolvedSimOptions } from "./options.js";
import { Prng } from "./prng.js";
import { TXN_ERROR_DOMAIN, TxnFactory, type TxnFailure } from "./txn-factory.js";
import type { TxnPlan } from "./txn-plan.js";
import { ETHER, GWEI, World, type Validator } from "./world.js";

export type BlockOutcome =
  | { kind: "end" }
  | { kind: "reject"; reason: number }
  | { kind: "evmError"; domainId: bigint; statusCode: number };

export interface BlockPlan {
  number: number;
  round: number;
  epoch: number;
  /** Consensus block id. */
  id: Uint8Array;
  parentHash: Uint8Array;
  /** Wall time of the proposal, ms since the UNIX epoch. */
  wallMs: number;
  timestampSec: number;
  proposalEpochNanos: bigint;
  validator: Validator;
  chainId: bigint;
  gasLimit: number;
  baseFee: bigint;
  prevRandao: Uint8Array;
  transactionsRoot: Uint8Array;
  txns: TxnPlan[];
  prologue: AccountEntry[];
  epilogue: AccountEntry[];
  outcome: BlockOutcome;
  /** Sum of the transactions' gas_used. */
  gasUsed: number;
  ethBlockHash: Uint8Array;
  stateRoot: Uint8Array;
  receiptsRoot: Uint8Array;
  logsBloom: Uint8Array;
  /** Header fields the simulator leaves at post-merge defaults; the RPC bridge copies a node's. */
  header?: EthHeaderFields;
}

export interface EthHeaderFields {
  ommersHash?: Uint8Array;
  difficulty?: bigint;
  /** 32 bytes, zero-padded; the first `extraDataLength` are meaningful. */
  extraData?: Uint8Array;
  extraDataLength?: number;
  /** 8 bytes. */
  nonce?: Uint8Array;
  withdrawalsRoot?: Uint8Array;
}

/** keccak(rlp([])): the ommers hash of every post-merge block. */
export const EMPTY_OMMERS_HASH: Uint8Array = keccak256(Uint8Array.of(0xc0));
/** keccak(rlp("")): the root of an empty trie (empty withdrawals). */
export const EMPTY_TRIE_ROOT: Uint8Array = keccak256(Uint8Array.of(0x80));
/** Reward credited to the beneficiary in every block's epilogue (Monad mainnet: 25 MON). */
export const BLOCK_REWARD = 25n * ETHER;
/** Monad's minimum base fee. */
export const MIN_BASE_FEE = 100n * GWEI;
/** EIP-2935 keeps this many block hashes in a ring of storage slots. */
const HISTORY_SERVE_WINDOW = 8191;

export class ChainModel {
  readonly world: World;
  readonly hot: HotSet;
  private readonly txns: TxnFactory;
  private readonly rng: Prng;
  private readonly chainId: bigint;
  private number: number;
  private round: number;
  private parentHash: Uint8Array;
  private baseFee = MIN_BASE_FEE;

  constructor(private readonly cfg: ResolvedSimOptions) {
    // Independent streams per concern: e.g. a different world size must not change block ids.
    const root = new Prng(cfg.seed);
    const worldRng = root.fork();
    const hotRng = root.fork();
    const txnRng = root.fork();
    this.rng = root.fork();
    this.world = new World(worldRng, { accounts: cfg.accounts, tokens: cfg.tokens, pools: cfg.pools });
    this.hot = new HotSet(this.world, hotRng, cfg.contention);
    this.txns = new TxnFactory(this.world, this.hot, txnRng, cfg);
    this.chainId = BigInt(cfg.chainId);
    this.number = cfg.startBlockNumber;
    this.round = cfg.startRound;
    this.parentHash = this.rng.bytes(32);
  }

  /** Number the next block will have. */
  get nextNumber(): number {
    return this.number;
  }

  /** Plans the next block, proposed at wall time `wallMs`, and commits or rolls back its state. */
  planBlock(wallMs: number): BlockPlan {
    const cfg = this.cfg;
    const rng = this.rng;
    const round = this.round++;
    const tpb = cfg.txnsPerBlock;
    const n = tpb.min + rng.int(tpb.max - tpb.min + 1);
    const timestampSec = Math.floor(wallMs / 1000);
    const baseFee = this.baseFee;
    const rp = cfg.rejectProbabilities;

    const prologue = this.prologue();
    const txns: TxnPlan[] = new Array(n);
    let failedTxn: TxnPlan | undefined;
    let gasUsed = 0;
    const validator = this.world.validatorForRound(round);
    const env = { baseFee, timestampSec, beneficiary: validator.beneficiary };
    for (let i = 0; i < n; i++) {
      const x = rng.float();
      const failure: TxnFailure = x < rp.txnReject ? "reject" : x < rp.txnReject + rp.txnEvmError ? "evmError" : "none";
      const t = this.txns.plan(i, env, failure);
      txns[i] = t;
      gasUsed += t.gasUsed;
      if (failure !== "none") failedTxn ??= t;
    }
    const epilogue = this.epilogue(validator);

    let outcome: BlockOutcome = { kind: "end" };
    if (failedTxn !== undefined) {
      // The block's execution returns the transaction's error; it is not a BlockError, so the
      // node records EVM_ERROR (record_block_exec_result), with the error's domain.
      outcome =
        failedTxn.outcome === "reject"
          ? { kind: "evmError", domainId: TXN_ERROR_DOMAIN, statusCode: failedTxn.errorCode }
          : { kind: "evmError", domainId: failedTxn.errorDomain, statusCode: failedTxn.errorCode };
    } else {
      const y = rng.float();
      if (y < rp.blockReject) outcome = { kind: "reject", reason: 1 + rng.int(16) };
      else if (y < rp.blockReject + rp.blockEvmError) outcome = { kind: "evmError", domainId: TXN_ERROR_DOMAIN ^ 0xffn, statusCode: 1 + rng.int(8) };
    }

    const logsBloom = new Uint8Array(BLOOM_BYTES);
    for (const t of txns) {
      for (const log of t.logs) {
        bloomAdd(logsBloom, log.address);
        for (const topic of log.topics) bloomAdd(logsBloom, topic);
      }
    }

    const plan: BlockPlan = {
      number: this.number,
      round,
      epoch: Math.floor((this.number - cfg.startBlockNumber) / cfg.blocksPerEpoch) + 1,
      id: rng.bytes(32),
      parentHash: this.parentHash,
      wallMs,
      timestampSec,
      proposalEpochNanos: BigInt(Math.round(wallMs)) * 1_000_000n,
      validator,
      chainId: this.chainId,
      gasLimit: cfg.gasLimit,
      baseFee,
      prevRandao: rng.bytes(32),
      transactionsRoot: n === 0 ? EMPTY_TRIE_ROOT : rng.bytes(32),
      txns,
      prologue,
      epilogue,
      outcome,
      gasUsed,
      ethBlockHash: rng.bytes(32),
      stateRoot: rng.bytes(32),
      receiptsRoot: n === 0 ? EMPTY_TRIE_ROOT : rng.bytes(32),
      logsBloom,
    };

    if (outcome.kind === "end") {
      this.world.journal.commit();
      this.parentHash = plan.ethBlockHash;
      this.number++;
      this.baseFee = nextBaseFee(baseFee, gasUsed, cfg.gasLimit);
    } else {
      this.world.journal.rollback();
    }
    return plan;
  }

  /** System-call accesses before the transactions: EIP-2935 stores the parent hash. */
  private prologue(): AccountEntry[] {
    const set = new AccessSet();
    const h = this.world.historyStorage;
    const slot = new Uint8Array(32);
    new DataView(slot.buffer).setUint32(28, (this.number - 1 + HISTORY_SERVE_WINDOW) % HISTORY_SERVE_WINDOW);
    const old = this.number > HISTORY_SERVE_WINDOW ? this.rng.bigBits(256) : 0n;
    set.storage(h, slot, old, bytesToBigInt(this.parentHash));
    return set.finish();
  }

  /** System accesses after the transactions: the block reward credited to the beneficiary. */
  private epilogue(validator: Validator): AccountEntry[] {
    const set = new AccessSet();
    set.touch(validator.beneficiary);
    this.world.addBalance(validator.beneficiary, BLOCK_REWARD);
    return set.finish();
  }
}

/** EIP-1559 update towards half-full blocks, floored at Monad's minimum. */
export function nextBaseFee(baseFee: bigint, gasUsed: number, gasLimit: number): bigint {
  const target = BigInt(Math.floor(gasLimit / 2));
  const used = BigInt(gasUsed);
  const next = baseFee + (baseFee * (used - target)) / target / 8n;
  return next < MIN_BASE_FEE ? MIN_BASE_FEE : next;
}

function bytesToBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}
