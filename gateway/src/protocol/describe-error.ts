// Turns ajv errors into one ProtocolError a person can act on: which value is wrong, where, and
// what would be valid. ajv reports every failed keyword (allErrors) including those of oneOf
// branches the client never meant; we keep the most specific error: the deepest one, and among
// equally deep ones the most telling keyword (a discriminator or enum miss beats a type miss).

import type { ErrorObject } from "ajv";
import type { ErrorCode } from "./constants.js";
import { definition, refName, type Schema } from "./schemas/index.js";
import { closestMatch } from "./suggest.js";

export interface ErrorDescription {
  code: ErrorCode;
  message: string;
  valid?: string[];
  path?: string;
}

/** Lower ranks win among errors at the same depth. */
const KEYWORD_RANK: Readonly<Record<string, number>> = {
  discriminator: 0,
  enum: 1,
  const: 1,
  additionalProperties: 2,
  required: 3,
  pattern: 4,
  minimum: 4,
  maximum: 4,
  maxItems: 4,
  minItems: 4,
  maxLength: 4,
  minLength: 4,
  type: 5,
};
const SUMMARY_KEYWORDS = new Set(["oneOf", "anyOf", "allOf", "if", "not"]);

/** "/subscribe/filters/0/event_name" → ["subscribe", "filters", "0", "event_name"]. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** ["subscribe", "filters", "0", "event_name"] → "subscribe.filters[0].event_name". */
export function formatPath(segments: readonly string[]): string {
  let out = "";
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out === "" ? s : `.${s}`;
  return out;
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let v = data;
  for (const s of segments) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[s];
  }
  return v;
}

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

function codeFor(segments: readonly string[]): ErrorCode {
  if (segments[0] === "hello") return "invalid_hello";
  if (segments[0] === "subscribe") return segments.includes("filters") ? "invalid_filter" : "invalid_subscribe";
  return "invalid_message";
}

/** Values the branches of a tagged union (`parentSchema`) accept for `tag`, in branch order. */
function tagValues(parent: Schema | undefined, tag: string): string[] {
  const out: string[] = [];
  for (const branch of parent?.oneOf ?? []) {
    const s = branch.$ref !== undefined ? definition(refName(branch.$ref)).schema : branch;
    const p = s.properties?.[tag];
    if (p?.const !== undefined) out.push(String(p.const));
    for (const v of p?.enum ?? []) out.push(String(v));
  }
  return out;
}

function withSuggestion(message: string, value: unknown, valid: readonly string[]): string {
  const guess = typeof value === "string" ? closestMatch(value, valid) : undefined;
  return guess === undefined ? message : `${message} (did you mean "${guess}"?)`;
}

const isEventVocabulary = (values: readonly unknown[]) => values.includes("BlockStart");

/** Human hints for the patterns clients get wrong, by definition title. */
const PATTERN_HINTS: Readonly<Record<string, string>> = {
  AddressInput: "an address: 0x + 40 hex digits",
  Bytes32Input: "a 32-byte word: 0x + 64 hex digits",
};

function pickError(errors: readonly ErrorObject[]): ErrorObject {
  const candidates = errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword));
  const pool = candidates.length > 0 ? candidates : errors;
  const depth = (e: ErrorObject) => pointerSegments(e.instancePath).length;
  const rank = (e: ErrorObject) => KEYWORD_RANK[e.keyword] ?? 6;
  return pool.reduce((best, e) => (depth(e) > depth(best) || (depth(e) === depth(best) && rank(e) < rank(best)) ? e : best));
}

/**
 * One ProtocolError-shaped description of a failed validation. `data` is the validated value; it
 * lets messages name context the error alone lacks (the event type of a bad field filter).
 */
export function describeValidationError(errors: readonly ErrorObject[], data?: unknown): ErrorDescription {
  if (errors.length === 0) return { code: "invalid_message", message: "invalid message" };
  const e = pickError(errors);
  const segs = pointerSegments(e.instancePath);
  const path = formatPath(segs);
  const where = path === "" ? "the message" : path;
  const code = codeFor(segs);
  const parent = e.parentSchema as Schema | undefined;
  const p = e.params as Record<string, unknown>;

  switch (e.keyword) {
    case "discriminator": {
      const tag = String(p.tag);
      const tagPath = formatPath([...segs, tag]);
      if (p.error !== "mapping") return { code, message: `missing or non-string "${tag}" at ${where}`, path: tagPath };
      const value = p.tagValue;
      const valid = tagValues(parent, tag);
      if (tag === "event_name")
        return { code: "unknown_event", message: withSuggestion(`unknown event ${show(value)} at ${tagPath}; valid: ${valid.join(", ")}`, value, valid), valid, path: tagPath };
      if (tag === "field") {
        const event = valueAt(data, [...segs.slice(0, -2), "event_name"]);
        const target = typeof event === "string" ? event : "this event";
        const message = `field filter ${show(value)} is not valid for ${target}; valid: ${valid.join(", ")}`;
        return { code: "invalid_filter", message: withSuggestion(message, value, valid), valid, path: tagPath };
      }
      return { code, message: withSuggestion(`unknown ${tag} ${show(value)} at ${where}; valid: ${valid.join(", ")}`, value, valid), valid, path: tagPath };
    }
    case "enum": {
      const valid = (p.allowedValues as unknown[]).map(String);
      if (isEventVocabulary(valid))
        return { code: "unknown_event", message: withSuggestion(`unknown event ${show(e.data)} at ${where}; valid: ${valid.join(", ")}`, e.data, valid), valid, path };
      const label = segs.length > 0 ? segs[segs.length - 1] : "value";
      return { code, message: withSuggestion(`invalid ${label} ${show(e.data)} at ${where}; valid: ${valid.join(", ")}`, e.data, valid), valid, path };
    }
    case "const":
      return { code, message: `${where} must be ${show(p.allowedValue)}, got ${show(e.data)}`, path };
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      // Other branches of a oneOf may accept other keys at the same place: list them all.
      const valid = [
        ...new Set(
          errors
            .filter((x) => x.keyword === "additionalProperties" && x.instancePath === e.instancePath)
            .flatMap((x) => Object.keys((x.parentSchema as Schema | undefined)?.properties ?? {})),
        ),
      ];
      let message = withSuggestion(`unknown key ${show(key)} in ${where}; valid: ${valid.join(", ")}`, key, valid);
      if (key === "meta" && valid.includes("events")) message += "; meta items such as TPS go in events";
      return { code, message, valid, path: formatPath([...segs, key]) };
    }
    case "required":
      return { code, message: `missing ${show(p.missingProperty)} in ${where}`, path };
    case "type": {
      const types = [...new Set(errors.filter((x) => x.keyword === "type" && x.instancePath === e.instancePath).map((x) => String(x.params.type)))];
      const got = e.data === null ? "null" : Array.isArray(e.data) ? "array" : typeof e.data;
      if (path === "subscribe")
        return { code, message: `subscribe must be a list of items or an object {events, filters?, min_stage?}, got ${got}`, path };
      return { code, message: `${where} must be ${types.join(" or ").replace(/,/g, " or ")}, got ${got}`, path };
    }
    case "pattern": {
      const hint = PATTERN_HINTS[parent?.title ?? ""] ?? `a string matching ${String(p.pattern)}`;
      return { code, message: `${show(e.data)} at ${where} is not ${hint}`, path };
    }
    case "maxItems":
      if (p.limit === 0 && parent?.description !== undefined) return { code, message: `${where}: ${parent.description}`, path };
      return { code, message: `${where} has more than ${String(p.limit)} items`, path };
    default:
      return { code, message: `${where} ${e.message ?? "is invalid"}`, path };
  }
}
