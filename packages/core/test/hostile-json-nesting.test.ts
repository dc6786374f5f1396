import { describe, expect, it } from "vitest";
import { expectFlagged, numberAnnotation, read, stringAnnotation } from "./hostile-json-documents.js";

const lists = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const TOO_DEEP = {
  code: "nesting_too_deep" as const,
  path: [] as (string | number)[],
  expected: "at most 512 levels of nested lists and objects",
  found: "more than 512 levels",
};

describe("scanRecords given deep nesting and long tokens", () => {
  it.each([
    [
      "lists in a number-only record",
      (n: number) => `{"id":1,"segmentation":${lists(n - 1)}}`,
      numberAnnotation,
    ],
    [
      "objects in a number-only record",
      (n: number) => `{"id":1,"attributes":${objects(n - 1)}}`,
      numberAnnotation,
    ],
    [
      "objects in a record with strings",
      (n: number) => `{"id":1,"name":"x","a":${objects(n - 1)}}`,
      stringAnnotation,
    ],
    ["a list record", (n: number) => lists(n), stringAnnotation],
  ])("reads 512 levels of %s and flags 513, at every chunk size", async (_name, record, clean) => {
    await expectFlagged(record(512), undefined, clean);
    await expectFlagged(record(513), [TOO_DEEP], clean);
  });

  it.each([
    2_000, 200_000,
  ])("flags a record nested %i levels deep, without a RangeError, and reads on", async (levels) => {
    const sizes = levels > 10_000 ? [64, 4096, 1 << 20] : [1, 2, 3, 7, 64, 4096, 1 << 20];
    for (const [record, clean] of [
      [`{"id":1,"segmentation":${lists(levels - 1)}}`, numberAnnotation],
      [`{"id":1,"a":${objects(levels - 1)},"caption":"x"}`, stringAnnotation],
    ] as const)
      await expectFlagged(record, [TOO_DEEP], clean, sizes);
  });

  it("flags a deep top-level value that is not an array", async () => {
    const text = `{"info":${objects(200_000)},"licenses":[${lists(100_000)},[]]}`;
    expect(await read(text)).toEqual([
      { key: "info", index: -1, value: undefined, problems: [TOO_DEEP] },
      { key: "licenses", index: 0, value: undefined, problems: [TOO_DEEP] },
      { key: "licenses", index: 1, value: [] },
    ]);
  });

  it("reads a key and a string of a million characters without exhausting the stack", async () => {
    const long = "k".repeat(1_000_000);
    for (const text of [`{"a":[{"${long}":1},{"id":2}]}`, `{"a":[{"id":1,"s":"${long}"}],"${long}":2}`]) {
      const records = await read(text, 1 << 16);
      expect(records).toEqual(
        Object.entries(JSON.parse(text) as Record<string, unknown>).flatMap(([key, v]) =>
          Array.isArray(v)
            ? v.map((value, index) => ({ key, index, value }))
            : [{ key, index: -1, value: v }],
        ),
      );
    }
  });

  it("reports the problems found before the limit, and only those", async () => {
    const text = `{"a":[{"__proto__":1,"b":${lists(600)},"constructor":2}]}`;
    const [record] = await read(text, 100);
    expect(record?.problems?.map((p) => [p.code, p.path])).toEqual([
      ["forbidden_key", ["__proto__"]],
      ["nesting_too_deep", []],
    ]);
  });
});
