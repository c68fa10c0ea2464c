// JSON.parse that keeps big integers exact.
//
// The gateway writes 64-bit values (timestamp_ns, proposal_epoch_nanos, large seqnos) as bare JSON
// digits. JSON.parse rounds anything above 2^53 to the nearest double: timestamp_ns
// 1769023529512366123 becomes ...368. This parser returns such integers as bigint and everything
// else exactly as JSON.parse would (safe integers and all non-integers are numbers), so objects keep
// their familiar shape and only values JSON.parse would corrupt change type.
//
// Speed: frames without a 16-digit run cannot hold an unsafe integer, so they go straight to
// JSON.parse (TPS, Lifecycle, ContentionData frames, most REST bodies). The rest is parsed by the
// hand-written descent below; see the SDK README for measurements against JSON.parse.

/** Parses JSON text; integers beyond Number.MAX_SAFE_INTEGER in magnitude become bigints. */
export function parseJson(text: string): unknown {
  if (!HAS_LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return new Parser(text).parseDocument();
}

const HAS_LONG_DIGIT_RUN = /\d{16}/;

// Character codes (module constants: V8 inlines them).
const CH_QUOTE = 0x22;
const CH_BACKSLASH = 0x5c;
const CH_COMMA = 0x2c;
const CH_COLON = 0x3a;
const CH_L_BRACE = 0x7b;
const CH_R_BRACE = 0x7d;
const CH_L_BRACKET = 0x5b;
const CH_R_BRACKET = 0x5d;
const CH_MINUS = 0x2d;
const CH_PLUS = 0x2b;
const CH_DOT = 0x2e;
const CH_ZERO = 0x30;
const CH_NINE = 0x39;
const CH_LOWER_E = 0x65;
const CH_UPPER_E = 0x45;
const CH_SPACE = 0x20;
const CH_TAB = 0x09;
const CH_LF = 0x0a;
const CH_CR = 0x0d;

const indexOrEnd = (i: number, end: number): number => (i < 0 ? end : i);

class Parser {
  private i = 0;
  private nextBackslash = -1;

  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail("unexpected data after the JSON value");
    return v;
  }

  private value(): unknown {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    switch (c) {
      case CH_L_BRACE:
        return this.object();
      case CH_L_BRACKET:
        return this.array();
      case CH_QUOTE:
        return this.string();
      case 0x74: // t
        return this.literal("true", true);
      case 0x66: // f
        return this.literal("false", false);
      case 0x6e: // n
        return this.literal("null", null);
      default:
        if (c === CH_MINUS || (c >= CH_ZERO && c <= CH_NINE)) return this.number();
        return this.fail(Number.isNaN(c) ? "unexpected end of JSON input" : `unexpected character ${JSON.stringify(this.s[this.i])}`);
    }
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++; // {
    this.ws();
    if (this.s.charCodeAt(this.i) === CH_R_BRACE) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== CH_QUOTE) this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s.charCodeAt(this.i) !== CH_COLON) this.fail("expected ':'");
      this.i++;
      const v = this.value();
      // Like JSON.parse, "__proto__" becomes an own property, never the object's prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
      else out[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === CH_R_BRACE) return out;
      if (c !== CH_COMMA) this.fail("expected ',' or '}'", this.i - 1);
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++; // [
    this.ws();
    if (this.s.charCodeAt(this.i) === CH_R_BRACKET) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s.charCodeAt(this.i++);
      if (c === CH_R_BRACKET) return out;
      if (c !== CH_COMMA) this.fail("expected ',' or ']'", this.i - 1);
    }
  }

  private string(): string {
    const start = ++this.i; // after the opening quote
    const end = this.s.indexOf('"', start);
    if (end < 0) this.fail("unterminated string");
    // Where the next backslash is, cached: searching from every string would rescan the rest of
    // the text each time (quadratic on a frame without escapes).
    if (this.nextBackslash < start) this.nextBackslash = indexOrEnd(this.s.indexOf("\\", start), this.s.length);
    if (this.nextBackslash > end) {
      // The common case (hex, names): no escapes. Control characters are invalid JSON.
      for (let k = start; k < end; k++) if (this.s.charCodeAt(k) < CH_SPACE) this.fail("control character in string", k);
      this.i = end + 1;
      return this.s.slice(start, end);
    }
    return this.escapedString(start);
  }

  private escapedString(start: number): string {
    // Find the real closing quote (one not preceded by an odd run of backslashes), then let
    // JSON.parse decode the escapes of that one token.
    let k = start;
    for (;;) {
      const c = this.s.charCodeAt(k);
      if (Number.isNaN(c)) this.fail("unterminated string");
      if (c === CH_BACKSLASH) k += 2;
      else if (c === CH_QUOTE) break;
      else k++;
    }
    this.i = k + 1;
    try {
      return JSON.parse(this.s.slice(start - 1, k + 1)) as string;
    } catch {
      return this.fail("invalid string escape", start);
    }
  }

  private number(): number | bigint {
    const s = this.s;
    const start = this.i;
    let k = start;
    if (s.charCodeAt(k) === CH_MINUS) k++;
    const digitsStart = k;
    while (k < s.length && s.charCodeAt(k) >= CH_ZERO && s.charCodeAt(k) <= CH_NINE) k++;
    if (k === digitsStart) this.fail("expected a digit", k);
    if (s.charCodeAt(digitsStart) === CH_ZERO && k - digitsStart > 1) this.fail("leading zero in number", digitsStart);
    let integer = true;
    if (s.charCodeAt(k) === CH_DOT) {
      integer = false;
      const f = ++k;
      while (k < s.length && s.charCodeAt(k) >= CH_ZERO && s.charCodeAt(k) <= CH_NINE) k++;
      if (k === f) this.fail("expected a digit after '.'", k);
    }
    const e = s.charCodeAt(k);
    if (e === CH_LOWER_E || e === CH_UPPER_E) {
      integer = false;
      k++;
      const sign = s.charCodeAt(k);
      if (sign === CH_PLUS || sign === CH_MINUS) k++;
      const d = k;
      while (k < s.length && s.charCodeAt(k) >= CH_ZERO && s.charCodeAt(k) <= CH_NINE) k++;
      if (k === d) this.fail("expected a digit in the exponent", k);
    }
    this.i = k;
    const text = s.slice(start, k);
    // At most 15 digits is always a safe integer; only longer ones need the check.
    if (!integer || k - digitsStart <= 15) return Number(text);
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  }

  private literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`unexpected token`);
    this.i += word.length;
    return v;
  }

  private ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) c = s.charCodeAt(++this.i);
  }

  private fail(message: string, at = this.i): never {
    throw new SyntaxError(`${message} in JSON at position ${at}`);
  }
}
