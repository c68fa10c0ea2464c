// Helpers the generators share: walking schemas, collecting refs, and a bundle of every
// definition in one namespace with local refs (what json-schema-to-typescript resolves best).

import { refName, SCHEMA_DOCUMENTS, schemaRegistry, type DocName, type Schema } from "../schemas/index.js";

/** Calls `visit` on `s` and every subschema (not following refs). */
export function walkSchema(s: Schema, visit: (s: Schema, depth: number) => void, depth = 0): void {
  visit(s, depth);
  const children: Schema[] = [];
  if (s.items !== undefined) children.push(...(Array.isArray(s.items) ? (s.items as Schema[]) : [s.items as Schema]));
  if (typeof s.additionalItems === "object") children.push(s.additionalItems);
  if (typeof s.additionalProperties === "object") children.push(s.additionalProperties);
  children.push(...Object.values(s.properties ?? {}), ...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? []));
  for (const c of children) walkSchema(c, visit, depth + 1);
}

/** Names of the definitions `s` refers to directly, in first-use order. */
export function directRefs(s: Schema): string[] {
  const out = new Set<string>();
  walkSchema(s, (x) => {
    if (x.$ref !== undefined) out.add(refName(x.$ref));
  });
  return [...out];
}

/**
 * Authoring rules the generators rely on, checked over every definition:
 * - a `$ref` stands alone (draft-07 ignores its siblings; use described() for a description);
 * - only definitions carry a `title` (json-schema-to-typescript would turn a titled subschema into
 *   a separate named type that our per-definition generation never declares);
 * - every ref resolves.
 */
export function checkAuthoringRules(): void {
  for (const [name, e] of schemaRegistry) {
    walkSchema(e.schema, (s, depth) => {
      if (s.$ref !== undefined) {
        const extra = Object.keys(s).filter((k) => k !== "$ref");
        if (extra.length > 0) throw new Error(`${name}: $ref ${s.$ref} has sibling keywords ${extra.join(", ")}`);
        if (!schemaRegistry.has(refName(s.$ref))) throw new Error(`${name}: unresolved $ref ${s.$ref}`);
      }
      if (depth > 0 && s.title !== undefined) throw new Error(`${name}: nested schema has a title (${s.title})`);
    });
  }
}

/** Deep copy of `s` with every ref rewritten to `#/definitions/<name>`. */
function localize(s: Schema): Schema {
  return JSON.parse(JSON.stringify(s), (k, v: unknown) => (k === "$ref" && typeof v === "string" ? `#/definitions/${refName(v)}` : v)) as Schema;
}

/** Every definition of every document in one map, refs made local. */
export function bundledDefinitions(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [name, e] of schemaRegistry) out[name] = localize(e.schema);
  return out;
}

/** Definition names of one document, in declaration order. */
export function definitionsOf(doc: DocName): string[] {
  return Object.keys(SCHEMA_DOCUMENTS[doc].definitions);
}
