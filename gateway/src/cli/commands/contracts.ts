// `monad-gateway contracts deploy`: deploys the SLA payment-stream contracts (contracts/src) from
// their committed artifacts and writes the addresses to a JSON file.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeDeployData,
  getAddress,
  getContractAddress,
  http,
  isAddress,
  isAddressEqual,
  isHex,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { numberOption, UsageError } from "../usage-error.js";

export const contractsUsage = `monad-gateway contracts deploy --rpc <url> [options]

Deploys the SLA payment-stream contracts (SLAStreamFactory, AgentOracle, RefundManager, ParallelPay,
X402Payment) from contracts/artifacts and writes their addresses to a JSON file. The factory, oracle
and refund manager are wired to each other at construction (their addresses are computed from the
deployer's nonce), so no admin step is left to do and none can later rewire them.

Options:
  --rpc <url>                 JSON-RPC endpoint (http or https)
  --key <0x...>               deployer private key (default: $DEPLOYER_PRIVATE_KEY, else the node's
                              first unlocked account, as on anvil)
  --admin <address>           admin and pauser of every contract (default: the deployer)
  --agent <address>           an AgentOracle agent (repeatable)
  --executor <address>        a RefundManager executor (repeatable)
  --max-report-delay <s>      seconds after a window closes that it may still be reported (default 3600)
  --out <file>                where to write the addresses (default: contracts.<chainId>.json)
  --force                     overwrite --out if it exists
  --gas-margin <percent>      added to each eth_estimateGas (default 5; Monad charges the gas limit)
  --confirmations <n>         blocks to wait for each deployment (default 1)
  --timeout <seconds>         how long to wait for each deployment (default 120)`;

/** The contracts in deployment order: the first three are wired by predicted address. */
const ORDER = ["SLAStreamFactory", "AgentOracle", "RefundManager", "ParallelPay", "X402Payment"] as const;
type Name = (typeof ORDER)[number];

interface Artifact {
  abi: Abi;
  bytecode: Hex;
}

interface Manifest {
  compiler: string;
  sourceHash: string;
}

export interface DeploymentRecord {
  chainId: number;
  deployer: Address;
  admin: Address;
  agents: Address[];
  executors: Address[];
  maxReportDelay: number;
  compiler: string;
  sourceHash: string;
  deployedAt: string;
  contracts: Record<Name, { address: Address; transactionHash: Hex; blockNumber: number; gasUsed: number }>;
}

const ARTIFACTS = new URL("../../../../contracts/artifacts/", import.meta.url);

export async function contractsCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== "deploy") {
    throw new UsageError(sub === undefined ? "contracts needs a subcommand: deploy" : `unknown contracts subcommand "${sub}"; valid: deploy`, contractsUsage);
  }
  await deploy(rest);
}

async function deploy(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      rpc: { type: "string" },
      key: { type: "string" },
      admin: { type: "string" },
      agent: { type: "string", multiple: true },
      executor: { type: "string", multiple: true },
      "max-report-delay": { type: "string" },
      out: { type: "string" },
      force: { type: "boolean" },
      "gas-margin": { type: "string" },
      confirmations: { type: "string" },
      timeout: { type: "string" },
    },
  });
  const rpc = values.rpc;
  if (!rpc) throw new UsageError("--rpc <url> is required", contractsUsage);
  if (!/^https?:\/\/./.test(rpc)) throw new UsageError(`--rpc must be an http(s) URL, got "${rpc}"`);
  const key = values.key ?? process.env.DEPLOYER_PRIVATE_KEY;
  if (key !== undefined && !(isHex(key) && key.length === 66)) {
    throw new UsageError(`--key must be a 32-byte hex private key (0x followed by 64 hex digits)`);
  }
  const address = (flag: string, raw: string) => {
    if (!isAddress(raw, { strict: false })) throw new UsageError(`--${flag} must be an address, got "${raw}"`);
    return getAddress(raw);
  };
  const agents = (values.agent ?? []).map((a) => address("agent", a));
  const executors = (values.executor ?? []).map((a) => address("executor", a));
  const adminFlag = values.admin === undefined ? undefined : address("admin", values.admin);
  const maxReportDelay = numberOption("max-report-delay", values["max-report-delay"], 3600, { min: 1, max: 2 ** 32 - 1, integer: true });
  const margin = numberOption("gas-margin", values["gas-margin"], 5, { min: 0, max: 100, integer: true });
  const confirmations = numberOption("confirmations", values.confirmations, 1, { min: 1, max: 100, integer: true });
  const timeoutMs = numberOption("timeout", values.timeout, 120, { min: 1, integer: true }) * 1000;
  const artifacts = loadArtifacts();

  const probe = createPublicClient({ transport: http(rpc, { retryCount: 1, timeout: 15_000 }) });
  const chainId = await rpcCall(rpc, () => probe.getChainId(), "reaching");
  const chain = defineChain({
    id: chainId,
    name: chainId === 143 ? "Monad" : chainId === 10143 ? "Monad Testnet" : `chain ${chainId}`,
    nativeCurrency: { name: "MON", symbol: "MON", decimals: 18 },
    rpcUrls: { default: { http: [rpc] } },
  });
  const transport = http(rpc, { retryCount: 1, timeout: 30_000 });
  const client = createPublicClient({ chain, transport, pollingInterval: 250 }) as PublicClient;
  const account = key ? privateKeyToAccount(key as Hex) : await unlockedAccount(rpc);
  const deployer = typeof account === "string" ? account : account.address;
  const wallet = createWalletClient({ chain, transport, account });
  const admin = adminFlag ?? deployer;

  const out = resolve(values.out ?? `contracts.${chainId}.json`);
  if (existsSync(out) && !values.force) throw new UsageError(`${out} exists; pass --force to overwrite it`);

  // Every address is fixed by the deployer's nonce before anything is sent.
  const nonce = await rpcCall(rpc, () => client.getTransactionCount({ address: deployer, blockTag: "pending" }));
  const predicted = Object.fromEntries(ORDER.map((name, i) => [name, getContractAddress({ from: deployer, nonce: BigInt(nonce + i) })])) as Record<Name, Address>;
  const args: Record<Name, unknown[]> = {
    SLAStreamFactory: [admin, predicted.RefundManager],
    AgentOracle: [admin, predicted.SLAStreamFactory, maxReportDelay, agents],
    RefundManager: [admin, predicted.SLAStreamFactory, predicted.AgentOracle, executors],
    ParallelPay: [admin],
    X402Payment: [admin],
  };

  process.stderr.write(`deploying to chain ${chainId} from ${deployer} (nonce ${nonce})\n`);
  const contracts = {} as DeploymentRecord["contracts"];
  for (const [i, name] of ORDER.entries()) {
    const data = encodeDeployData({ abi: artifacts[name].abi, bytecode: artifacts[name].bytecode, args: args[name] });
    const estimate = await rpcCall(rpc, () => client.estimateGas({ account: deployer, data }), `estimating ${name}`);
    const gas = (estimate * BigInt(100 + margin) + 99n) / 100n;
    const hash = await rpcCall(rpc, () => wallet.sendTransaction({ account, chain, data, gas, nonce: nonce + i }), `sending ${name}`);
    const receipt = await rpcCall(rpc, () => client.waitForTransactionReceipt({ hash, confirmations, timeout: timeoutMs }), `waiting for ${name}`);
    if (receipt.status !== "success" || !receipt.contractAddress || !isAddressEqual(receipt.contractAddress, predicted[name])) {
      const done = Object.entries(contracts).map(([n, c]) => `${n} ${c.address}`).join(", ") || "none";
      throw new UsageError(`deploying ${name} failed (transaction ${hash}, status ${receipt.status}); already deployed: ${done}`);
    }
    contracts[name] = { address: predicted[name], transactionHash: hash, blockNumber: Number(receipt.blockNumber), gasUsed: Number(receipt.gasUsed) };
    process.stderr.write(`  ${name.padEnd(17)} ${predicted[name]}  gas ${receipt.gasUsed} of ${gas}\n`);
  }
  await checkWiring(client, artifacts, predicted);

  const record: DeploymentRecord = {
    chainId,
    deployer,
    admin,
    agents,
    executors,
    maxReportDelay,
    compiler: artifacts.manifest.compiler,
    sourceHash: artifacts.manifest.sourceHash,
    deployedAt: new Date().toISOString(),
    contracts,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${out}\n`);
}

function loadArtifacts(): Record<Name, Artifact> & { manifest: Manifest } {
  const read = (file: string) => {
    const url = new URL(file, ARTIFACTS);
    try {
      return JSON.parse(readFileSync(url, "utf8"));
    } catch (err) {
      throw new UsageError(`cannot read contract artifact ${url.pathname}: ${(err as Error).message}`);
    }
  };
  const out = { manifest: read("manifest.json") as Manifest } as Record<Name, Artifact> & { manifest: Manifest };
  for (const name of ORDER) out[name] = read(`${name}.json`) as Artifact;
  return out;
}

async function unlockedAccount(rpc: string): Promise<Address> {
  const accounts = await rpcCall(rpc, () => createWalletClient({ transport: http(rpc) }).getAddresses());
  if (!accounts[0]) throw new UsageError("no --key given, $DEPLOYER_PRIVATE_KEY is unset, and the node has no unlocked account");
  return getAddress(accounts[0]);
}

/** Reads back the constructor wiring, so a bad deployment is caught before its addresses are saved. */
async function checkWiring(client: PublicClient, a: Record<Name, Artifact>, at: Record<Name, Address>): Promise<void> {
  const read = (name: Name, functionName: string) =>
    client.readContract({ address: at[name], abi: a[name].abi, functionName }) as Promise<Address>;
  const checks: [Name, string, Address][] = [
    ["SLAStreamFactory", "refundManager", at.RefundManager],
    ["AgentOracle", "factory", at.SLAStreamFactory],
    ["RefundManager", "factory", at.SLAStreamFactory],
    ["RefundManager", "oracle", at.AgentOracle],
  ];
  for (const [name, fn, expected] of checks) {
    const got = await read(name, fn);
    if (!isAddressEqual(got, expected)) throw new UsageError(`${name}.${fn}() is ${got}, expected ${expected}`);
  }
}

/** Runs an RPC step, turning a failure into one line that names the step and the endpoint. */
async function rpcCall<T>(rpc: string, fn: () => Promise<T>, step = "calling"): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const detail = err instanceof BaseError ? err.shortMessage : (err as Error).message;
    throw new UsageError(`${step} ${new URL(rpc).host}: ${detail.split("\n")[0]}`);
  }
}
