// The committed generated files (TypeScript types, JSON schema files, wire-protocol.md) must be what the schemas
// generate today; otherwise a schema was changed without running gen-protocol.mjs.
import { beforeAll, describe, expect, it } from "vitest";
import { DOCS_FILE, GENERATED_JSON_DIR, GENERATED_TYPES_DIR, generateAll, staleFiles } from "../src/protocol/codegen/generate.js";
import { SCHEMA_DOCUMENTS, schemaRegistry } from "../src/protocol/index.js";

const HOW = "stale: run `node gateway/scripts/gen-protocol.mjs` and commit the result";

describe("generated protocol files", () => {
  let files: Map<string, string>;
  beforeAll(async () => {
    files = await generateAll();
  }, 60_000);

  it("types and docs are up to date", async () => {
    expect(await staleFiles(files), HOW).toEqual([]);
  });

  it("one types file and one JSON file per schema document, a types index, and the docs", () => {
    const docs = ["common", "events", "frames", "rest", "subscribe"];
    expect([...files.keys()].sort()).toEqual(
      [
        ...[...docs, "index"].map((d) => `${GENERATED_TYPES_DIR}/${d}.ts`),
        ...docs.map((d) => `${GENERATED_JSON_DIR}/${d}.json`),
        DOCS_FILE,
      ].sort(),
    );
  });

  it("the JSON files are the schema documents", () => {
    for (const [doc, schema] of Object.entries(SCHEMA_DOCUMENTS)) expect(JSON.parse(files.get(`${GENERATED_JSON_DIR}/${doc}.json`) ?? "")).toEqual(schema);
  });

  it("every definition is declared exactly once across the type files", () => {
    const all = [...files].filter(([p]) => p.endsWith(".ts")).map(([, t]) => t).join("\n");
    for (const name of schemaRegistry.keys()) {
      const n = all.match(new RegExp(`^export (?:type|interface) ${name}\\b`, "gm"))?.length ?? 0;
      expect(n, name).toBe(1);
    }
  });

  it("the docs show every frame kind and the helpful-error examples", () => {
    const docs = files.get(DOCS_FILE) ?? "";
    for (const k of ["HelloFrame", "ResumeFrame", "EventsFrame", "TpsFrame", "ContentionDataFrame", "TopAccessesFrame", "LifecycleFrame", "WarningFrame", "ErrorFrame"])
      expect(docs).toContain(`### ${k}\n`);
    expect(docs).toContain('field filter \\"adress\\" is not valid for TxnLog');
  });
});
