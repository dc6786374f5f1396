import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NumberObjects, Stop } from "./number-objects.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Parses `[text]`'s elements with NumberObjects from the first '{'; returns values and state. */
function run(text: string) {
  const parser = new NumberObjects();
  const out: unknown[] = [];
  const b = bytes(text);
  const count = parser.parseRun(b, text.indexOf("{"), out);
  return { count, out, end: parser.end, stop: parser.stop };
}

/** Object.is on every number, recursively, and the same keys in the same order. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return Object.is(a, b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.join() === kb.join() &&
      ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return a === b;
}

describe("NumberObjects", () => {
  it("parses a run of annotation-like objects exactly as JSON.parse does", () => {
    const text =
      '{"segmentation":[[339.36,9.38,336.56,27.13,0,-0]],"area":6496.9341,"iscrowd":0,"image_id":1,"bbox":[213.32,0,128.35,72.54],"category_id":50,"id":1},' +
      '{"bbox":[1e2,2E-3,-0.0,1.5e+1],"id":9007199254740991,"area":1e400,"big":1e16,"x":[]}]';
    const r = run(text);
    expect(r.count).toBe(2);
    expect(r.stop).toBe(Stop.Done);
    expect(text[r.end]).toBe("]");
    const expected = JSON.parse(`[${text}`) as unknown[];
    expect(same(r.out, expected)).toBe(true);
  });

  it("stops after `max` elements, at the end of the last one", () => {
    const text = '{"a":1},{"a":2},{"a":3}';
    const parser = new NumberObjects();
    const out: unknown[] = [];
    expect(parser.parseRun(bytes(text), 0, out, 2)).toBe(2);
    expect(parser.stop).toBe(Stop.Done);
    expect(text.slice(parser.end)).toBe(',{"a":3}');
    expect(out).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("reads whitespace between tokens (pretty-printed files)", () => {
    const text = '[ {\n  "a" : [ [ 1 , 2.5 ] , [ ] ] ,\r\n\t"b": -3, "c": [1,\n 2.5,\t3] } , { } ]';
    const r = run(text);
    expect(r.count).toBe(2);
    expect(same(r.out, JSON.parse(text))).toBe(true);
  });

  it.each([
    ['{"a":"x"}', "a string"],
    ['{"a":true}', "a boolean"],
    ['{"a":null}', "null"],
    ['{"a":{"counts":[1]}}', "a nested object"],
    ['{"a":[[[1]]]}', "three levels of lists"],
    ['{"a":[1,[2]]}', "a mixed list"],
    ['{"a\\u0062":1}', "an escaped key"],
    ['{"é":1}', "a non-ASCII key"],
    ['{"__proto__":1}', "an own __proto__ key"],
    ['{"constructor":1}', "a constructor key"],
    ['{"prototype":[1]}', "a prototype key"],
    ['{"b":1,"a":2,"b":3}', "a repeated key"],
    ['{"id":9007199254740992}', "an integer of 2^53"],
    ['{"id":-9007199254740993}', "an integer below -2^53"],
    ['{"a":[1,123456789012345678901]}', "a long integer in a list"],
    [`{"${"k".repeat(257)}":1}`, "a key of 257 characters"],
    ['{"a":01}', "a leading zero"],
    ['{"a":1.}', "a dot without digits"],
    ['{"a":.5}', "no integer part"],
    ['{"a":+1}', "a plus sign"],
    ['{"a":1e}', "an exponent without digits"],
    ['{"a":[1,]}', "a trailing comma in a list"],
    ['{"a":1,}', "a trailing comma in an object"],
    ["{a:1}", "an unquoted key"],
    ['{"a" 1}', "a missing colon"],
    ['{"a":-}', "a lone minus"],
    ['{"a":NaN}', "NaN"],
    ['{"a":[1.,2]}', "a dot without digits in a list"],
    ['{"a":[01,2]}', "a leading zero in a list"],
    ['{"a":[-,2]}', "a lone minus in a list"],
    ['{"a":[1,.5]}', "no integer part in a list"],
    ['{"a":[[1],[2.]]}', "a dot without digits in a nested list"],
    ['{"a":[1 2]}', "a missing comma in a list"],
    [`{"a":${"1".repeat(500)}}`, "a number of 500 digits"],
  ])("leaves %s (%s) to JSON.parse", (text) => {
    const r = run(text);
    expect(r.count).toBe(0);
    expect(r.stop).toBe(Stop.Other);
    expect(r.end).toBe(0);
  });

  it("stops before an element cut by the end of the bytes, keeping the ones before it", () => {
    const whole = '{"a":[1,2]},{"b":[[3.25,4]],"c":5}';
    for (let cut = whole.indexOf("},{") + 3; cut < whole.length; cut++) {
      const r = run(whole.slice(0, cut));
      expect(r.count).toBe(1);
      expect(r.stop).toBe(Stop.Cut);
      expect(r.end).toBe(whole.indexOf("},{") + 1);
    }
  });

  it("reads every double as JSON.parse does, in every way JSON can write it", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 100),
          fc.integer(),
        ),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 2 }),
        (x, digits, form) => {
          const text =
            form === 0 ? JSON.stringify(x) : form === 1 ? x.toFixed(digits) : x.toExponential(digits);
          if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) return;
          const doc = `{"v":${text},"l":[${text},${text}]}`;
          const r = run(doc);
          // Integer literals past 2^53 - 1 are left to JSON.parse and the unsafe_integer check.
          if (/^-?\d+$/.test(text) && Math.abs(x) > Number.MAX_SAFE_INTEGER) {
            expect([r.count, r.stop]).toEqual([0, Stop.Other]);
            return;
          }
          expect(r.count).toBe(1);
          expect(same(r.out[0], JSON.parse(doc))).toBe(true);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("agrees with JSON.parse on random digit strings, or leaves them to it", () => {
    const json = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^(0|[1-9]\d{0,25})$/),
        fc.option(fc.stringMatching(/^\d{1,25}$/)),
        fc.option(
          fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "+", "-"), fc.stringMatching(/^\d{1,3}$/)),
        ),
      )
      .map(
        ([neg, int, frac, exp]) =>
          `${neg ? "-" : ""}${int}${frac === null ? "" : `.${frac}`}${exp === null ? "" : exp.join("")}`,
      );
    fc.assert(
      fc.property(json, (text) => {
        const doc = `{"v":${text}}`;
        const r = run(doc);
        if (/^-?\d+$/.test(text) && Math.abs(JSON.parse(text)) > Number.MAX_SAFE_INTEGER) {
          expect([r.count, r.stop]).toEqual([0, Stop.Other]);
          return;
        }
        expect(r.count).toBe(1);
        expect(Object.is((r.out[0] as { v: number }).v, JSON.parse(text))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("never accepts what JSON.parse rejects", () => {
    const alphabet = fc.constantFrom(...'{}[],:"a1.-+eE0 \n'.split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 24 }), (chars) => {
        const doc = `{${chars.join("")}`;
        let parsed: unknown;
        let valid = true;
        try {
          parsed = JSON.parse(`[${doc}]`);
        } catch {
          valid = false;
        }
        const r = run(doc);
        if (r.count === 0) return;
        // What it parsed is a prefix of elements JSON.parse also reads, value for value.
        const prefix = JSON.parse(`[${doc.slice(0, r.end)}]`) as unknown[];
        expect(same(r.out, prefix)).toBe(true);
        if (valid && r.stop === Stop.Done && doc.slice(r.end).trim() === "")
          expect(same(r.out, parsed)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
