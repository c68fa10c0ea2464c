// What one simulated transaction did, fully decided before any event is written.
//
// Planning a whole transaction first (rather than writing events while deciding) lets the header
// carry values only known at the end (gas limit, access list derived from the touched slots) and
// lets the block writer place the TXN_PERF markers freely around the transaction's events.

import type { AccountEntry } from "./access-set.js";

/** ok / revert produce output events; reject / evmError replace them (and fail the block). */
export type TxnOutcome = "ok" | "revert" | "reject" | "evmError";

export const OPCODE_CALL = 0xf1;
export const OPCODE_STATICCALL = 0xfa;
export const OPCODE_DELEGATECALL = 0xf4;
export const OPCODE_CREATE = 0xf0;

/** evmc_status_code values used here. */
export const EVMC_SUCCESS = 0;
export const EVMC_REVERT = 2;

export interface FramePlan {
  caller: Uint8Array;
  target: Uint8Array;
  opcode: number;
  value: bigint;
  gas: number;
  gasUsed: number;
  status: number;
  /** 0 for the transaction's top-level call, +1 per nested call. */
  depth: number;
  input: Uint8Array;
  output: Uint8Array;
}

export interface LogPlan {
  address: Uint8Array;
  /** 32-byte topics; stable instances (constants, cached account words) so the bloom cache hits. */
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface AccessListEntryPlan {
  address: Uint8Array;
  /** Storage keys, 32 bytes each, concatenated. */
  keys: Uint8Array;
  keyCount: number;
}

export interface AuthEntryPlan {
  chainId: bigint;
  address: Uint8Array;
  nonce: number;
  yParity: boolean;
  r: bigint;
  s: bigint;
  authority: Uint8Array;
  valid: boolean;
}

export interface TxnPlan {
  index: number;
  hash: Uint8Array;
  sender: Uint8Array;
  /** 0 legacy, 1 EIP-2930, 2 EIP-1559, 4 EIP-7702. */
  txnType: number;
  chainId: bigint;
  nonce: number;
  gasLimit: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  value: bigint;
  /** Zero address for contract creation. */
  to: Uint8Array;
  isContractCreation: boolean;
  r: bigint;
  s: bigint;
  yParity: boolean;
  data: Uint8Array;
  accessList: AccessListEntryPlan[];
  authList: AuthEntryPlan[];

  outcome: TxnOutcome;
  /** TXN_REJECT reason or EVM_ERROR status code. */
  errorCode: number;
  /** EVM_ERROR domain id. */
  errorDomain: bigint;
  /** Receipt gas_used (0 when rejected / EVM error). */
  gasUsed: number;
  /** Priority fee per gas actually paid (goes to the block's beneficiary). */
  tipPerGas: bigint;
  logs: LogPlan[];
  frames: FramePlan[];
  /** Transaction-context account accesses (access_context 1), in report order. */
  accounts: AccountEntry[];
  /** Simulated execution time, microseconds (drives TXN_PERF timestamps). */
  execMicros: number;
}
