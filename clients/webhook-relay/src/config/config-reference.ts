// The README's config reference, generated from the schema so the two cannot drift apart
// (scripts/gen-readme-config.mjs writes it; test/config.test.ts checks it is current).
import { CONFIG_SCHEMA } from "./config-schema.js";

interface Node {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  required?: readonly string[];
  properties?: Record<string, Node>;
  items?: Node;
}

function typeOf(n: Node): string {
  if (n.enum) return n.enum.map((v) => `\`"${v}"\``).join(" \\| ");
  if (n.type === "array") return n.items?.type === "object" ? "array of objects" : "array";
  if (n.type === undefined) return "list or object";
  const range = [n.minimum !== undefined ? `≥ ${n.minimum}` : "", n.maximum !== undefined ? `≤ ${n.maximum}` : ""].filter(Boolean).join(", ");
  return range ? `${n.type} (${range})` : n.type;
}

function rows(node: Node, prefix: string, out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${key}`;
    const required = node.required?.includes(key) ? "yes" : "";
    const def = child.default === undefined || (typeof child.default === "object" && Object.keys(child.default as object).length === 0) ? "" : `\`${JSON.stringify(child.default)}\``;
    out.push(`| \`${path}\` | ${typeOf(child)} | ${required} | ${def} | ${(child.description ?? "").replace(/\|/g, "\\|")} |`);
    if (child.properties) rows(child, `${path}.`, out);
    if (child.items?.properties) rows(child.items, `${path}[].`, out);
  }
}

export function configReference(): string {
  const out = ["| key | type | required | default | meaning |", "|---|---|---|---|---|"];
  rows(CONFIG_SCHEMA as unknown as Node, "", out);
  return out.join("\n");
}

/** Every key path of the schema, e.g. "targets[].batch.linger_ms". */
export function configKeyPaths(): string[] {
  const out: string[] = [];
  const walk = (node: Node, prefix: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      out.push(`${prefix}${key}`);
      walk(child, `${prefix}${key}.`);
      if (child.items) walk(child.items, `${prefix}${key}[].`);
    }
  };
  walk(CONFIG_SCHEMA as unknown as Node, "");
  return out;
}
