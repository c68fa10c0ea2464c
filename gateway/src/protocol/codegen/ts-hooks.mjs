// Node module hooks that let plain `node` (20.x, which cannot strip types) import this repo's
// TypeScript sources directly: "./x.js" specifiers from a .ts file resolve to "./x.ts" when only
// the .ts exists, and .ts files are transpiled one by one with the project's `typescript`.
// Used by gateway/scripts/gen-protocol.mjs so the generator never depends on a stale dist/.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export async function resolve(specifier, context, nextResolve) {
  const parent = context.parentURL;
  if (parent !== undefined && parent.endsWith(".ts") && specifier.startsWith(".") && specifier.endsWith(".js")) {
    const js = new URL(specifier, parent);
    const tsUrl = new URL(js.href.slice(0, -".js".length) + ".ts");
    if (!existsSync(fileURLToPath(js)) && existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const out = ts.transpileModule(await readFile(fileName, "utf8"), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  });
  return { format: "module", source: out.outputText, shortCircuit: true };
}
