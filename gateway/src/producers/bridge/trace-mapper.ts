// geth callTracer frames → TXN_CALL_FRAME plans.
//
// The tracer gives a tree (the transaction's top-level call with nested `calls`); the ring lists
// frames flat, in the order the calls started (pre-order), each with its depth (0 = the
// transaction's own call), as Monad's call tracer records them.

import { ZERO_ADDRESS } from "../sim/world.js";
import type { FramePlan } from "../sim/txn-plan.js";
import { data, optionalQuantity, smallQuantity, type RpcCallFrame } from "./rpc-types.js";

/** callTracer `type` → the EVM opcode Monad records in `opcode`. */
const OPCODES: Readonly<Record<string, number>> = {
  CALL: 0xf1,
  CALLCODE: 0xf2,
  DELEGATECALL: 0xf4,
  STATICCALL: 0xfa,
  CREATE: 0xf0,
  CREATE2: 0xf5,
  SELFDESTRUCT: 0xff,
};

/** evmc_status_code values (evmc.h). */
export const EVMC = {
  SUCCESS: 0,
  FAILURE: 1,
  REVERT: 2,
  OUT_OF_GAS: 3,
  INVALID_INSTRUCTION: 4,
  UNDEFINED_INSTRUCTION: 5,
  STACK_OVERFLOW: 6,
  STACK_UNDERFLOW: 7,
  BAD_JUMP_DESTINATION: 8,
  INVALID_MEMORY_ACCESS: 9,
  CALL_DEPTH_EXCEEDED: 10,
  STATIC_MODE_VIOLATION: 11,
  PRECOMPILE_FAILURE: 12,
} as const;

/** The tracer's error text (geth's vm errors, reth/anvil spellings) → an evmc status code. */
export function evmcStatus(error: string | undefined): number {
  if (!error) return EVMC.SUCCESS;
  const e = error.toLowerCase();
  if (e.includes("revert")) return EVMC.REVERT;
  if (e.includes("out of gas") || e.includes("outofgas")) return EVMC.OUT_OF_GAS;
  if (e.includes("invalid opcode") || e.includes("opcode not found") || e.includes("notactivated")) return EVMC.UNDEFINED_INSTRUCTION;
  if (e.includes("invalid jump")) return EVMC.BAD_JUMP_DESTINATION;
  if (e.includes("stack underflow")) return EVMC.STACK_UNDERFLOW;
  if (e.includes("stack limit") || e.includes("stack overflow")) return EVMC.STACK_OVERFLOW;
  if (e.includes("call depth") || e.includes("max call depth")) return EVMC.CALL_DEPTH_EXCEEDED;
  if (e.includes("write protection") || e.includes("static")) return EVMC.STATIC_MODE_VIOLATION;
  if (e.includes("invalidfeopcode") || e.includes("designated invalid")) return EVMC.INVALID_INSTRUCTION;
  if (e.includes("precompile")) return EVMC.PRECOMPILE_FAILURE;
  return EVMC.FAILURE;
}

/**
 * Flattens one transaction's call tree. `txGasLimit` stands in for a top-level `gas` the tracer
 * leaves at 0 (anvil does).
 */
export function mapCallFrames(root: RpcCallFrame, txGasLimit: number): FramePlan[] {
  const out: FramePlan[] = [];
  const visit = (f: RpcCallFrame, depth: number, path: string): void => {
    const type = String(f.type ?? "").toUpperCase();
    const opcode = OPCODES[type];
    if (opcode === undefined) throw new TypeError(`unexpected JSON-RPC data: call frame ${path}.type = ${JSON.stringify(f.type)}`);
    let gas = f.gas === undefined ? 0 : smallQuantity(f.gas, `${path}.gas`);
    if (depth === 0 && gas === 0) gas = txGasLimit;
    out.push({
      caller: data(f.from, `${path}.from`, 20),
      target: f.to ? data(f.to, `${path}.to`, 20) : ZERO_ADDRESS,
      opcode,
      value: optionalQuantity(f.value, `${path}.value`),
      gas,
      gasUsed: f.gasUsed === undefined ? 0 : smallQuantity(f.gasUsed, `${path}.gasUsed`),
      status: evmcStatus(f.error),
      depth,
      input: f.input ? data(f.input, `${path}.input`) : new Uint8Array(0),
      output: f.output ? data(f.output, `${path}.output`) : new Uint8Array(0),
    });
    const calls = f.calls ?? [];
    for (let i = 0; i < calls.length; i++) visit(calls[i], depth + 1, `${path}.calls[${i}]`);
  };
  visit(root, 0, "frame");
  return out;
}
