// Types for compile.mjs (plain JS so that `node contracts/scripts/build.mjs` needs no TypeScript).
export interface Artifact {
  contractName: string;
  sourceName: string;
  abi: readonly Record<string, unknown>[];
  bytecode: `0x${string}`;
  deployedBytecode: `0x${string}`;
}
export interface CompileOutput {
  key?: string;
  compiler: string;
  contracts: Record<string, Artifact>;
  warnings: string[];
}
export interface Manifest {
  compiler: string;
  settings: { evmVersion: string; optimizer: { enabled: boolean; runs: number }; viaIR: boolean };
  sourceHash: string;
  contracts: string[];
}
export const CONTRACTS_DIR: string;
export const ROOT: string;
export const ARTIFACTS_DIR: string;
export const PRODUCTION: string[];
export const SETTINGS: Record<string, unknown>;
export function sourceFiles(dirs: string[]): Record<string, string>;
export function productionSourceHash(): string;
export function compileSources(sources: Record<string, string>): CompileOutput;
export function compileAll(): CompileOutput;
export function readArtifacts(dir?: string): { manifest: Manifest; contracts: Record<string, Artifact> };
export function writeArtifacts(out: CompileOutput, dir?: string): void;
