// `monad-gateway contracts deploy` as a user runs it, against a local anvil: the deployed contracts
// are wired, usable and recorded; bad flags and unreachable nodes give one-line errors.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, createWalletClient, http, keccak256, toHex, type Abi, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil, type Anvil } from "../../contracts/test/helpers/anvil.js";
import { contractsCommand } from "../src/cli/commands/contracts.js";
import { UsageError } from "../src/cli/usage-error.js";
import { CLI, runCli } from "./helpers/cli.js";

const accounts = Array.from({ length: 4 }, (_, i) => mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i }));
const KEY0 = toHex(accounts[0].getHdKey().privateKey!);
const abi = (name: string) => JSON.parse(readFileSync(new URL(`../../contracts/artifacts/${name}.json`, import.meta.url), "utf8")).abi as Abi;

let anvil: Anvil;
let dir: string;

beforeAll(async () => {
  anvil = await startAnvil();
  dir = mkdtempSync(join(tmpdir(), "cli-contracts-"));
}, 60_000);
afterAll(async () => {
  await anvil?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Record {
  chainId: number;
  deployer: Address;
  admin: Address;
  agents: Address[];
  executors: Address[];
  sourceHash: string;
  contracts: { [name: string]: { address: Address; transactionHash: string; gasUsed: number } };
}

describe("contracts deploy", () => {
  it("deploys the five contracts, wired, and writes their addresses", async () => {
    const out = join(dir, "deploy.json");
    const [agent, executor] = [accounts[1].address, accounts[2].address];
    const r = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--key", KEY0, "--agent", agent, "--executor", executor, "--out", out], { timeoutMs: 60_000 });
    expect(r.stderr).toMatch(/deploying to chain 31337 from 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const record = JSON.parse(readFileSync(out, "utf8")) as Record;
    expect(Object.keys(record.contracts)).toEqual(["SLAStreamFactory", "AgentOracle", "RefundManager", "ParallelPay", "X402Payment"]);
    expect(record).toMatchObject({ chainId: 31337, deployer: accounts[0].address, admin: accounts[0].address, agents: [agent], executors: [executor], maxReportDelay: 3600 });
    const manifest = JSON.parse(readFileSync(new URL("../../contracts/artifacts/manifest.json", import.meta.url), "utf8"));
    expect(record.sourceHash).toBe(manifest.sourceHash);

    const client = createPublicClient({ transport: http(anvil.url) });
    const c = record.contracts;
    for (const { address } of Object.values(c)) expect((await client.getCode({ address }))?.length).toBeGreaterThan(1000);
    const read = (name: string, functionName: string, args: unknown[] = []) => client.readContract({ address: c[name].address, abi: abi(name), functionName, args });
    expect(await read("SLAStreamFactory", "refundManager")).toBe(c.RefundManager.address);
    expect(await read("AgentOracle", "factory")).toBe(c.SLAStreamFactory.address);
    expect(await read("RefundManager", "oracle")).toBe(c.AgentOracle.address);
    expect(await read("AgentOracle", "hasRole", [keccak256(toHex("AGENT_ROLE")), agent])).toBe(true);
    expect(await read("RefundManager", "hasRole", [keccak256(toHex("EXECUTOR_ROLE")), executor])).toBe(true);
    for (const name of Object.keys(c)) expect(await read(name, "defaultAdmin")).toBe(accounts[0].address);

    // The deployed factory works: a stream can be created on it.
    const wallet = createWalletClient({ transport: http(anvil.url), account: accounts[3] });
    const now = (await client.getBlock()).timestamp;
    const off = { enabled: false, breach: 0, tier2: 0, tier3: 0 };
    const sla = { rules: [{ enabled: true, breach: 200, tier2: 500, tier3: 1000 }, off, off, off], refundBps: [1000, 2500, 5000], windowSeconds: 60, severeLimit: 3, severePeriod: 3600 };
    const hash = await wallet.writeContract({
      chain: null,
      address: c.SLAStreamFactory.address,
      abi: abi("SLAStreamFactory"),
      functionName: "createStream",
      args: [accounts[1].address, "0x0000000000000000000000000000000000000000", 1000n, now + 10n, now + 1000n, sla],
      value: 1000n,
    });
    expect((await client.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status).toBe("success");
  });

  it("deploys from the node's unlocked account without a key, with another admin; refuses to overwrite", async () => {
    const out = join(dir, "unlocked.json");
    const admin = accounts[3].address;
    const r = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--admin", admin, "--out", out, "--max-report-delay", "600"], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const record = JSON.parse(readFileSync(out, "utf8")) as Record;
    expect(record).toMatchObject({ admin, agents: [], executors: [], maxReportDelay: 600 });
    const client = createPublicClient({ transport: http(anvil.url) });
    expect(await client.readContract({ address: record.contracts.X402Payment.address, abi: abi("X402Payment"), functionName: "defaultAdmin" })).toBe(admin);
    const again = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`monad-gateway: ${out} exists; pass --force to overwrite it\n`);
    const forced = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--out", out, "--force"], { timeoutMs: 60_000 });
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).contracts.SLAStreamFactory.address).not.toBe(record.contracts.SLAStreamFactory.address);
  });

  it("writes contracts.<chainId>.json in the working directory by default; creates --out's directory", async () => {
    const cwd = join(dir, "cwd");
    mkdirSync(cwd);
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, [CLI, "contracts", "deploy", "--rpc", anvil.url, "--key", KEY0], { cwd, stdio: "ignore" });
      child.on("exit", done);
    });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, "contracts.31337.json"), "utf8")).chainId).toBe(31337);
    const r = await runCli(["contracts", "deploy", "--rpc", anvil.url, "--key", KEY0, "--out", join(dir, "sub", "x.json")], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "sub", "x.json"))).toBe(true);
  });
});

describe("contracts errors", () => {
  it("names what is wrong with the flags", async () => {
    // The checks run in-process (a process per case costs a second each); the printing path that
    // turns a UsageError into one line is covered by the cases below that spawn the command.
    const cases: [string[], RegExp][] = [
      [[], /contracts needs a subcommand: deploy/],
      [["upgrade"], /unknown contracts subcommand "upgrade"; valid: deploy/],
      [["deploy"], /--rpc <url> is required/],
      [["deploy", "--rpc", "localhost:8545"], /--rpc must be an http\(s\) URL/],
      [["deploy", "--rpc", "http://x", "--key", "0x1234"], /--key must be a 32-byte hex private key/],
      [["deploy", "--rpc", "http://x", "--agent", "0xnope"], /--agent must be an address, got "0xnope"/],
      [["deploy", "--rpc", "http://x", "--executor", "bob"], /--executor must be an address/],
      [["deploy", "--rpc", "http://x", "--admin", "0x12"], /--admin must be an address/],
      [["deploy", "--rpc", "http://x", "--max-report-delay", "0"], /--max-report-delay must be an integer >= 1/],
      [["deploy", "--rpc", "http://x", "--gas-margin", "101"], /--gas-margin must be an integer >= 0 and <= 100/],
      [["deploy", "--rpc", "http://x", "--confirmations", "x"], /--confirmations must be an integer/],
    ];
    for (const [args, message] of cases) {
      const err = await contractsCommand(args).then(() => undefined, (e: unknown) => e);
      expect(err, args.join(" ")).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
    }
    await expect(contractsCommand(["deploy", "--rpc", "http://x", "--bogus"])).rejects.toThrow(/Unknown option '--bogus'/);
    const r = await runCli(["contracts", "deploy", "--rpc", "http://x", "--key", "0x1234"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("monad-gateway: --key must be a 32-byte hex private key (0x followed by 64 hex digits)\n");
  });

  it("reports an unreachable node in one line", async () => {
    const r = await runCli(["contracts", "deploy", "--rpc", "http://127.0.0.1:9", "--out", join(dir, "never.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^monad-gateway: reaching 127\.0\.0\.1:9: /);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "never.json"))).toBe(false);
  });

  it("prints its usage for --help", async () => {
    const r = await runCli(["contracts", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^monad-gateway contracts deploy --rpc <url> \[options\]/);
    const overview = await runCli(["--help"]);
    expect(overview.stdout).toMatch(/contracts\s+deploy the SLA payment-stream contracts/);
  });
});
