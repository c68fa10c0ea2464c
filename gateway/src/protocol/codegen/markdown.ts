// Rendering of schema definitions as Markdown: a type label for any subschema and a table of an
// object's properties (nested inline objects flattened as dotted keys). Headings of definitions
// are their names, so a type label links to "#<name lowercased>".

import { definition, refName, type Schema } from "../schemas/index.js";

export const anchor = (name: string): string => `#${name.toLowerCase()}`;
export const link = (name: string): string => `[${name}](${anchor(name)})`;

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const literal = (v: unknown): string => `\`${JSON.stringify(v)}\``;

/** A short description of the type of `s`, with links to named definitions. */
export function typeLabel(s: Schema): string {
  if (s.$ref !== undefined) return link(refName(s.$ref));
  if (s.allOf?.length === 1) return typeLabel(s.allOf[0]);
  if (s.const !== undefined) return literal(s.const);
  if (s.enum !== undefined) return s.enum.map(literal).join(" \\| ");
  if (s.oneOf !== undefined) return s.oneOf.map(typeLabel).join(" \\| ");
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  if (types.includes("array")) {
    if (Array.isArray(s.items)) return `[${(s.items as Schema[]).map(typeLabel).join(", ")}]`;
    const bound = s.maxItems !== undefined ? ` (at most ${s.maxItems})` : s.minItems !== undefined ? ` (at least ${s.minItems})` : "";
    return s.items === undefined ? `array${bound}` : `array of ${typeLabel(s.items as Schema)}${bound}`;
  }
  if (types.includes("object")) return "object";
  const base = types.join(" or ") || "any";
  if (s.minimum === 0 && s.maximum === undefined) return `${base} ≥ 0`;
  if (s.minimum !== undefined && s.maximum !== undefined) return `${base} ${s.minimum}…${s.maximum}`;
  if (s.minimum !== undefined) return `${base} ≥ ${s.minimum}`;
  if (s.pattern !== undefined) return `${base} \`${s.pattern}\``;
  return base;
}

/** The description of a property, looking through a described() wrapper. */
function describe(s: Schema): string {
  return s.description ?? "";
}

/** Rows (key, type, required, description) of an object schema, nested inline objects flattened. */
function rows(s: Schema, prefix = ""): string[] {
  const required = new Set(s.required ?? []);
  const out: string[] = [];
  for (const [key, p] of Object.entries(s.properties ?? {})) {
    const name = prefix + key;
    out.push(`| \`${name}\` | ${typeLabel(p)} | ${required.has(key) ? "yes" : "no"} | ${cell(describe(p))} |`);
    if (p.properties !== undefined) out.push(...rows(p, `${name}.`));
  }
  return out;
}

export function propertyTable(s: Schema): string {
  return ["| Key | Type | Required | Description |", "|---|---|---|---|", ...rows(s)].join("\n");
}

const WIDTH = 100;

/** JSON on one line with a space after ":" and ",", as people write it. */
export function oneLineJson(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(oneLineJson).join(", ")}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${oneLineJson(x)}`)
    .join(", ")}}`;
}

/**
 * JSON indented only where a value does not fit on its line, so examples stay short and readable.
 * `used` is how much of the current line precedes the value.
 */
export function prettyJson(v: unknown, indent = "", used = indent.length): string {
  const compact = oneLineJson(v);
  if (used + compact.length <= WIDTH || v === null || typeof v !== "object") return compact;
  const inner = indent + "  ";
  const items = Array.isArray(v)
    ? v.map((x) => inner + prettyJson(x, inner))
    : Object.entries(v).map(([k, x]) => {
        const key = `${inner}${JSON.stringify(k)}: `;
        return key + prettyJson(x, inner, key.length);
      });
  const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${items.join(",\n")}\n${indent}${close}`;
}

export function jsonBlock(v: unknown): string {
  return "```json\n" + prettyJson(v) + "\n```";
}

/**
 * A definition as Markdown: heading, description, then a property table (objects), the
 * alternatives (unions) or the type (scalars), then its examples.
 */
export function renderDefinition(name: string, level = 3): string {
  const s = definition(name).schema;
  const parts = [`${"#".repeat(level)} ${name}`, ""];
  if (s.description !== undefined) parts.push(s.description, "");
  if (s.properties !== undefined) {
    const kind = s.additionalProperties === false ? "Closed object (unknown keys are rejected)" : "Object (ignore keys you do not know)";
    parts.push(`${kind}:`, "", propertyTable(s), "");
  } else if (s.oneOf !== undefined) {
    const tag = s.discriminator === undefined ? "" : ` (selected by \`${s.discriminator.propertyName}\`)`;
    parts.push(`One of${tag}: ${s.oneOf.map(typeLabel).join(", ")}.`, "");
  } else {
    parts.push(`Type: ${typeLabel(s)}.`, "");
  }
  for (const ex of s.examples ?? []) parts.push("Example:", "", jsonBlock(ex), "");
  return parts.join("\n");
}
