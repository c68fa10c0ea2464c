// The JSON-RPC shapes the bridge reads (geth/anvil/reth spellings), and strict hex parsing: a node
// that sends something malformed gets an error naming the field, never a silently wrong event.

export type Hex = `0x${string}`;

export interface RpcAccessListItem {
  address: Hex;
  storageKeys: Hex[];
}

export interface RpcAuthorization {
  chainId: Hex;
  address: Hex;
  nonce: Hex;
  yParity?: Hex;
  v?: Hex;
  r: Hex;
  s: Hex;
}

export interface RpcTransaction {
  hash: Hex;
  from: Hex;
  type?: Hex;
  chainId?: Hex;
  nonce: Hex;
  gas: Hex;
  gasPrice?: Hex;
  maxFeePerGas?: Hex;
  maxPriorityFeePerGas?: Hex;
  value: Hex;
  to: Hex | null;
  input: Hex;
  r?: Hex;
  s?: Hex;
  v?: Hex;
  yParity?: Hex;
  accessList?: RpcAccessListItem[];
  authorizationList?: RpcAuthorization[];
  transactionIndex?: Hex;
}

export interface RpcBlock {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  sha3Uncles?: Hex;
  miner: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  logsBloom: Hex;
  difficulty?: Hex;
  gasLimit: Hex;
  gasUsed: Hex;
  timestamp: Hex;
  extraData?: Hex;
  mixHash?: Hex;
  nonce?: Hex;
  baseFeePerGas?: Hex;
  withdrawalsRoot?: Hex;
  /** Full transaction objects (eth_getBlockByNumber with `true`) or hashes (with `false`). */
  transactions: RpcTransaction[] | Hex[];
}

export interface RpcLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  logIndex?: Hex;
}

export interface RpcReceipt {
  transactionHash: Hex;
  status?: Hex;
  gasUsed: Hex;
  logs: RpcLog[];
  contractAddress?: Hex | null;
}

/** One frame of geth's callTracer (debug_traceBlockByNumber with tracer "callTracer"). */
export interface RpcCallFrame {
  type: string;
  from: Hex;
  to?: Hex;
  value?: Hex;
  gas?: Hex;
  gasUsed?: Hex;
  input?: Hex;
  output?: Hex;
  error?: string;
  revertReason?: string;
  calls?: RpcCallFrame[];
}

/** One account in geth's prestateTracer output (absent fields are zero / empty). */
export interface RpcAccountState {
  balance?: Hex;
  nonce?: number | Hex;
  code?: Hex;
  codeHash?: Hex;
  storage?: Record<string, Hex>;
}

export type RpcPrestate = Record<string, RpcAccountState>;

export interface RpcPrestateDiff {
  pre: RpcPrestate;
  post: RpcPrestate;
}

/** debug_traceBlockByNumber returns one of these per transaction, in block order. */
export interface RpcTraceResult<T> {
  txHash?: Hex;
  result?: T;
  error?: string;
}

/** A field value that is not what the RPC spec says: names the field and the value. */
export class RpcShapeError extends Error {
  constructor(what: string, value: unknown) {
    super(`unexpected JSON-RPC data: ${what} = ${JSON.stringify(value)?.slice(0, 100)}`);
    this.name = "RpcShapeError";
  }
}

const HEX_QUANTITY = /^0x[0-9a-fA-F]+$/;
const HEX_DATA = /^0x(?:[0-9a-fA-F]{2})*$/;

export function quantity(v: unknown, what: string): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v !== "string" || !HEX_QUANTITY.test(v)) throw new RpcShapeError(what, v);
  return BigInt(v);
}

export function optionalQuantity(v: unknown, what: string, fallback = 0n): bigint {
  return v === undefined || v === null ? fallback : quantity(v, what);
}

/** A quantity that must fit a JS number (block numbers, gas, nonces). */
export function smallQuantity(v: unknown, what: string): number {
  const x = quantity(v, what);
  if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw new RpcShapeError(what, v);
  return Number(x);
}

export function data(v: unknown, what: string, size?: number): Uint8Array {
  if (typeof v !== "string" || !HEX_DATA.test(v)) throw new RpcShapeError(what, v);
  const out = Buffer.from(v.slice(2), "hex");
  if (size !== undefined && out.length !== size) throw new RpcShapeError(`${what} (${size} bytes expected)`, v);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

export function optionalData(v: unknown, what: string, size: number): Uint8Array {
  return v === undefined || v === null ? new Uint8Array(size) : data(v, what, size);
}

/** 32-byte word from a storage key/value, which nodes may send unpadded ("0x1"). */
export function word(v: unknown, what: string): Uint8Array {
  if (typeof v !== "string" || !HEX_QUANTITY.test(v) || v.length > 66) throw new RpcShapeError(what, v);
  return data("0x" + v.slice(2).padStart(64, "0"), what, 32);
}

export function toHex(n: number | bigint): Hex {
  return `0x${n.toString(16)}`;
}
