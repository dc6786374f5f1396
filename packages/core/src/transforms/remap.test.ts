import { describe, expect, it } from "vitest";
import { box, dataset, item } from "./fixture.test-support.js";
import { remapCategories } from "./remap.js";

const source = dataset(
  [
    [1, "car"],
    [2, "truck"],
    [3, "person"],
  ],
  [item(1, "train", [box(10, 1, 10, 10, { area: 99 }), box(11, 2), box(12, 3)])],
);

const categoryIds = (d: ReturnType<typeof remapCategories>) =>
  d.items[0]?.annotations.map((a) => a.categoryId);

describe("remapCategories", () => {
  it("renames a category in place, keeping its id", () => {
    const out = remapCategories(source, { map: { person: "pedestrian" } });
    expect(out.categories.map((c) => [c.id, c.name])).toEqual([
      [1, "car"],
      [2, "truck"],
      [3, "pedestrian"],
    ]);
    expect(categoryIds(out)).toEqual([1, 2, 3]);
  });

  it("merges two categories mapped to one new name under the first one's id", () => {
    const out = remapCategories(source, { map: { car: "vehicle", truck: "vehicle" } });
    expect(out.categories.map((c) => [c.id, c.name])).toEqual([
      [1, "vehicle"],
      [3, "person"],
    ]);
    expect(categoryIds(out)).toEqual([1, 1, 3]);
  });

  it("merges into an existing category by name, by id reference", () => {
    const out = remapCategories(source, { map: new Map([[2, "car"]]) });
    expect(out.categories.map((c) => c.id)).toEqual([1, 3]);
    expect(categoryIds(out)).toEqual([1, 1, 3]);
  });

  it("swaps two names without mixing their annotations", () => {
    const out = remapCategories(source, { map: { car: "truck", truck: "car" } });
    expect(out.categories.map((c) => [c.id, c.name])).toEqual([
      [1, "truck"],
      [2, "car"],
      [3, "person"],
    ]);
    expect(categoryIds(out)).toEqual([1, 2, 3]);
  });

  it("drops unmapped categories and their annotations with dropUnmapped", () => {
    const out = remapCategories(source, { map: { car: "vehicle" }, dropUnmapped: true });
    expect(out.categories.map((c) => c.name)).toEqual(["vehicle"]);
    expect(out.items[0]?.annotations.map((a) => a.id)).toEqual([10]);
  });

  it("keeps area, since geometry is unchanged", () => {
    const out = remapCategories(source, { map: { car: "vehicle" } });
    expect(out.items[0]?.annotations[0]?.area).toBe(99);
  });

  it("throws unknown_category for a name that is not there", () => {
    expect(() => remapCategories(source, { map: { bus: "vehicle" } })).toThrow(/found "bus"/);
  });
});
