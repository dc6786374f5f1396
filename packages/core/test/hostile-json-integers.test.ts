import { describe, expect, it } from "vitest";
import { expectFlagged, numberAnnotation, read, stringAnnotation } from "./hostile-json-documents.js";

const unsafe = (path: (string | number)[], found: string) => ({
  code: "unsafe_integer" as const,
  path,
  expected: "an integer from -9007199254740991 to 9007199254740991 (2^53 - 1), which a double holds exactly",
  found,
});

describe("scanRecords given integers past 2^53", () => {
  it.each([
    ["2^53 + 1 as an id", '{"id":9007199254740993,"bbox":[1,2,3,4]}', ["id"], "9007199254740993"],
    ["2^53 itself", '{"bbox":[1,2,3,4],"id":9007199254740992}', ["id"], "9007199254740992"],
    ["-2^53 - 1", '{"id":-9007199254740993}', ["id"], "-9007199254740993"],
    ["-2^53", '{"image_id":-9007199254740992,"id":1}', ["image_id"], "-9007199254740992"],
    ["1e16 written out", '{"id":1,"area":10000000000000000}', ["area"], "10000000000000000"],
    [
      "a long integer in a list",
      '{"id":1,"bbox":[1,2,3,12345678901234567890]}',
      ["bbox", 3],
      "12345678901234567890",
    ],
    [
      "a long integer in a polygon",
      '{"id":1,"segmentation":[[1,2],[3, 99999999999999999999 ]]}',
      ["segmentation", 1, 1],
      "99999999999999999999",
    ],
    [
      "a nested member",
      '{"id":1,"a":{"b":[{"c":90071992547409930}]}}',
      ["a", "b", 0, "c"],
      "90071992547409930",
    ],
  ])("flags %s with its path and literal", async (_name, hostile, path, found) => {
    await expectFlagged(hostile, [unsafe(path, found)], numberAnnotation);
    await expectFlagged(hostile.replace('"id":1', '"id":1,"s":"x"'), [unsafe(path, found)], stringAnnotation);
  });

  it.each([
    ["2^53 - 1", '{"id":9007199254740991}'],
    ["-(2^53 - 1)", '{"id":-9007199254740991}'],
    ["1e16 in exponent form", '{"id":1,"area":1e16,"b":1E16,"c":[1e+16]}'],
    ["a fraction past 2^53", '{"id":1,"area":9007199254740993.0,"b":[12345678901234567890.5]}'],
    ["2^53 + 1 in exponent form", '{"id":1,"area":9.007199254740993e15}'],
    ["an overflowing exponent", '{"id":1,"area":1e400}'],
    ["long integers in strings", '{"id":1,"s":"9007199254740993","t":["12345678901234567890"]}'],
  ])("does not flag %s", async (_name, clean) => {
    await expectFlagged(clean, undefined, numberAnnotation);
  });

  it("flags unsafe integers in top-level values that are not arrays, and cuts a long literal short", async () => {
    const text = `{"info":{"year":9007199254740993},"n":18014398509481984,"m":${"7".repeat(500)}}`;
    expect(await read(text, 3)).toEqual([
      { key: "info", index: -1, value: undefined, problems: [unsafe(["year"], "9007199254740993")] },
      { key: "n", index: -1, value: undefined, problems: [unsafe([], "18014398509481984")] },
      {
        key: "m",
        index: -1,
        value: undefined,
        problems: [unsafe([], `${"7".repeat(24)}… (500 characters)`)],
      },
    ]);
  });
});
