// What the simulated transaction kinds do: native transfers, ERC-20 transfers, DEX swaps through
// a router, contract deployments, and the nested calls that make a transaction touch a hot slot.
//
// Each kind records its calls (pre-order, with real nesting depth), logs and storage accesses on
// a TxnBody, so frames, logs and storage always agree: a Transfer log for every balance move, a
// call frame for every contract whose storage is touched, native value moving at depth 1
// (wrapping into a pool) and depth 3 (unwrapping to the trader), as "native transfers" do.
// Storage keys are the real Solidity ones (keccak mapping slots, Uniswap-V2 pool slots).

import { calldata, EMPTY, RETURN_TRUE, SEL, TOPIC, word, words } from "./abi.js";
import type { HotSlot } from "./contention.js";
import { keccak256 } from "./keccak.js";
import type { Prng } from "./prng.js";
import type { TxnBody } from "./txn-body.js";
import { OPCODE_CALL, OPCODE_CREATE, OPCODE_STATICCALL } from "./txn-plan.js";
import {
  addressTopic,
  POOL_SLOT_PRICE0_CUMULATIVE,
  POOL_SLOT_PRICE1_CUMULATIVE,
  POOL_SLOT_RESERVES,
  slotKey,
  type Account,
  type Pool,
  type World,
} from "./world.js";

export interface KindContext {
  world: World;
  rng: Prng;
  /** The block's timestamp (swap deadlines, reserve timestamps). */
  timestampSec: number;
}

const KEY_RESERVES = slotKey(POOL_SLOT_RESERVES);
const KEY_PRICE0 = slotKey(POOL_SLOT_PRICE0_CUMULATIVE);
const KEY_PRICE1 = slotKey(POOL_SLOT_PRICE1_CUMULATIVE);
/** Transient (EIP-1153) reentrancy-lock key used by the pools. */
const KEY_LOCK = slotKey(0);
const ZERO_TOPIC = new Uint8Array(32);

/** 1 … 1e6 whole tokens (18 decimals), spread over orders of magnitude. */
export function tokenAmount(rng: Prng): bigint {
  return BigInt(1 + rng.int(1000)) * 10n ** BigInt(15 + rng.int(7));
}

/** A random EOA other than `not`. */
export function otherEoa(x: KindContext, not: Account): Account {
  const eoas = x.world.eoas;
  let a = eoas[x.rng.int(eoas.length)];
  if (a === not) a = eoas[(eoas.indexOf(a) + 1) % eoas.length];
  return a;
}

export function nativeTransfer(x: KindContext, b: TxnBody, sender: Account): { to: Account; value: bigint } {
  const to = otherEoa(x, sender);
  const value = (sender.balance * BigInt(1 + x.rng.int(100))) / 10_000n;
  b.call(0, sender, to, OPCODE_CALL, value, EMPTY, EMPTY, 0);
  return { to, value };
}

export function erc20Transfer(x: KindContext, b: TxnBody, sender: Account, token: Account, recipient?: Account): { to: Account; data: Uint8Array } {
  const to = recipient ?? otherEoa(x, sender);
  const want = tokenAmount(x.rng);
  const data = calldata(SEL.transfer, to.address, want);
  const top = b.call(0, sender, token, OPCODE_CALL, 0n, data, RETURN_TRUE, 0);
  const moved = b.tokenMove(token, sender, to, want);
  b.log(token, [TOPIC.transfer, addressTopic(sender), addressTopic(to)], word(moved));
  // Patch the calldata amount to what actually moved so input, log and storage agree.
  if (moved !== want) b.frames[top].input = calldata(SEL.transfer, to.address, moved);
  b.selfGas[top] = 2 * 5000 + 375 * 3 + 8 * 32 + 375 + 1500 + x.rng.int(4000);
  return { to: token, data: b.frames[top].input };
}

export function swap(x: KindContext, b: TxnBody, sender: Account, pool: Pool): { to: Account; value: bigint; data: Uint8Array } {
  const w = x.world;
  const router = w.router;
  const wrapped = w.wrappedNative;
  const zeroForOne = x.rng.chance(0.5);
  const tokenIn = zeroForOne ? pool.token0 : pool.token1;
  const tokenOut = zeroForOne ? pool.token1 : pool.token0;
  const ethIn = tokenIn === wrapped;
  const ethOut = tokenOut === wrapped;
  const amountIn = ethIn ? (sender.balance * BigInt(1 + x.rng.int(50))) / 10_000n : tokenAmount(x.rng);
  let amountOut = (amountIn * BigInt(900 + x.rng.int(200))) / 1000n;
  // Never unwrap more native currency than the wrapper holds (balances stay non-negative).
  if (ethOut && amountOut > wrapped.balance / 1000n) amountOut = wrapped.balance / 1000n;
  const deadline = BigInt(x.timestampSec + 600);
  const sel = ethIn ? SEL.swapExactETHForTokens : ethOut ? SEL.swapExactTokensForETH : SEL.swapExactTokensForTokens;
  const args: Array<bigint | Uint8Array> = ethIn ? [0n, 128n, sender.address, deadline] : [amountIn, 0n, 160n, sender.address, deadline];
  const data = calldata(sel, ...args, 2n, tokenIn.address, tokenOut.address);
  const value = ethIn ? amountIn : 0n;

  const top = b.call(0, sender, router, OPCODE_CALL, value, data, words(64n, 2n, amountIn, amountOut), 3000 + x.rng.int(3000));
  // Quote from the reserves.
  b.call(1, router, pool.account, OPCODE_STATICCALL, 0n, calldata(SEL.getReserves), words(1n, 2n, 3n), 2100 + 800);
  b.sload(pool.account, KEY_RESERVES);
  // Pay the pool.
  if (ethIn) {
    // Wrap straight into the pool (WETH10-style depositTo): native value moves at depth 1, and
    // no router-owned balance slot becomes an unconfigured hot spot.
    b.call(1, router, wrapped, OPCODE_CALL, amountIn, calldata(SEL.depositTo, pool.account.address), EMPTY, 5000 + 1500 + 375 * 3);
    b.sstore(wrapped, w.balanceKey(pool.account), (old) => old + amountIn);
    b.log(wrapped, [TOPIC.transfer, ZERO_TOPIC, addressTopic(pool.account)], word(amountIn));
  } else {
    b.call(1, router, tokenIn, OPCODE_CALL, 0n, calldata(SEL.transferFrom, sender.address, pool.account.address, amountIn), RETURN_TRUE, 15_000 + 1875);
    b.sstore(tokenIn, w.routerAllowanceKey(sender), (old) => (old > amountIn ? old - amountIn : 0n), amountIn);
    b.tokenMove(tokenIn, sender, pool.account, amountIn);
    b.log(tokenIn, [TOPIC.transfer, addressTopic(sender), addressTopic(pool.account)], word(amountIn));
  }
  // The swap itself: pay out, re-read balances, update reserves and price accumulators.
  b.call(1, router, pool.account, OPCODE_CALL, 0n, calldata(SEL.swap, zeroForOne ? 0n : amountOut, zeroForOne ? amountOut : 0n, sender.address, 128n, 0n), EMPTY, 3 * 5000 + 2 * 1500 + x.rng.int(3000));
  b.tstore(pool.account, KEY_LOCK);
  if (ethOut) {
    // Unwrap straight to the trader (withdrawTo): native value moves at depth 3.
    b.call(2, pool.account, wrapped, OPCODE_CALL, 0n, calldata(SEL.withdrawTo, sender.address, amountOut), EMPTY, 5000 + 1500 + 375 * 3);
    b.sstore(wrapped, w.balanceKey(pool.account), (old) => (old > amountOut ? old - amountOut : 0n), amountOut);
    b.log(wrapped, [TOPIC.transfer, addressTopic(pool.account), ZERO_TOPIC], word(amountOut));
    b.call(3, wrapped, sender, OPCODE_CALL, amountOut, EMPTY, EMPTY, 9000);
  } else {
    b.call(2, pool.account, tokenOut, OPCODE_CALL, 0n, calldata(SEL.transfer, sender.address, amountOut), RETURN_TRUE, 10_000 + 1875);
    b.tokenMove(tokenOut, pool.account, sender, amountOut);
    b.log(tokenOut, [TOPIC.transfer, addressTopic(pool.account), addressTopic(sender)], word(amountOut));
  }
  b.call(2, pool.account, pool.token0, OPCODE_STATICCALL, 0n, calldata(SEL.balanceOf, pool.account.address), word(1n), 2100 + 700);
  b.sload(pool.token0, w.balanceKey(pool.account));
  b.call(2, pool.account, pool.token1, OPCODE_STATICCALL, 0n, calldata(SEL.balanceOf, pool.account.address), word(1n), 2100 + 700);
  b.sload(pool.token1, w.balanceKey(pool.account));
  const r0 = x.rng.bigBits(96);
  const r1 = x.rng.bigBits(96);
  b.sstore(pool.account, KEY_RESERVES, () => (BigInt(x.timestampSec % 2 ** 32) << 224n) | (r1 << 112n) | r0);
  b.sstore(pool.account, KEY_PRICE0, (old) => old + x.rng.bigBits(64));
  b.sstore(pool.account, KEY_PRICE1, (old) => old + x.rng.bigBits(64));
  b.log(pool.account, [TOPIC.sync], words(r0, r1));
  b.log(pool.account, [TOPIC.swap, addressTopic(router), addressTopic(sender)], words(zeroForOne ? amountIn : 0n, zeroForOne ? 0n : amountIn, zeroForOne ? 0n : amountOut, zeroForOne ? amountOut : 0n));
  return { to: router, value, data: b.frames[top].input };
}

export function deploy(x: KindContext, b: TxnBody, sender: Account): { to: Account; data: Uint8Array } {
  const rng = x.rng;
  const initcode = rng.bytes(200 + rng.int(600));
  initcode.set([0x60, 0x80, 0x60, 0x40, 0x52]); // the usual solc prologue
  const runtime = rng.bytes(100 + rng.int(300));
  const created = x.world.account(rng.bytes(20), keccak256(runtime), 0, 0n);
  b.access.touch(created);
  if (!b.failed) x.world.setNonce(created, 1); // EIP-161: a new contract starts at nonce 1
  b.call(0, sender, created, OPCODE_CREATE, 0n, initcode, runtime, 200 * runtime.length + 20_000);
  const slots = 1 + rng.int(4);
  for (let i = 0; i < slots; i++) b.sstore(created, slotKey(i), () => x.rng.bigBits(160), 0n);
  return { to: created, data: initcode };
}

/** A nested call from the top-level callee to a hot contract that reads or writes `slot`. */
export function hotCall(x: KindContext, b: TxnBody, sender: Account, caller: Account, slot: HotSlot, write: boolean): void {
  const c = slot.contract;
  if (slot.kind === "token" && slot.holder !== undefined) {
    if (write) {
      // The callee pulls tokens from the trader to the popular holder (transferFrom), so the
      // only shared slot is the holder's entry; the trader's balance and allowance stay cold.
      const want = tokenAmount(x.rng);
      const holder = slot.holder;
      b.call(1, caller, c, OPCODE_CALL, 0n, calldata(SEL.transferFrom, sender.address, holder.address, want), RETURN_TRUE, 15_000 + 1875);
      b.sstore(c, x.world.allowanceKey(sender, caller), (old) => (old > want ? old - want : 0n), want);
      const moved = b.tokenMove(c, sender, holder, want);
      b.log(c, [TOPIC.transfer, addressTopic(sender), addressTopic(holder)], word(moved));
    } else {
      b.call(1, caller, c, OPCODE_STATICCALL, 0n, calldata(SEL.balanceOf, slot.holder.address), word(slot.value), 2100 + 700);
      b.sload(c, slot.key);
    }
    return;
  }
  if (write) {
    const r0 = x.rng.bigBits(96);
    const r1 = x.rng.bigBits(96);
    b.call(1, caller, c, OPCODE_CALL, 0n, calldata(SEL.sync), EMPTY, 5000 + 2 * 2100 + 1000);
    b.sstore(c, slot.key, () => (r1 << 112n) | r0);
    b.log(c, [TOPIC.sync], words(r0, r1));
  } else {
    b.call(1, caller, c, OPCODE_STATICCALL, 0n, calldata(SEL.getReserves), words(1n, 2n, 3n), 2100 + 800);
    b.sload(c, slot.key);
  }
}
