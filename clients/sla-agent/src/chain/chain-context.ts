// One connection to the chain: viem clients for reads and for the agent's own transactions, which
// go out one at a time (a single account's nonces), each with a gas limit from eth_estimateGas plus
// a small margin, because Monad charges the limit, not the gas used.
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Abi,
  type Address,
  type Chain,
  type Hex,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

export interface WriteRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

export class ChainContext {
  readonly public: PublicClient;
  readonly wallet: WalletClient;
  readonly account: PrivateKeyAccount;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly rpc: string,
    readonly chain: Chain,
    key: Hex,
    private readonly gasMarginPercent: number,
  ) {
    const transport = http(rpc, { retryCount: 2, timeout: 30_000 });
    this.public = createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient;
    this.account = privateKeyToAccount(key);
    this.wallet = createWalletClient({ chain, transport, account: this.account });
  }

  static async connect(rpc: string, key: Hex, gasMarginPercent = 10): Promise<ChainContext> {
    const probe = createPublicClient({ transport: http(rpc, { retryCount: 1, timeout: 15_000 }) });
    let chainId: number;
    try {
      chainId = await probe.getChainId();
    } catch (err) {
      throw new Error(`cannot reach the chain at ${rpc}: ${shortError(err)}`);
    }
    const chain = defineChain({
      id: chainId,
      name: chainId === 143 ? "Monad" : chainId === 10143 ? "Monad Testnet" : `chain ${chainId}`,
      nativeCurrency: { name: "MON", symbol: "MON", decimals: 18 },
      rpcUrls: { default: { http: [rpc] } },
    });
    return new ChainContext(rpc, chain, key, gasMarginPercent);
  }

  get address(): Address {
    return this.account.address;
  }

  read<T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Promise<T> {
    return this.public.readContract({ address, abi, functionName, args }) as Promise<T>;
  }

  /** The result the call would have now, from this account (throws the decoded revert). */
  async simulate<T>(req: WriteRequest): Promise<T> {
    const { result } = await this.public.simulateContract({ ...req, account: this.account });
    return result as T;
  }

  /** Sends a transaction after the ones already queued and waits for its receipt. */
  write(req: WriteRequest): Promise<TransactionReceipt> {
    const run = this.queue.then(() => this.send(req));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(req: WriteRequest): Promise<TransactionReceipt> {
    const estimate = await this.public.estimateContractGas({ ...req, account: this.account });
    const gas = (estimate * BigInt(100 + this.gasMarginPercent) + 99n) / 100n;
    const hash = await this.wallet.writeContract({ ...req, gas, account: this.account, chain: this.chain });
    const receipt = await this.public.waitForTransactionReceipt({ hash, timeout: 120_000, pollingInterval: 100 });
    if (receipt.status !== "success") throw new Error(`${req.functionName} reverted on chain (transaction ${hash})`);
    return receipt;
  }
}

/** The name of a contract's custom error in a revert, if that is what failed. */
export function revertName(err: unknown): string | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  return reverted instanceof ContractFunctionRevertedError ? (reverted.data?.errorName ?? reverted.reason) : undefined;
}

/** One line about an error, for logs. */
export function shortError(err: unknown): string {
  if (err instanceof BaseError) return err.shortMessage.split("\n")[0];
  return err instanceof Error ? err.message.split("\n")[0] : String(err);
}
