#!/usr/bin/env node
// Builds the browser bundle: dist/browser/monad-gateway-sdk.js, one ESM file with no dependencies
// (the native WebSocket replaces `ws`, which package.json's "browser" field maps to nothing).
//
//   node sdk-ts/scripts/bundle.mjs [outfile]
//
// Fails if anything in the bundle comes from Node: a Node built-in import, or the `ws` package.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const SDK_ROOT = fileURLToPath(new URL("..", import.meta.url));
export const DEFAULT_OUTFILE = `${SDK_ROOT}dist/browser/monad-gateway-sdk.js`;

/** Builds the bundle; returns esbuild's metafile and the problems found (none when it is clean). */
export async function bundleBrowser(outfile = DEFAULT_OUTFILE, { minify = true } = {}) {
  const result = await build({
    entryPoints: [`${SDK_ROOT}src/index.ts`],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify,
    sourcemap: true,
    metafile: true,
    logLevel: "silent",
  });
  const problems = [];
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    // "(disabled):" marks a module the "browser" field replaced with an empty one: that is the goal.
    if (/node_modules[\\/]ws[\\/]/.test(input) && !input.startsWith("(disabled):")) problems.push(`bundles the ws package (${input})`);
    for (const imp of info.imports ?? []) if (imp.external || imp.path.startsWith("node:")) problems.push(`${input} imports ${imp.path}`);
  }
  for (const [out, info] of Object.entries(result.metafile.outputs)) for (const imp of info.imports ?? []) problems.push(`${out} imports ${imp.path}`);
  return { metafile: result.metafile, problems };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outfile = process.argv[2] ?? DEFAULT_OUTFILE;
  const { metafile, problems } = await bundleBrowser(outfile);
  if (problems.length > 0) {
    process.stderr.write(`browser bundle is not browser-clean:\n  ${problems.join("\n  ")}\n`);
    process.exit(1);
  }
  const bytes = Object.entries(metafile.outputs).find(([p]) => p.endsWith(".js"))[1].bytes;
  process.stdout.write(`${outfile}: ${bytes} bytes\n`);
}
