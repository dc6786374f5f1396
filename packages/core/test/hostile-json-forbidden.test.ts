import { describe, expect, it } from "vitest";
import { expectFlagged, numberAnnotation, read, SIZES, stringAnnotation } from "./hostile-json-documents.js";

const FORBIDDEN = "no key named __proto__, constructor or prototype";

describe("scanRecords given keys __proto__, constructor and prototype", () => {
  it.each([
    [
      "__proto__ in a number-only record",
      '{"id":1,"__proto__":5,"bbox":[1,2,3,4]}',
      [["__proto__"]],
      numberAnnotation,
    ],
    [
      "constructor in a number-only record",
      '{"id":1,"constructor":[1,2]}',
      [["constructor"]],
      numberAnnotation,
    ],
    ["prototype in a number-only record", '{"prototype":2,"id":1}', [["prototype"]], numberAnnotation],
    [
      "__proto__ holding an object",
      '{"__proto__":{"image_id":99},"id":1}',
      [["__proto__"]],
      numberAnnotation,
    ],
    [
      "__proto__ in a record with strings",
      '{"id":1,"caption":"x","__proto__":{"image_id":7}}',
      [["__proto__"]],
      stringAnnotation,
    ],
    [
      "__proto__ in nested attributes",
      '{"id":1,"attributes":{"occluded":false,"__proto__":{"polluted":true}}}',
      [["attributes", "__proto__"]],
      stringAnnotation,
    ],
    [
      "keys nested in an array of objects",
      '{"id":1,"segments_info":[{"id":1},{"constructor":{"prototype":{"x":1}}}]}',
      [
        ["segments_info", 1, "constructor"],
        ["segments_info", 1, "constructor", "prototype"],
      ],
      numberAnnotation,
    ],
    ["an escaped __proto__", '{"id":1,"\\u005f_proto__":{"image_id":3}}', [["__proto__"]], numberAnnotation],
    ["an escaped constructor", '{"id":1,"\\u0063onstructor":1}', [["constructor"]], stringAnnotation],
  ])("flags the record and names the key: %s", async (_name, hostile, paths, clean) => {
    const problems = paths.map((path) => ({
      code: "forbidden_key" as const,
      path,
      expected: FORBIDDEN,
      found: JSON.stringify(path[path.length - 1]),
    }));
    await expectFlagged(hostile, problems, clean);
  });

  it.each([
    ["string values", '{"id":1,"caption":"constructor","name":"__proto__","tags":["prototype","__proto__"]}'],
    ["nested string values", '{"id":1,"attributes":{"k":"constructor","l":["prototype"]}}'],
    ["keys that only contain the names", '{"constructors":1,"my_prototype":2,"__proto":3,"proto":4,"id":1}'],
    ["names inside strings that look like keys", '{"id":1,"caption":"{\\"__proto__\\":{\\"id\\":2}}"}'],
  ])("does not flag %s", async (_name, clean) => {
    await expectFlagged(clean, undefined, stringAnnotation);
    await expectFlagged(clean, undefined, numberAnnotation, [1, 7, 64, 1 << 20]);
  });

  it.each(
    SIZES,
  )("yields a forbidden top-level key as one flagged record, without its value (%i-byte chunks)", async (size) => {
    const text = '{"__proto__":[{"id":1}],"images":[{"id":1}],"constructor":{"a":1},"prototype":[]}';
    const flagged = (key: string) => ({
      key,
      index: -1,
      value: undefined,
      problems: [
        {
          code: "forbidden_key",
          path: [],
          expected: "a top-level key other than __proto__, constructor or prototype",
          found: `"${key}"`,
        },
      ],
    });
    expect(await read(text, size)).toEqual([
      flagged("__proto__"),
      { key: "images", index: 0, value: { id: 1 } },
      flagged("constructor"),
      flagged("prototype"),
    ]);
  });

  it("never yields a value that turns into a prototype change when copied member by member", async () => {
    // What an importer does with a record: copy its members into a new object.
    const text = `{"annotations":[${numberAnnotation(1)},{"__proto__":{"image_id":666},"id":2},{"attributes":{"__proto__":{"x":1}},"id":3}]}`;
    for (const r of await read(text, 5)) {
      const copy: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((r.value ?? {}) as object)) copy[k] = v;
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(r.index === 0 ? r.problems : r.problems?.[0]?.code).toBe(
        r.index === 0 ? undefined : "forbidden_key",
      );
    }
  });
});
