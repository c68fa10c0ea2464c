// Turns ajv's error list into the one problem a person should fix first. ajv (allErrors) reports
// every failed keyword, including those of oneOf branches the author never meant; the deepest error
// is the most specific, and at equal depth a wrong value (enum, const, unknown key) says more than
// a wrong type.
import type { ErrorObject } from "ajv";
import { FIELD_FILTERS_BY_EVENT } from "@monad-gateway/sdk";

export interface Problem {
  path: string;
  message: string;
}

const RANK: Readonly<Record<string, number>> = { discriminator: 0, enum: 1, const: 1, additionalProperties: 2, required: 3, type: 9 };
const SUMMARIES = new Set(["oneOf", "anyOf", "allOf", "if", "not"]);

function segments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** ["targets", "0", "url"] → "targets[0].url". */
export function formatPath(segs: readonly string[]): string {
  return segs.reduce((out, s) => out + (/^\d+$/.test(s) ? `[${s}]` : out === "" ? s : `.${s}`), "");
}

function valueAt(data: unknown, segs: readonly string[]): unknown {
  return segs.reduce<unknown>((v, s) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[s] : undefined), data);
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const kindOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);

function pick(errors: readonly ErrorObject[]): ErrorObject {
  const pool = errors.some((e) => !SUMMARIES.has(e.keyword)) ? errors.filter((e) => !SUMMARIES.has(e.keyword)) : errors;
  const depth = (e: ErrorObject) => segments(e.instancePath).length;
  const rank = (e: ErrorObject) => RANK[e.keyword] ?? 5;
  return pool.reduce((best, e) => (depth(e) > depth(best) || (depth(e) === depth(best) && rank(e) < rank(best)) ? e : best));
}

export function describeAjvError(errors: readonly ErrorObject[], data: unknown): Problem {
  const e = pick(errors);
  const segs = segments(e.instancePath);
  const path = formatPath(segs);
  const p = e.params as Record<string, unknown>;
  const here = valueAt(data, segs);
  switch (e.keyword) {
    case "enum":
      return { path, message: `${show(here)} is not valid; valid: ${(p.allowedValues as unknown[]).join(", ")}` };
    case "const":
      return { path, message: `must be ${show(p.allowedValue)}, got ${show(here)}` };
    case "additionalProperties": {
      // Other branches of a oneOf may allow other keys at the same place: list them all.
      const keys = new Set<string>();
      for (const x of errors)
        if (x.keyword === "additionalProperties" && x.instancePath === e.instancePath)
          for (const k of Object.keys((x.parentSchema as { properties?: object } | undefined)?.properties ?? {})) keys.add(k);
      return { path, message: `unknown key ${show(p.additionalProperty)}; valid keys: ${[...keys].join(", ")}` };
    }
    case "required":
      return { path, message: `missing required key ${show(p.missingProperty)}` };
    case "discriminator": {
      const tag = String(p.tag);
      const valid =
        tag === "event_name"
          ? Object.keys(FIELD_FILTERS_BY_EVENT)
          : tag === "field"
            ? [...(FIELD_FILTERS_BY_EVENT[valueAt(data, [...segs.slice(0, -2), "event_name"]) as keyof typeof FIELD_FILTERS_BY_EVENT] ?? [])]
            : [];
      return { path: formatPath([...segs, tag]), message: `${show(p.tagValue)} is not valid here; valid: ${valid.join(", ") || "none (this event has no filterable fields)"}` };
    }
    case "type": {
      const types = [...new Set(errors.filter((x) => x.keyword === "type" && x.instancePath === e.instancePath).map((x) => String(x.params.type)))];
      return { path, message: `must be ${types.join(" or ").replace(/,/g, " or ")}, got ${kindOf(here)}` };
    }
    case "pattern":
      return { path, message: `${show(here)} does not have the expected form (${String(p.pattern)})` };
    case "maxItems":
      return { path, message: `has more than ${String(p.limit)} items${(e.parentSchema as { description?: string })?.description ? ` (${(e.parentSchema as { description: string }).description})` : ""}` };
    default:
      return { path, message: `${e.message ?? "is invalid"}${here !== undefined && typeof here !== "object" ? `, got ${show(here)}` : ""}` };
  }
}
