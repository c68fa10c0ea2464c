// Authoring helpers for the wire schemas: a typed subset of JSON Schema draft-07 (so a misspelt
// keyword is a compile error rather than a silently ignored annotation), document ids, and refs.
//
// Why draft-07: every consumer we target handles it well (ajv, json-schema-to-typescript, Python
// jsonschema / datamodel-code-generator), and we need nothing from 2019-09/2020-12.

export type JsonType = "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";

export interface Schema {
  $ref?: string;
  $comment?: string;
  title?: string;
  description?: string;
  examples?: readonly unknown[];
  type?: JsonType | readonly JsonType[];
  enum?: readonly unknown[];
  const?: unknown;
  // strings
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  // numbers
  minimum?: number;
  maximum?: number;
  // arrays
  items?: Schema | readonly Schema[];
  additionalItems?: boolean | Schema;
  minItems?: number;
  maxItems?: number;
  // objects
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  maxProperties?: number;
  // combinators
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
  allOf?: readonly Schema[];
  /**
   * OpenAPI-style tag of a oneOf whose branches each fix `propertyName` with const/enum. ajv uses
   * it to pick the branch by tag (precise errors, no trial of every branch); other tools ignore it.
   */
  discriminator?: { propertyName: string };
}

/** The five schema documents, one per concept. */
export type DocName = "common" | "events" | "subscribe" | "frames" | "rest";

export interface SchemaDocument {
  $schema: string;
  $id: string;
  title: string;
  description: string;
  definitions: Readonly<Record<string, Schema>>;
}

export const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** Base of the documents' `$id`s. `.invalid` is a reserved TLD: the ids name, they never resolve. */
export const SCHEMA_BASE_URI = "https://schemas.monad-gateway.invalid/wire/v1/";

export function docId(doc: DocName): string {
  return `${SCHEMA_BASE_URI}${doc}.json`;
}

/** A reference to definition `name` of document `doc`. */
export function ref(doc: DocName, name: string): Schema {
  return { $ref: `${docId(doc)}#/definitions/${name}` };
}

/**
 * A described use of a referenced type. Draft-07 ignores every keyword next to `$ref`, so the
 * description would be lost (and json-schema-to-typescript would clone the type as "Address1");
 * wrapping the ref in a one-element allOf keeps both the description and the named type.
 */
export function described(description: string, target: Schema): Schema {
  return { description, allOf: [target] };
}

/**
 * A tagged union: a oneOf whose branches each fix `tag` with const/enum. The discriminator lets
 * ajv pick the branch by tag, so errors come from that branch only.
 */
export function taggedUnion(tag: string, branches: readonly Schema[]): Schema {
  return { type: "object", discriminator: { propertyName: tag }, oneOf: branches };
}

/**
 * An object schema: every property is required unless listed in `optional`; `closed` rejects
 * unknown keys (client input), otherwise they are allowed (server output may grow).
 */
export function objectOf(properties: Record<string, Schema>, opts: { optional?: readonly string[]; closed?: boolean } = {}): Schema {
  const optional = new Set(opts.optional ?? []);
  for (const k of optional) if (!(k in properties)) throw new Error(`objectOf: optional key ${k} is not a property`);
  const required = Object.keys(properties).filter((k) => !optional.has(k));
  const s: Schema = { type: "object", ...(required.length > 0 ? { required } : {}), properties };
  return opts.closed ? { ...s, additionalProperties: false } : s;
}

/**
 * A schema document. Each definition gets `title` = its name: json-schema-to-typescript names
 * the generated type after it and Python generators name their classes after it.
 */
export function schemaDocument(doc: DocName, title: string, description: string, definitions: Record<string, Schema>): SchemaDocument {
  const defs: Record<string, Schema> = {};
  for (const [name, s] of Object.entries(definitions)) defs[name] = { title: name, ...s };
  return { $schema: DRAFT_07, $id: docId(doc), title, description, definitions: defs };
}
