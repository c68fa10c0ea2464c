// Everything generated from the schemas (types, JSON schema files, docs), as (repo-relative
// path → content). The script
// (gateway/scripts/gen-protocol.mjs) writes it; protocol-generated.test.ts compares it with the
// committed files, so a schema change without regeneration fails the tests.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_DOCUMENTS } from "../schemas/index.js";
import { generateDocs } from "./docs.js";
import { generateTypes } from "./types.js";

export const GENERATED_TYPES_DIR = "gateway/src/protocol/generated";
/** The schema documents as plain JSON files, for consumers that do not run TypeScript (Python client, other tools). */
export const GENERATED_JSON_DIR = "gateway/src/protocol/generated/json";
export const DOCS_FILE = "gateway/docs/wire-protocol.md";

/** The repository root (this file is <root>/gateway/{src,dist}/protocol/codegen/). */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export async function generateAll(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const [file, text] of await generateTypes()) out.set(`${GENERATED_TYPES_DIR}/${file}`, text);
  for (const [doc, schema] of Object.entries(SCHEMA_DOCUMENTS)) out.set(`${GENERATED_JSON_DIR}/${doc}.json`, `${JSON.stringify(schema, null, 2)}\n`);
  out.set(DOCS_FILE, generateDocs());
  return out;
}

/** Generated files whose committed content differs (or that are missing). */
export async function staleFiles(files: Map<string, string>, root = REPO_ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const [path, text] of files) {
    const current = await readFile(root + path, "utf8").catch(() => undefined);
    if (current !== text) stale.push(path);
  }
  return stale;
}

export async function writeAll(files: Map<string, string>, root = REPO_ROOT): Promise<void> {
  for (const [path, text] of files) {
    await mkdir(dirname(root + path), { recursive: true });
    await writeFile(root + path, text);
  }
}
