// A local anvil chain driven through viem: deploy, call, send, decode reverts and events, move time.
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeErrorResult,
  decodeEventLog,
  encodeDeployData,
  getAddress,
  TransactionReceiptNotFoundError,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type TestClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { mnemonicToAccount, type HDAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { allErrorsAndEvents, artifact } from "./artifacts.js";
import { startAnvil, type Anvil } from "./anvil.js";

const MNEMONIC = "test test test test test test test test test test test junk";

export interface DecodedEvent {
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
}

export interface Sent extends TransactionReceipt {
  events: DecodedEvent[];
}

export interface WriteOptions {
  from?: Address;
  value?: bigint;
  /** Mine the transaction in a block with this timestamp. */
  at?: bigint;
  gas?: bigint;
}

export class Chain {
  readonly public: PublicClient;
  readonly wallet: WalletClient;
  readonly test: TestClient;
  /** anvil's funded, unlocked accounts; `signers[i]` holds the key of `accounts[i]`. */
  readonly accounts: Address[];
  readonly signers: HDAccount[];

  private constructor(
    readonly anvil: Anvil,
    readonly chainId: number,
  ) {
    const transport = http(anvil.url, { batch: false, retryCount: 0 });
    const chain = { ...foundry, id: chainId };
    this.public = createPublicClient({ chain, transport, pollingInterval: 50 });
    this.wallet = createWalletClient({ chain, transport });
    this.test = createTestClient({ chain, transport, mode: "anvil" });
    this.signers = Array.from({ length: 10 }, (_, i) => mnemonicToAccount(MNEMONIC, { addressIndex: i }));
    this.accounts = this.signers.map((s) => s.address);
  }

  static async start(args: string[] = []): Promise<Chain> {
    const anvil = await startAnvil(args);
    const res = await fetch(anvil.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    const chainId = Number(((await res.json()) as { result: string }).result);
    return new Chain(anvil, chainId);
  }

  stop(): Promise<void> {
    return this.anvil.stop();
  }

  async deploy(name: string, args: unknown[] = [], from?: Address): Promise<Contract> {
    const { abi, bytecode } = artifact(name);
    const account = from ?? this.accounts[0];
    const data = encodeDeployData({ abi, bytecode, args });
    let gas: bigint;
    try {
      gas = await this.public.estimateGas({ account, data });
    } catch (err) {
      throw new Error(`deploying ${name} reverted: ${revertName(err, abi)}`);
    }
    const hash = await this.wallet.sendTransaction({ account, data, gas, chain: this.wallet.chain });
    const receipt = await this.receipt(hash);
    if (!receipt.contractAddress || receipt.status !== "success") throw new Error(`deploying ${name} failed`);
    return new Contract(this, name, getAddress(receipt.contractAddress), abi, receipt.gasUsed);
  }

  at(name: string, address: Address): Contract {
    return new Contract(this, name, getAddress(address), artifact(name).abi, 0n);
  }

  /** The timestamp of the latest block. */
  async now(): Promise<bigint> {
    return (await this.public.getBlock({ blockTag: "latest" })).timestamp;
  }

  async setNextTimestamp(t: bigint): Promise<void> {
    await this.test.setNextBlockTimestamp({ timestamp: t });
  }

  /** Mines an empty block at `t`, so that views (eth_call on latest) see that time. */
  async mineAt(t: bigint): Promise<void> {
    await this.setNextTimestamp(t);
    await this.test.mine({ blocks: 1 });
  }

  async snapshot(): Promise<Hex> {
    return this.test.snapshot();
  }

  async revert(id: Hex): Promise<void> {
    const ok = (await this.test.request({ method: "evm_revert", params: [id] })) as unknown as boolean;
    if (!ok) throw new Error(`evm_revert(${id}) failed: no such snapshot`);
  }

  balance(address: Address): Promise<bigint> {
    return this.public.getBalance({ address });
  }

  /** Sends native value from an unlocked account. */
  async transfer(from: Address, to: Address, value: bigint): Promise<Sent> {
    const hash = await this.wallet.sendTransaction({ account: from, to, value, chain: this.wallet.chain });
    return this.receipt(hash);
  }

  async receipt(hash: Hex): Promise<Sent> {
    // anvil answers eth_sendTransaction before it has finished mining a large transaction.
    for (let tries = 0; ; tries++) {
      try {
        const r = await this.public.getTransactionReceipt({ hash });
        return { ...r, events: decodeEvents(r.logs) };
      } catch (err) {
        if (!(err instanceof TransactionReceiptNotFoundError) || tries > 2000) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }
}

export function decodeEvents(logs: readonly { address: Address; data: Hex; topics: readonly Hex[] }[]): DecodedEvent[] {
  const abi = allErrorsAndEvents();
  const out: DecodedEvent[] = [];
  for (const log of logs) {
    try {
      const d = decodeEventLog({ abi, data: log.data, topics: [...log.topics] as [Hex, ...Hex[]] });
      out.push({ address: log.address, eventName: String(d.eventName), args: d.args as unknown as Record<string, unknown> });
    } catch {
      // a log of a contract we do not know
    }
  }
  return out;
}

/** The name of the custom error in a revert, decoded with `abi` plus every known error. */
function revertName(err: unknown, abi: Abi): string {
  let data: Hex | undefined;
  if (err instanceof BaseError) {
    err.walk((e) => {
      const d = (e as { data?: unknown }).data;
      if (typeof d === "string" && d.startsWith("0x")) data = d as Hex;
      return false;
    });
  }
  if (!data) return err instanceof Error ? err.message : String(err);
  try {
    return decodeErrorResult({ abi: [...abi, ...allErrorsAndEvents()], data }).errorName;
  } catch {
    return data;
  }
}

export class Contract {
  private readonly fullAbi: Abi;

  constructor(
    readonly chain: Chain,
    readonly name: string,
    readonly address: Address,
    readonly abi: Abi,
    readonly deployGas: bigint,
  ) {
    // The contract's own ABI plus every known error, so reverts of contracts it calls decode too.
    const own = new Set(abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name));
    this.fullAbi = [...abi, ...allErrorsAndEvents().filter((i) => i.type === "error" && !own.has(i.name))];
  }

  read<T = unknown>(functionName: string, args: unknown[] = [], from?: Address): Promise<T> {
    return this.chain.public.readContract({ address: this.address, abi: this.fullAbi, functionName, args, account: from }) as Promise<T>;
  }

  /** The result a call would return now, without sending it. */
  async simulate<T = unknown>(functionName: string, args: unknown[] = [], opts: WriteOptions = {}): Promise<T> {
    const { result } = await this.chain.public.simulateContract({
      address: this.address,
      abi: this.fullAbi,
      functionName,
      args,
      account: opts.from ?? this.chain.accounts[0],
      value: opts.value,
    });
    return result as T;
  }

  async write(functionName: string, args: unknown[] = [], opts: WriteOptions = {}): Promise<Sent> {
    if (opts.at !== undefined) await this.chain.setNextTimestamp(opts.at);
    const request = { address: this.address, abi: this.fullAbi, functionName, args, account: opts.from ?? this.chain.accounts[0], value: opts.value };
    // Estimate first: it runs on the pending block (honouring a timestamp set for it) and throws the
    // decoded custom error. anvil's own estimate inside eth_sendTransaction would mine a reverting
    // transaction instead, losing the reason.
    const gas = opts.gas ?? (await this.chain.public.estimateContractGas(request));
    const hash = await this.chain.wallet.writeContract({ ...request, gas, chain: this.chain.wallet.chain });
    const receipt = await this.chain.receipt(hash);
    if (receipt.status !== "success") throw new Error(`${this.name}.${functionName} reverted on chain`);
    return receipt;
  }

  /** Sends a call that must revert with the custom error `errorName`; returns the error's arguments. */
  async expectRevert(functionName: string, args: unknown[], errorName: string, opts: WriteOptions = {}): Promise<readonly unknown[]> {
    if (opts.at !== undefined) await this.chain.setNextTimestamp(opts.at);
    try {
      await this.write(functionName, args, { ...opts, at: undefined });
    } catch (err) {
      const reverted = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
      if (reverted instanceof ContractFunctionRevertedError) {
        const name = reverted.data?.errorName ?? reverted.reason;
        if (name !== errorName) throw new Error(`${this.name}.${functionName} reverted with ${name}, expected ${errorName}`);
        return reverted.data?.args ?? [];
      }
      throw err;
    }
    throw new Error(`${this.name}.${functionName} did not revert (expected ${errorName})`);
  }
}

/** The events named `name` in a receipt (from any contract). */
export function eventsNamed(sent: Sent, name: string): Record<string, unknown>[] {
  return sent.events.filter((e) => e.eventName === name).map((e) => e.args);
}
