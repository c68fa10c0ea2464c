// One fetched RPC block → the simulator's BlockPlan, which the simulator's BlockWriter turns into
// ring events in a Monad node's order. Field by field mapping: README.md in this folder.
//
// Real (from the node): every Ethereum header field, every transaction field, receipts (status,
// gas used, logs), call frames and state accesses from the tracers. Synthesized (the node has no
// Monad consensus): the block id, round, epoch, author key, execution times, PERF markers.

import { recoverAuthorizationAddress } from "viem/utils";
import type { AuthEntryPlan, AccessListEntryPlan, LogPlan, TxnPlan } from "../sim/txn-plan.js";
import type { BlockPlan } from "../sim/chain-model.js";
import { keccak256 } from "../sim/keccak.js";
import { ZERO_ADDRESS, type Account, type Validator } from "../sim/world.js";
import { mapAccountAccesses, type AccountBook } from "./access-mapper.js";
import type { FetchedBlock, TxnTraces } from "./block-source.js";
import { mapCallFrames } from "./trace-mapper.js";
import {
  data,
  optionalData,
  optionalQuantity,
  quantity,
  smallQuantity,
  type RpcAuthorization,
  type RpcReceipt,
  type RpcTransaction,
} from "./rpc-types.js";

/** Consensus facts the node does not have, decided by the bridge. */
export interface ConsensusTag {
  /** Consensus block id: the Ethereum block hash (unique per block, changes on a reorg). */
  id: Uint8Array;
  round: number;
  epoch: number;
}

/** Monad epochs are 50,000 blocks; the bridge numbers them the same way. */
export const BLOCKS_PER_EPOCH = 50_000;

/** Synthesized execution speed for the PERF markers' spacing: 100 gas per microsecond. */
const GAS_PER_MICROSECOND = 100;

const TX_TYPES = new Set([0, 1, 2, 3, 4]);

export async function mapBlock(f: FetchedBlock, chainId: bigint, tag: ConsensusTag, book: AccountBook): Promise<BlockPlan> {
  const b = f.block;
  const number = smallQuantity(b.number, "block.number");
  const timestampSec = smallQuantity(b.timestamp, "block.timestamp");
  const beneficiary = book.get(b.miner);
  const txns: TxnPlan[] = [];
  for (let i = 0; i < b.transactions.length; i++) {
    txns.push(await mapTxn(b.transactions[i], i, f.receipts[i], f.traces[i], chainId, book));
  }
  const extra = b.extraData ? data(b.extraData, "block.extraData") : new Uint8Array(0);
  const extraData = new Uint8Array(32);
  extraData.set(extra.subarray(0, 32));
  return {
    number,
    round: tag.round,
    epoch: tag.epoch,
    id: tag.id,
    parentHash: data(b.parentHash, "block.parentHash", 32),
    wallMs: timestampSec * 1000,
    timestampSec,
    proposalEpochNanos: BigInt(timestampSec) * 1_000_000_000n,
    validator: syntheticValidator(beneficiary),
    chainId,
    gasLimit: smallQuantity(b.gasLimit, "block.gasLimit"),
    baseFee: optionalQuantity(b.baseFeePerGas, "block.baseFeePerGas"),
    prevRandao: optionalData(b.mixHash, "block.mixHash", 32),
    transactionsRoot: data(b.transactionsRoot, "block.transactionsRoot", 32),
    txns,
    prologue: [],
    epilogue: [],
    outcome: { kind: "end" },
    gasUsed: smallQuantity(b.gasUsed, "block.gasUsed"),
    ethBlockHash: data(b.hash, "block.hash", 32),
    stateRoot: data(b.stateRoot, "block.stateRoot", 32),
    receiptsRoot: data(b.receiptsRoot, "block.receiptsRoot", 32),
    logsBloom: data(b.logsBloom, "block.logsBloom", 256),
    header: {
      ommersHash: b.sha3Uncles ? data(b.sha3Uncles, "block.sha3Uncles", 32) : undefined,
      difficulty: b.difficulty ? quantity(b.difficulty, "block.difficulty") : 0n,
      extraData,
      extraDataLength: Math.min(extra.length, 32),
      nonce: optionalData(b.nonce, "block.nonce", 8),
      withdrawalsRoot: b.withdrawalsRoot ? data(b.withdrawalsRoot, "block.withdrawalsRoot", 32) : undefined,
    },
  };
}

/** Monad's BLOCK_START carries the author's 33-byte public key; a devnet has none: 0x02 ‖ keccak(miner). */
function syntheticValidator(beneficiary: Account): Validator {
  const author = new Uint8Array(33);
  author[0] = 0x02;
  author.set(keccak256(beneficiary.address), 1);
  return { author, beneficiary };
}

async function mapTxn(t: RpcTransaction, index: number, r: RpcReceipt, traces: TxnTraces, blockChainId: bigint, book: AccountBook): Promise<TxnPlan> {
  const w = `transaction ${t.hash}`;
  const typeNum = t.type === undefined ? 0 : smallQuantity(t.type, `${w}.type`);
  // Non-Ethereum types (e.g. OP deposits) have no Monad equivalent: recorded as legacy.
  const txnType = TX_TYPES.has(typeNum) ? typeNum : 0;
  const v = optionalQuantity(t.v, `${w}.v`);
  const legacyChainId = v >= 35n ? (v - 35n) / 2n : 0n;
  const gasPrice = optionalQuantity(t.gasPrice, `${w}.gasPrice`);
  const gasLimit = smallQuantity(t.gas, `${w}.gas`);
  const gasUsed = smallQuantity(r.gasUsed, `${w} receipt.gasUsed`);
  const status = r.status === undefined ? 1n : quantity(r.status, `${w} receipt.status`);
  const isContractCreation = t.to === null || t.to === undefined;
  const frames = traces.calls ? mapCallFrames(traces.calls, gasLimit) : [];
  return {
    index,
    hash: data(t.hash, `${w}.hash`, 32),
    sender: data(t.from, `${w}.from`, 20),
    txnType,
    chainId: t.chainId !== undefined ? quantity(t.chainId, `${w}.chainId`) : txnType === 0 ? legacyChainId : blockChainId,
    nonce: smallQuantity(t.nonce, `${w}.nonce`),
    gasLimit,
    maxFeePerGas: optionalQuantity(t.maxFeePerGas, `${w}.maxFeePerGas`, gasPrice),
    maxPriorityFeePerGas: optionalQuantity(t.maxPriorityFeePerGas, `${w}.maxPriorityFeePerGas`, gasPrice),
    value: quantity(t.value, `${w}.value`),
    to: isContractCreation ? ZERO_ADDRESS : data(t.to, `${w}.to`, 20),
    isContractCreation,
    r: optionalQuantity(t.r, `${w}.r`),
    s: optionalQuantity(t.s, `${w}.s`),
    yParity: t.yParity !== undefined ? quantity(t.yParity, `${w}.yParity`) === 1n : v >= 35n ? (v - 35n) % 2n === 1n : v === 28n,
    data: data(t.input, `${w}.input`),
    accessList: (t.accessList ?? []).map((e, i): AccessListEntryPlan => {
      const keys = new Uint8Array(32 * e.storageKeys.length);
      e.storageKeys.forEach((k, j) => keys.set(data(k, `${w}.accessList[${i}].storageKeys[${j}]`, 32), 32 * j));
      return { address: data(e.address, `${w}.accessList[${i}].address`, 20), keys, keyCount: e.storageKeys.length };
    }),
    authList: await Promise.all((t.authorizationList ?? []).map((a, i) => mapAuthorization(a, `${w}.authorizationList[${i}]`))),
    outcome: status === 1n ? "ok" : "revert",
    errorCode: 0,
    errorDomain: 0n,
    gasUsed,
    tipPerGas: 0n,
    logs: r.logs.map(
      (l, i): LogPlan => ({
        address: data(l.address, `${w} log ${i}.address`, 20),
        topics: l.topics.map((tp, j) => data(tp, `${w} log ${i}.topics[${j}]`, 32)),
        data: data(l.data, `${w} log ${i}.data`),
      }),
    ),
    frames,
    accounts: traces.prestate && traces.diff ? mapAccountAccesses(traces.prestate, traces.diff, book) : [],
    execMicros: Math.max(1, gasUsed / GAS_PER_MICROSECOND),
  };
}

async function mapAuthorization(a: RpcAuthorization, w: string): Promise<AuthEntryPlan> {
  const chainId = quantity(a.chainId, `${w}.chainId`);
  const nonce = smallQuantity(a.nonce, `${w}.nonce`);
  const yParity = Number(optionalQuantity(a.yParity ?? a.v, `${w}.yParity`));
  const r = quantity(a.r, `${w}.r`);
  const s = quantity(a.s, `${w}.s`);
  let authority: Uint8Array = ZERO_ADDRESS;
  let valid = false;
  try {
    const addr = await recoverAuthorizationAddress({
      authorization: { address: a.address, chainId: Number(chainId), nonce, r: a.r, s: a.s, yParity },
    });
    authority = data(addr, `${w} authority`, 20);
    valid = true;
  } catch {
    // An unrecoverable signature: Monad records it with is_valid_authority = false.
  }
  return { chainId, address: data(a.address, `${w}.address`, 20), nonce, yParity: yParity === 1, r, s, authority, valid };
}
