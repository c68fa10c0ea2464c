// Everything the bridge needs to know about one block, fetched over JSON-RPC, and which optional
// methods the node has (detected once, on the first block, and reported in the log):
//   - eth_getBlockReceipts (else eth_getTransactionReceipt per transaction);
//   - debug_traceBlockByNumber with callTracer (TXN_CALL_FRAME events; skipped without it);
//   - debug_traceBlockByNumber with prestateTracer, plain and diffMode (ACCOUNT_ACCESS /
//     STORAGE_ACCESS events, which the gateway's contention analysis needs; skipped without it).
// A block is returned only when all its parts were fetched and agree (same transactions, same
// block hash), so a reorg or an outage between two calls never produces a half-true block.

import type { Logger } from "pino";
import { RpcCallError, type RpcClient } from "./rpc-client.js";
import {
  toHex,
  type Hex,
  type RpcBlock,
  type RpcCallFrame,
  type RpcPrestate,
  type RpcPrestateDiff,
  type RpcReceipt,
  type RpcTraceResult,
  type RpcTransaction,
} from "./rpc-types.js";

export interface Capabilities {
  blockReceipts: boolean;
  callTraces: boolean;
  accessTraces: boolean;
}

export interface TxnTraces {
  calls?: RpcCallFrame;
  prestate?: RpcPrestate;
  diff?: RpcPrestateDiff;
}

export interface FetchedBlock {
  block: RpcBlock & { transactions: RpcTransaction[] };
  receipts: RpcReceipt[];
  /** Per transaction, in block order; empty objects when the node has no tracers. */
  traces: TxnTraces[];
}

export interface BlockHeaderRef {
  number: number;
  hash: Hex;
  parentHash: Hex;
}

/** The chain changed between the calls that fetch one block: fetch it again. */
export class ChainMovedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChainMovedError";
  }
}

export interface BlockSourceOptions {
  /** Use callTracer when the node has it (default true). */
  callTraces: boolean;
  /** Use prestateTracer when the node has it (default true). */
  accessTraces: boolean;
}

const CALL_TRACER = { tracer: "callTracer" };
const PRESTATE_TRACER = { tracer: "prestateTracer" };
const PRESTATE_DIFF_TRACER = { tracer: "prestateTracer", tracerConfig: { diffMode: true } };

export class BlockSource {
  private caps: Capabilities | undefined;
  /** Blocks whose traces failed (not detected as missing), so the warning names them. */
  traceFailures = 0;

  constructor(
    private readonly rpc: RpcClient,
    private readonly options: BlockSourceOptions,
    private readonly log: Logger,
  ) {}

  get capabilities(): Capabilities | undefined {
    return this.caps;
  }

  async chainId(signal?: AbortSignal): Promise<bigint> {
    return BigInt(await this.rpc.call<Hex>("eth_chainId", [], signal));
  }

  async headNumber(signal?: AbortSignal): Promise<number> {
    return Number(BigInt(await this.rpc.call<Hex>("eth_blockNumber", [], signal)));
  }

  async header(n: number, signal?: AbortSignal): Promise<BlockHeaderRef | null> {
    const b = await this.rpc.call<RpcBlock | null>("eth_getBlockByNumber", [toHex(n), false], signal);
    return b ? { number: Number(BigInt(b.number)), hash: b.hash, parentHash: b.parentHash } : null;
  }

  /** The block with its receipts and traces, or null if the node has no block `n` (yet). */
  async fetch(n: number, signal?: AbortSignal): Promise<FetchedBlock | null> {
    const tag = toHex(n);
    const block = await this.rpc.call<RpcBlock | null>("eth_getBlockByNumber", [tag, true], signal);
    if (!block) return null;
    const txns = block.transactions as RpcTransaction[];
    if (txns.some((t) => typeof t !== "object")) throw new ChainMovedError(`block ${n}: the node returned transaction hashes, not objects`);
    const caps = this.caps ?? (await this.detect(tag, signal));
    const traced = txns.length > 0;
    // The node re-executes the block for every trace (the slow part): ask for all at once.
    const [receipts, calls, plain, diff] = await Promise.all([
      this.receipts(tag, txns, caps, signal),
      traced && caps.callTraces ? this.trace<RpcCallFrame>(tag, CALL_TRACER, n, signal) : undefined,
      traced && caps.accessTraces ? this.trace<RpcPrestate>(tag, PRESTATE_TRACER, n, signal) : undefined,
      traced && caps.accessTraces ? this.trace<RpcPrestateDiff>(tag, PRESTATE_DIFF_TRACER, n, signal) : undefined,
    ]);
    checkReceipts(n, block, txns, receipts);
    const traces: TxnTraces[] = txns.map(() => ({}));
    this.attach(n, txns, traces, calls, "calls");
    // Accesses need both views; with only one, the events would lie about reads or writes.
    if (plain && diff) {
      this.attach(n, txns, traces, plain, "prestate");
      this.attach(n, txns, traces, diff, "diff");
    }
    return { block: block as FetchedBlock["block"], receipts, traces };
  }

  /** Detects the optional methods on the first block fetched; logs what the ring will contain. */
  private async detect(tag: Hex, signal?: AbortSignal): Promise<Capabilities> {
    const probe = async (method: string, params: unknown[]): Promise<string | undefined> => {
      try {
        await this.rpc.call(method, params, signal);
        return undefined;
      } catch (e) {
        if (e instanceof RpcCallError) return e.rpcMessage;
        throw e; // unreachable node: detection happens again on the next attempt
      }
    };
    const receiptsErr = await probe("eth_getBlockReceipts", [tag]);
    const callErr = this.options.callTraces ? await probe("debug_traceBlockByNumber", [tag, CALL_TRACER]) : "disabled by --no-call-frames";
    let accessErr = this.options.accessTraces ? await probe("debug_traceBlockByNumber", [tag, PRESTATE_TRACER]) : "disabled by --no-accesses";
    accessErr ??= await probe("debug_traceBlockByNumber", [tag, PRESTATE_DIFF_TRACER]);
    const caps = { blockReceipts: receiptsErr === undefined, callTraces: callErr === undefined, accessTraces: accessErr === undefined };
    this.log.info({ capabilities: caps }, "RPC node capabilities detected");
    if (receiptsErr !== undefined) this.log.info({ reason: receiptsErr }, "eth_getBlockReceipts unavailable: fetching receipts one transaction at a time");
    if (callErr !== undefined) this.log.warn({ reason: callErr }, "call traces unavailable (debug_traceBlockByNumber callTracer): TXN_CALL_FRAME events are skipped");
    if (accessErr !== undefined) {
      this.log.warn({ reason: accessErr }, "state traces unavailable (debug_traceBlockByNumber prestateTracer): ACCOUNT_ACCESS / STORAGE_ACCESS events are skipped, so the gateway's contention data stays empty");
    }
    this.caps = caps;
    return caps;
  }

  private async receipts(tag: Hex, txns: RpcTransaction[], caps: Capabilities, signal?: AbortSignal): Promise<RpcReceipt[]> {
    if (caps.blockReceipts) return (await this.rpc.call<RpcReceipt[] | null>("eth_getBlockReceipts", [tag], signal)) ?? [];
    const out: RpcReceipt[] = [];
    for (const t of txns) {
      const r = await this.rpc.call<RpcReceipt | null>("eth_getTransactionReceipt", [t.hash], signal);
      if (!r) throw new ChainMovedError(`no receipt yet for transaction ${t.hash}`);
      out.push(r);
    }
    return out;
  }

  /** A block trace, or undefined (with a warning) when this block's trace failed. */
  private async trace<T>(tag: Hex, config: object, n: number, signal?: AbortSignal): Promise<RpcTraceResult<T>[] | undefined> {
    try {
      return await this.rpc.call<RpcTraceResult<T>[]>("debug_traceBlockByNumber", [tag, config], signal);
    } catch (e) {
      if (!(e instanceof RpcCallError)) throw e;
      this.traceFailures++;
      this.log.warn({ block: n, tracer: config, reason: e.rpcMessage }, "trace failed for this block: recorded without its traces");
      return undefined;
    }
  }

  private attach<K extends keyof TxnTraces>(n: number, txns: RpcTransaction[], out: TxnTraces[], results: RpcTraceResult<TxnTraces[K]>[] | undefined, key: K): void {
    if (!results) return;
    if (results.length !== txns.length) throw new ChainMovedError(`block ${n}: ${results.length} traces for ${txns.length} transactions`);
    for (let i = 0; i < txns.length; i++) {
      const r = results[i];
      if (r.txHash !== undefined && r.txHash.toLowerCase() !== txns[i].hash.toLowerCase()) {
        throw new ChainMovedError(`block ${n}: trace ${i} is for ${r.txHash}, not ${txns[i].hash}`);
      }
      if (r.result !== undefined) out[i][key] = r.result;
    }
  }
}

function checkReceipts(n: number, block: RpcBlock, txns: RpcTransaction[], receipts: RpcReceipt[]): void {
  if (receipts.length !== txns.length) throw new ChainMovedError(`block ${n}: ${receipts.length} receipts for ${txns.length} transactions`);
  for (let i = 0; i < txns.length; i++) {
    const r = receipts[i] as RpcReceipt & { blockHash?: Hex };
    if (r.transactionHash.toLowerCase() !== txns[i].hash.toLowerCase() || (r.blockHash !== undefined && r.blockHash.toLowerCase() !== block.hash.toLowerCase())) {
      throw new ChainMovedError(`block ${n}: receipt ${i} (${r.transactionHash}) does not belong to block ${block.hash}`);
    }
  }
}
