// Validation of client → server messages: the JSON schema decides (SubscribeMessage /
// HelloMessage), then two rules a schema cannot state are checked (a filter must target a
// subscribed name; a range's min must not exceed its max). The result is either the typed
// message or the ProtocolError to send back in an Error frame.

import { CLIENT_MESSAGE_KINDS } from "./constants.js";
import { describeValidationError, formatPath, type ErrorDescription } from "./describe-error.js";
import { filterField } from "./field-filters.js";
import type { AdvancedSubscription, ClientMessage, HelloMessage, SimpleSubscription, SubscribeMessage } from "./generated/index.js";
import { closestMatch } from "./suggest.js";
import { validatorFor } from "./validators.js";

export type ClientMessageResult =
  | { ok: true; kind: "subscribe"; message: SubscribeMessage }
  | { ok: true; kind: "hello"; message: HelloMessage }
  | { ok: false; error: ErrorDescription };

const validateSubscribe = validatorFor<SubscribeMessage>("SubscribeMessage");
const validateHello = validatorFor<HelloMessage>("HelloMessage");
const KINDS: readonly string[] = CLIENT_MESSAGE_KINDS;

const fail = (error: ErrorDescription): ClientMessageResult => ({ ok: false, error });

/**
 * Validates a parsed client message. The envelope (an object with exactly one known key) is
 * checked by hand first: the schema states it as a oneOf, whose errors would mix both branches.
 */
export function validateClientMessage(json: unknown): ClientMessageResult {
  const valid = [...KINDS];
  if (json === null || typeof json !== "object" || Array.isArray(json))
    return fail({ code: "invalid_message", message: 'a client message must be a JSON object: {"subscribe": ...} or {"hello": ...}', valid });
  const keys = Object.keys(json);
  if (keys.length !== 1) {
    const message = keys.length === 0 ? "empty message; expected one key" : `one message per frame: got keys ${keys.join(", ")}`;
    return fail({ code: "invalid_message", message: `${message}; valid: ${valid.join(", ")}`, valid });
  }
  const kind = keys[0];
  if (kind === "subscribe") {
    if (!validateSubscribe(json)) return fail(describeValidationError(validateSubscribe.errors ?? [], json));
    const semantic = checkSubscription(json.subscribe);
    return semantic === undefined ? { ok: true, kind, message: json } : fail(semantic);
  }
  if (kind === "hello") {
    if (!validateHello(json)) return fail(describeValidationError(validateHello.errors ?? [], json));
    return { ok: true, kind, message: json };
  }
  const guess = closestMatch(kind, valid);
  const hint = guess === undefined ? "" : ` (did you mean "${guess}"?)`;
  return fail({ code: "invalid_message", message: `unknown message ${JSON.stringify(kind)}; valid: ${valid.join(", ")}${hint}`, valid, path: kind });
}

/** JSON.parse + validateClientMessage; a parse failure is an invalid_json error. */
export function parseClientMessage(text: string): ClientMessageResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail({ code: "invalid_json", message: `invalid JSON: ${(err as Error).message}` });
  }
  return validateClientMessage(json);
}

/** The advanced form of either subscription form: a simple list is `{events: list}`. */
export function asAdvancedSubscription(sub: SimpleSubscription | AdvancedSubscription): AdvancedSubscription {
  return Array.isArray(sub) ? { events: sub } : sub;
}

/**
 * Rules beyond the schema, for an already schema-valid subscription: every filter spec targets a
 * name listed in `events` (otherwise it could never apply), and no range has min > max.
 */
export function checkSubscription(sub: SimpleSubscription | AdvancedSubscription): ErrorDescription | undefined {
  if (Array.isArray(sub)) return undefined;
  const events = new Set<string>(sub.events);
  for (const [i, spec] of (sub.filters ?? []).entries()) {
    const at = ["subscribe", "filters", String(i)];
    if (!events.has(spec.event_name)) {
      const path = formatPath([...at, "event_name"]);
      return {
        code: "invalid_filter",
        message: `the filter at ${formatPath(at)} targets ${spec.event_name}, which subscribe.events does not list; add it to events or remove the filter`,
        path,
      };
    }
    // Events without filterable fields type field_filters as unknown[] (always empty there).
    const fieldFilters = (spec.field_filters ?? []) as readonly { field: string; filter: unknown }[];
    for (const [j, ff] of fieldFilters.entries()) {
      if (filterField(ff.field)?.kind !== "range") continue;
      const { min, max } = ff.filter as { min?: number | null; max?: number | null };
      if (min != null && max != null && min > max) {
        const path = formatPath([...at, "field_filters", String(j), "filter"]);
        return { code: "invalid_filter", message: `empty range at ${path}: min ${min} > max ${max}`, path };
      }
    }
  }
  return undefined;
}
