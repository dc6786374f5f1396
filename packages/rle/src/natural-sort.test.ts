import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortUint32 } from "./natural-sort.js";

describe("sortUint32", () => {
  it("sorts the first n values ascending like a numeric sort and leaves the rest alone", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 300 }),
        fc.nat(),
        (values, cut) => {
          const n = values.length === 0 ? 0 : cut % (values.length + 1);
          const a = Uint32Array.from(values);
          sortUint32(a, n);
          const want = [...values.slice(0, n)].sort((x, y) => x - y).concat(values.slice(n));
          expect(Array.from(a)).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ["ascending and descending stretches with ties", [1, 2, 2, 9, 8, 8, 3, 0, 5, 5, 5, 4]],
    ["one strictly descending stretch", [9, 7, 5, 3, 1]],
    ["all equal", [4, 4, 4, 4]],
    ["an odd number of stretches", [5, 6, 1, 2, 9, 0, 3]],
  ])("sorts %s", (_what, values) => {
    const a = Uint32Array.from(values);
    sortUint32(a, a.length);
    expect(Array.from(a)).toEqual([...values].sort((x, y) => x - y));
  });
});
