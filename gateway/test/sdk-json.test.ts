// The SDK's JSON: parsing keeps integers above 2^53 exact (as bigints) and is otherwise JSON.parse;
// stringifying writes them back as the same digits.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJson } from "../../sdk-ts/src/json/parse.js";
import { stringifyJson } from "../../sdk-ts/src/json/stringify.js";
import { decrement, increment, intEquals, normalizeInt, parseInt64 } from "../../sdk-ts/src/u64.js";

function hasUnsafeInteger(v: unknown): boolean {
  if (typeof v === "number") return Number.isInteger(v) && !Number.isSafeInteger(v);
  if (typeof v === "object" && v !== null) return Object.values(v).some(hasUnsafeInteger);
  return false;
}

describe("parseJson", () => {
  it("returns integers beyond 2^53 as exact bigints and everything else as JSON.parse does", () => {
    const text =
      '{"server_seqno":7,"Events":[{"seqno":9007199254740991,"timestamp_ns":1769023529512366123,"x":-9223372036854775808,"f":1.5e3,"big_float":12345678901234567.5}]}';
    const v = parseJson(text) as { server_seqno: number; Events: Record<string, unknown>[] };
    expect(v.server_seqno).toBe(7);
    const e = v.Events[0];
    expect(e.seqno).toBe(9007199254740991); // the largest safe integer stays a number
    expect(e.timestamp_ns).toBe(1769023529512366123n);
    expect(e.x).toBe(-9223372036854775808n);
    expect(e.f).toBe(1500);
    expect(e.big_float).toBe(12345678901234567.5); // not an integer: a number, as JSON.parse gives
    expect(BigInt(JSON.parse(text).Events[0].timestamp_ns)).toBe(1769023529512366080n); // what JSON.parse makes of it
  });

  it("agrees with JSON.parse on any JSON without unsafe integers", () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((v) => !hasUnsafeInteger(v)),
        (v) => {
          const text = JSON.stringify(v);
          expect(parseJson(text)).toEqual(JSON.parse(text));
          expect(parseJson(JSON.stringify(v, null, 2))).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("round-trips any integer exactly through stringifyJson", () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 127n), max: 2n ** 128n })), fc.string(), (ints, s) => {
        const text = `{"ints":[${ints.join(",")}],"s":${JSON.stringify(s)}}`;
        const v = parseJson(text) as { ints: (number | bigint)[]; s: string };
        expect(v.ints.map((x) => BigInt(x))).toEqual(ints);
        for (const x of v.ints) expect(typeof x).toBe(Number.isSafeInteger(Number(x)) && BigInt(Number(x)) === BigInt(x) ? "number" : "bigint");
        expect(v.s).toBe(s);
        expect(stringifyJson(v)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("handles escapes, unicode and a __proto__ key like JSON.parse", () => {
    const text = '{"a\\"b":"x\\\\\\"y\\u00e9\\ud83d\\ude00","__proto__":{"polluted":1},"n":12345678901234567890}';
    const v = parseJson(text) as Record<string, unknown>;
    expect(v['a"b']).toBe('x\\"yé😀');
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(v, "__proto__")).toBe(true);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it("rejects invalid JSON with a SyntaxError, as JSON.parse does", () => {
    for (const bad of ["", "{", '{"a":1,}', "[1 2]", "01", "1.", "-", '"\u0001"', "tru", '{"a":1} x', "12345678901234567890x", '"abc'])
      expect(() => parseJson(bad), bad).toThrow(SyntaxError);
  });
});

describe("stringifyJson", () => {
  it("is JSON.stringify for values without bigints", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(stringifyJson(v)).toBe(JSON.stringify(v));
      }),
      { numRuns: 500 },
    );
    const odd = { u: undefined, f: () => 1, n: NaN, d: new Date(0), a: [undefined, () => 1], s: "\ud800" };
    expect(stringifyJson(odd)).toBe(JSON.stringify(odd));
  });
});

describe("64-bit helpers", () => {
  it("increment, decrement and compare across the 2^53 boundary", () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(increment(max - 1)).toBe(max);
    expect(increment(max)).toBe(2n ** 53n);
    expect(decrement(2n ** 53n)).toBe(max);
    expect(normalizeInt(5n)).toBe(5);
    expect(intEquals(5, 5n)).toBe(true);
    expect(parseInt64("18446744073709551615")).toBe(18446744073709551615n);
    expect(parseInt64("42")).toBe(42);
    expect(parseInt64("4x")).toBeUndefined();
  });
});
