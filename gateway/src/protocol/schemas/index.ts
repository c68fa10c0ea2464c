// The schema registry: the five documents, and a lookup of every definition by its name.
// Definition names are unique across documents (checked here), which lets the type generator
// bundle them into one namespace and lets code refer to a definition by name alone.

import { COMMON } from "./common.js";
import { EVENTS } from "./events.js";
import { FRAMES } from "./frames.js";
import { REST } from "./rest.js";
import type { DocName, Schema, SchemaDocument } from "./schema.js";
import { SUBSCRIBE } from "./subscribe.js";

export { COMMON, EVENTS, FRAMES, REST, SUBSCRIBE };
export { REST_ROUTES, type RestRoute } from "./rest.js";
export { SCHEMA_BASE_URI, docId, type DocName, type Schema, type SchemaDocument } from "./schema.js";

/** The documents, in the order the generated docs and types present them. */
export const SCHEMA_DOCUMENTS: Readonly<Record<DocName, SchemaDocument>> = Object.freeze({
  common: COMMON,
  events: EVENTS,
  subscribe: SUBSCRIBE,
  frames: FRAMES,
  rest: REST,
});

export interface DefinitionEntry {
  readonly doc: DocName;
  readonly name: string;
  readonly schema: Schema;
  /** `$id#/definitions/name`: what ajv.getSchema() and $ref take. */
  readonly uri: string;
}

/** Every definition of every document, by name. */
export const schemaRegistry: ReadonlyMap<string, DefinitionEntry> = (() => {
  const m = new Map<string, DefinitionEntry>();
  for (const [doc, d] of Object.entries(SCHEMA_DOCUMENTS) as [DocName, SchemaDocument][]) {
    for (const [name, schema] of Object.entries(d.definitions)) {
      const prev = m.get(name);
      if (prev !== undefined) throw new Error(`schema definition ${name} is defined in both ${prev.doc} and ${doc}`);
      m.set(name, { doc, name, schema, uri: `${d.$id}#/definitions/${name}` });
    }
  }
  return m;
})();

/** The registry entry of `name`; throws on unknown names (they are programming errors). */
export function definition(name: string): DefinitionEntry {
  const e = schemaRegistry.get(name);
  if (e === undefined) throw new Error(`no schema definition named ${name}`);
  return e;
}

/** Name of the definition a `$ref` points at (refs always target `#/definitions/<name>`). */
export function refName(ref: string): string {
  const i = ref.lastIndexOf("/definitions/");
  if (i < 0) throw new Error(`unsupported $ref ${ref}`);
  return ref.slice(i + "/definitions/".length);
}
