#!/usr/bin/env node
// Regenerates contracts/artifacts (the ABI and bytecode the CLI deploys) from contracts/src.
// Usage: node contracts/scripts/build.mjs
import { compileAll, writeArtifacts } from "./compile.mjs";

const started = Date.now();
const out = compileAll();
for (const w of out.warnings) process.stderr.write(`${w}\n`);
writeArtifacts(out);
process.stdout.write(`contracts: ${Object.keys(out.contracts).length} compiled with ${out.compiler} in ${Date.now() - started} ms; artifacts written\n`);
