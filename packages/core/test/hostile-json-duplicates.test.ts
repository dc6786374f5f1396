import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectFlagged, numberAnnotation, read, SIZES, stringAnnotation } from "./hostile-json-documents.js";

describe("scanRecords given duplicate keys", () => {
  it.each([
    ["in a number-only record", '{"id":1,"bbox":[1,2,3,4],"id":2}', ["id"], '"id" twice', numberAnnotation],
    ["in a record with strings", '{"id":1,"caption":"a","id":2}', ["id"], '"id" twice', stringAnnotation],
    ["three times", '{"id":1,"id":2,"area":3,"id":4}', ["id"], '"id" 3 times', numberAnnotation],
    [
      "at depth 1",
      '{"id":1,"attributes":{"occluded":true,"occluded":false}}',
      ["attributes", "occluded"],
      '"occluded" twice',
      stringAnnotation,
    ],
    [
      "at depth 1 in numbers",
      '{"id":1,"segmentation":{"size":[1,2],"size":[3,4]}}',
      ["segmentation", "size"],
      '"size" twice',
      numberAnnotation,
    ],
    [
      "at depth 2",
      '{"id":1,"segments_info":[{"id":5},{"id":6,"area":1,"id":7}]}',
      ["segments_info", 1, "id"],
      '"id" twice',
      numberAnnotation,
    ],
    [
      "at depth 2 in objects",
      '{"a":{"b":{"k":"x","k":"y"}},"id":1}',
      ["a", "b", "k"],
      '"k" twice',
      stringAnnotation,
    ],
    ["spaced before the colon", '{"id":1, "id" :2}', ["id"], '"id" twice', numberAnnotation],
    ["written with escapes", '{"id":1,"\\u0069d":2}', ["id"], '"id" twice', numberAnnotation],
    ["whose values hide colons", '{"s":"a:b","id":1,"id":"c:d"}', ["id"], '"id" twice', stringAnnotation],
  ])("flags the record and names the key, %s", async (_name, hostile, path, found, clean) => {
    await expectFlagged(
      hostile,
      [{ code: "duplicate_key", path, expected: "a key used once per object", found }],
      clean,
    );
  });

  it("is not fooled by escaped colons that make up for the dropped member", async () => {
    // The text has as many ':' as the kept keys and strings hold, had \u003a not been counted.
    await expectFlagged(
      '{"s":"\\u003a","id":1,"id":2}',
      [{ code: "duplicate_key", path: ["id"] }],
      stringAnnotation,
    );
  });

  it.each(
    SIZES,
  )("yields one flagged record for a repeated top-level key and none of its elements (%i-byte chunks)", async (size) => {
    const text =
      '{"annotations":[{"id":1,"image_id":1},{"id":2,"image_id":1}],"images":[{"id":1,"file_name":"a"}],' +
      '"annotations":[{"id":3,"image_id":1}],"categories":[{"id":1,"name":"c"}],"images":[],' +
      '"categories":{"id":9},"annotations":[{"id":4,"image_id":1},{"id":5,"image_id":1}],"info":{}}';
    const again = (key: string, time: string) => ({
      key,
      index: -1,
      value: undefined,
      problems: [
        { code: "duplicate_key", path: [], expected: "each top-level key once", found: `"${key}" ${time}` },
      ],
    });
    expect(await read(text, size)).toEqual([
      { key: "annotations", index: 0, value: { id: 1, image_id: 1 } },
      { key: "annotations", index: 1, value: { id: 2, image_id: 1 } },
      { key: "images", index: 0, value: { id: 1, file_name: "a" } },
      again("annotations", "a second time"),
      { key: "categories", index: 0, value: { id: 1, name: "c" } },
      again("images", "a second time"),
      again("categories", "a second time"),
      again("annotations", "a third time"),
      { key: "info", index: -1, value: {} },
    ]);
  });

  it("still reports a syntax error inside a repeated top-level value", async () => {
    await expect(read('{"a":[1],"a":[{"id":}]}')).rejects.toMatchObject({ code: "malformed_json" });
  });

  it("flags exactly the record given a duplicate injected anywhere in random records, at any chunk size", async () => {
    // Records of numbers, strings (with ':' and escapes) and nested objects; one key of one object
    // of one record is written twice, the second time with another value.
    const scalar = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
      fc.string(),
      fc.boolean(),
    );
    const key = fc.stringMatching(/^[a-z:_é\\]{1,6}$/);
    const leaf = fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), {
      minKeys: 1,
      maxKeys: 4,
    });
    const record = fc.dictionary(key, fc.oneof(scalar, leaf, fc.array(leaf, { maxLength: 2 })), {
      minKeys: 1,
      maxKeys: 5,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 64 }),
        async (records, which, where, size) => {
          const target = which % records.length;
          // Every object of the target record with its path, in text order.
          const objects: [Record<string, unknown>, (string | number)[]][] = [];
          const collect = (v: unknown, path: (string | number)[]) => {
            if (Array.isArray(v)) for (let k = 0; k < v.length; k++) collect(v[k], [...path, k]);
            else if (typeof v === "object" && v !== null) {
              objects.push([v as Record<string, unknown>, path]);
              for (const [k, x] of Object.entries(v)) collect(x, [...path, k]);
            }
          };
          collect(records[target], []);
          const [object, path] = objects[where % objects.length] as [
            Record<string, unknown>,
            (string | number)[],
          ];
          const repeated = Object.keys(object)[0] as string;
          const marker = { repeat: true };
          object["\u0000marker"] = marker;
          const text = JSON.stringify({ annotations: records }).replace(
            `"\\u0000marker":{"repeat":true}`,
            `${JSON.stringify(repeated)}:"again:"`,
          );
          delete object["\u0000marker"];
          const got = await read(text, size);
          expect(got.length).toBe(records.length);
          for (const [k, r] of got.entries()) {
            if (k === target)
              expect(r.problems).toEqual([
                expect.objectContaining({
                  code: "duplicate_key",
                  path: [...path, repeated],
                  found: `${JSON.stringify(repeated)} twice`,
                }),
              ]);
            else
              expect(r).toEqual({
                key: "annotations",
                index: k,
                value: JSON.parse(JSON.stringify(records[k])),
              });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
