#!/usr/bin/env node
// Regenerates the wire protocol's TypeScript types (gateway/src/protocol/generated/), docs
// (gateway/docs/wire-protocol.md) and the TypeScript SDK's copy of the types and vocabularies
// (sdk-ts/src/generated/) from the JSON Schemas in gateway/src/protocol/schemas/.
//
//   node gateway/scripts/gen-protocol.mjs          write the files
//   node gateway/scripts/gen-protocol.mjs --check  exit 1 if any committed file is stale
//
// Runs the TypeScript sources directly (ts-hooks.mjs transpiles them), so it never depends on a
// stale gateway/dist.
import { register } from "node:module";

register("../src/protocol/codegen/ts-hooks.mjs", import.meta.url);
const { generateAll, staleFiles, writeAll } = await import("../src/protocol/codegen/generate.ts");
const { generateSdk } = await import("../src/protocol/codegen/sdk.ts");

const check = process.argv.includes("--check");
const files = new Map([...(await generateAll()), ...(await generateSdk())]);
const stale = await staleFiles(files);
if (check) {
  if (stale.length > 0) {
    process.stderr.write(`stale generated files (run node gateway/scripts/gen-protocol.mjs):\n  ${stale.join("\n  ")}\n`);
    process.exit(1);
  }
  process.stdout.write(`${files.size} generated protocol files are up to date\n`);
} else {
  await writeAll(files);
  process.stdout.write(stale.length === 0 ? "generated protocol files were already up to date\n" : `updated:\n  ${stale.join("\n  ")}\n`);
}
