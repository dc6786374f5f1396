import { setFlagsFromString } from "node:v8";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findProblems } from "./find-problems.js";
import { mayHideProblems } from "./problem-gate.js";

const enc = new TextEncoder();

/** mayHideProblems for `text`, a comma-separated list of JSON values. */
function gate(text: string): boolean {
  return mayHideProblems(JSON.parse(`[${text}]`) as unknown[], text);
}

describe("mayHideProblems", () => {
  it("clears clean records, colons in strings included", () => {
    expect(
      gate('{"a":"http://x:8080/","c":["d:e",{"f":"::"}],"g":null}, [1, 2.5, "x"], "s:", 9007199254740991'),
    ).toBe(false);
    // An escaped backslash before "u003a" (no colon), and before the escape \u003a (a colon).
    expect(gate('{"a":"\\\\u003a"}')).toBe(false);
    expect(gate('{"a":"\\\\\\u003a"}')).toBe(false);
  });

  it.each([
    ["a key that holds a colon (which it does not count)", '{"a:b":1}'],
    ["a repeated key", '{"a":1,"a":2}'],
    ["a repeated key deep down", '[{"b":{"a":1,"a":2}}]'],
    ["a repeated key made up for by an escaped colon", '{"s":"\\u003a","a":1,"a":2}'],
    ["a repeated key made up for by an upper-case escape", '{"s":"\\u003A","a":1,"a":2}'],
    ["__proto__", '{"__proto__":1}'],
    ["constructor", '{"a":{"constructor":1}}'],
    ["prototype", '[{"prototype":[]}]'],
    ["nesting past 512 levels", `${"[".repeat(513)}${"]".repeat(513)}`],
    ["a large integer", '{"a":9007199254740992}'],
    ["a large integer in a list", "[1, -9007199254740992]"],
    ["an object in a list of numbers", '[1, {"a":1,"a":2}]'],
    ["nesting past 512 levels inside a list of numbers", `[1, ${"[".repeat(600)}5${"]".repeat(600)}]`],
  ])("does not clear %s", (_name, text) => {
    expect(gate(text)).toBe(true);
  });

  it("clears 512 levels of nesting", () => {
    expect(gate(`${"[".repeat(512)}${"]".repeat(512)}`)).toBe(false);
  });

  it("leaves lists of doubles as they are, however hot the walk gets", () => {
    // V8 rewrites each list of doubles that an indexed read, which has seen other lists too, meets
    // into a list of boxed numbers: twice the memory of every polygon the importer then keeps.
    setFlagsFromString("--allow-natives-syntax");
    const hasDoubles = new Function("list", "return %HasDoubleElements(list)") as (list: unknown) => boolean;
    const text = Array.from(
      { length: 50 },
      (_, i) => `{"segmentation":[[${i}.5,2.25,3.5]],"bbox":[1,2,3,${i}],"tags":["a",{"b":[1.5]}],"id":${i}}`,
    ).join(",");
    let values: { segmentation: number[][] }[] = [];
    for (let k = 0; k < 3000; k++) {
      values = JSON.parse(`[${text}]`) as typeof values;
      expect(mayHideProblems(values, text)).toBe(false);
    }
    expect(values.every((v) => hasDoubles(v.segmentation[0]))).toBe(true);
  });

  it("never clears a text in which findProblems finds something", () => {
    // Random values, some with one key of one object written a second time (the marker's place).
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom("a", "a:", ":", "\\", "é", "__proto__"),
    );
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: "small" },
        fc.oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.string(),
          fc.constantFrom(":", "\\u003a"),
        ),
        fc.array(tie("any"), { maxLength: 3 }),
        fc.dictionary(key, tie("any"), { maxKeys: 3 }),
      ),
    })).any;
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.nat(),
        (values, inject, at) => {
          let text = values.map((v) => JSON.stringify(v)).join(",");
          if (inject) {
            // A repeated member: the first key of some object, written again after it.
            const opens = [...text.matchAll(/\{"((?:[^"\\]|\\.)*)":/g)];
            const open = opens[at % Math.max(1, opens.length)];
            if (open?.index !== undefined) {
              const after = open.index + open[0].length;
              text = `${text.slice(0, after)}0,"${open[1]}":${text.slice(after)}`;
            }
          }
          let parsed: unknown[];
          try {
            parsed = JSON.parse(`[${text}]`) as unknown[];
          } catch {
            return; // the pattern matched inside a string: not a member
          }
          const bytes = enc.encode(text);
          const found = findProblems(bytes, 0, bytes.length).some((p) => p !== undefined);
          if (found) expect(mayHideProblems(parsed, text)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
