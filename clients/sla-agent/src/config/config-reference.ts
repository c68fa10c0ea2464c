// The README's configuration reference, written from configSchema so the two cannot drift apart
// (scripts/gen-readme-config.mjs writes it into the README; test/config-docs.test.ts checks that
// the README holds the current one and names every key).
import { configSchema } from "./config-schema.js";

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  pattern?: string;
  "x-valid"?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  required?: readonly string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const escape = (text: string) => text.replace(/\|/g, "\\|");

/** What a value may be: the enum, the range, the pattern, or the type. */
function validValues(n: SchemaNode): string {
  if (n.enum) return n.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  if (n.type === "integer" || n.type === "number") {
    const bounds = n.minimum !== undefined && n.maximum !== undefined ? `${n.minimum} … ${n.maximum}` : n.minimum !== undefined ? `≥ ${n.minimum}` : n.maximum !== undefined ? `≤ ${n.maximum}` : "";
    return `${n.type}${bounds ? ` ${bounds}` : ""}`;
  }
  if (n.type === "array") return `array${n.maxItems ? ` (≤ ${n.maxItems})` : ""} of ${n.items?.type === "object" ? "objects (below)" : validValues(n.items ?? {}).replace(/^an? /, "")}`;
  if (n.type === "string" && n.pattern) return n["x-valid"] ?? `string \`${n.pattern}\``;
  if (n.type === "string" && n.maxLength) return `string, ${n.minLength ?? 0} … ${n.maxLength} chars`;
  return n.type ?? "any";
}

function defaultOf(n: SchemaNode): string {
  if (n.default === undefined) return "";
  if (typeof n.default === "object" && n.default !== null && !Array.isArray(n.default)) return "";
  return `\`${JSON.stringify(n.default)}\``;
}

function walk(node: SchemaNode, prefix: string, visit: (path: string, child: SchemaNode, required: boolean) => void): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    visit(path, child, node.required?.includes(key) ?? false);
    walk(child, `${path}.`, visit);
    if (child.items) walk(child.items, `${path}[].`, visit);
  }
}

/** The Markdown table: one row per key. */
export function configReference(): string {
  const out = ["| key | valid values | default | meaning |", "|---|---|---|---|"];
  walk(configSchema as unknown as SchemaNode, "", (path, child, required) => {
    out.push(`| \`${path}\` | ${escape(validValues(child))} | ${required ? "**required**" : defaultOf(child)} | ${escape(child.description ?? "")} |`);
  });
  return out.join("\n");
}

/** Every key path of the schema, e.g. "services[].intervalMs". */
export function configKeyPaths(): string[] {
  const out: string[] = [];
  walk(configSchema as unknown as SchemaNode, "", (path) => out.push(path));
  return out;
}

export const CONFIG_REFERENCE_BEGIN = "<!-- config-reference:begin (generated from src/config/config-schema.ts by scripts/gen-readme-config.mjs) -->";
export const CONFIG_REFERENCE_END = "<!-- config-reference:end -->";
