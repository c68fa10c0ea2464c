// JSON.stringify that writes bigints as bare JSON digits, the way the gateway sent them.
//
// JSON.stringify throws on a bigint, and the SDK hands out bigints for integers above 2^53, so
// re-serializing a parsed frame (logging it, forwarding it, `tail --json`) needs this. Output is
// JSON.stringify's (without indentation) for every other value: toJSON is honoured,
// undefined/functions/symbols are skipped in objects and become null in arrays, non-finite numbers
// become null.

/** Serializes `value` as JSON; bigints are written as exact integer literals. */
export function stringifyJson(value: unknown): string {
  return write(value) ?? "null";
}

function write(value: unknown): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(key: string): unknown }).toJSON("");
  }
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      return undefined; // undefined, function, symbol
  }
}

// Appending to one string (V8 builds a rope) is several times faster than joining part arrays.
function writeArray(a: readonly unknown[]): string {
  let out = "[";
  for (let i = 0; i < a.length; i++) out += (i === 0 ? "" : ",") + (write(a[i]) ?? "null");
  return out + "]";
}

function writeObject(o: Record<string, unknown>): string {
  let out = "{";
  let first = true;
  for (const key in o) {
    if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
    const v = write(o[key]);
    if (v === undefined) continue;
    out += (first ? "" : ",") + quotedKey(key) + ":" + v;
    first = false;
  }
  return out + "}";
}

// Strings that need no escaping (hex, names: nearly all of them) are quoted without JSON.stringify.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

// Object keys repeat in every event; their quoted form is cached (bounded: keys are a small vocabulary).
const keyCache = new Map<string, string>();

function quotedKey(key: string): string {
  let q = keyCache.get(key);
  if (q === undefined) {
    q = quote(key);
    if (keyCache.size < 4096) keyCache.set(key, q);
  }
  return q;
}
