import { describe, expect, it } from "vitest";
import { findProblems } from "./find-problems.js";
import { MAX_PROBLEMS } from "./json-problem.js";

const enc = new TextEncoder();

/** The problems of each value of `text` (a comma-separated list of values), as [code, path, found]. */
function problems(text: string) {
  const bytes = enc.encode(text);
  return findProblems(bytes, 0, bytes.length).map((list) => list?.map((p) => [p.code, p.path, p.found]));
}

describe("findProblems", () => {
  it("reads a list of values, with paths relative to each", () => {
    expect(problems('{"a":1,"a":2}, [1], {"b":[{"c":1,"c":2}]}')).toEqual([
      [["duplicate_key", ["a"], '"a" twice']],
      undefined,
      [["duplicate_key", ["b", 0, "c"], '"c" twice']],
    ]);
  });

  it("counts the times a key repeats and lists repeated keys in order of first appearance", () => {
    expect(problems('{"b":1,"a":1,"b":2,"a":2,"b":3}')).toEqual([
      [
        ["duplicate_key", ["b"], '"b" 3 times'],
        ["duplicate_key", ["a"], '"a" twice'],
      ],
    ]);
  });

  it("tells keys from string values, whatever the strings hold", () => {
    const text = '{"s":"{\\"__proto__\\":1,\\"s\\":2}","t":["constructor","a\\\\"],"u":"\\\\","prototype":1}';
    expect(problems(text)).toEqual([[["forbidden_key", ["prototype"], '"prototype"']]]);
  });

  it("decodes escaped keys before comparing them", () => {
    expect(problems('{"\\u005f_proto__":1,"a\\u00e9":1,"aé":2}')).toEqual([
      [
        ["forbidden_key", ["__proto__"], '"__proto__"'],
        ["duplicate_key", ["aé"], '"aé" twice'],
      ],
    ]);
  });

  it("keeps the same key in different objects apart", () => {
    expect(problems('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":{"a":{"a":3}}}')).toEqual([undefined]);
  });

  it("tells integer literals from fractions and exponents", () => {
    expect(
      problems("9007199254740991, 9007199254740992, -9007199254740992, 1e16, 9007199254740993.0, 0"),
    ).toEqual([
      undefined,
      [["unsafe_integer", [], "9007199254740992"]],
      [["unsafe_integer", [], "-9007199254740992"]],
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("skips the rest of a value nested too deep and goes on with the next", () => {
    const deep = `${"[".repeat(600)}{"a":1,"a":2}${"]".repeat(600)}`;
    expect(problems(`{"x":1,"x":2,"d":${deep}}, {"y":1,"y":2}`)).toEqual([
      [["nesting_too_deep", [], "more than 512 levels"]],
      [["duplicate_key", ["y"], '"y" twice']],
    ]);
  });

  it(`lists at most ${MAX_PROBLEMS} problems per value`, () => {
    const text = `{${Array.from({ length: 100 }, (_, k) => `"k${k}":{"__proto__":1}`).join(",")}}`;
    expect(problems(text)[0]?.length).toBe(MAX_PROBLEMS);
  });
});
