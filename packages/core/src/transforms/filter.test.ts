import { describe, expect, it } from "vitest";
import { isCocokitError } from "../errors.js";
import { filterDataset } from "./filter.js";
import { box, dataset, item } from "./fixture.test-support.js";

const source = dataset(
  [
    [1, "person"],
    [2, "car"],
    [3, "dog"],
  ],
  [
    item(1, "train", [box(10, 1, 40, 40), box(11, 2, 2, 2)]),
    item(2, "train", [box(12, 3, 50, 50, { attributes: { is_crowd: true } })]),
    item(3, "val", []),
    item(4, "val", [box(13, 1, 5, 5, { area: 2000 })]),
  ],
);

const annotationIds = (d: ReturnType<typeof filterDataset>) =>
  d.items.flatMap((i) => i.annotations.map((a) => a.id));

describe("filterDataset", () => {
  it("keeps only the named categories and their annotations, by name or id", () => {
    const out = filterDataset(source, { categories: ["person", 3] });
    expect(out.categories.map((c) => c.name)).toEqual(["person", "dog"]);
    expect(annotationIds(out)).toEqual([10, 12, 13]);
    expect(out.items).toHaveLength(4);
  });

  it("drops excluded categories", () => {
    const out = filterDataset(source, { excludeCategories: ["car"] });
    expect(out.categories.map((c) => c.id)).toEqual([1, 3]);
    expect(annotationIds(out)).toEqual([10, 12, 13]);
  });

  it("drops objects below minArea using the stored area before the geometry", () => {
    // 13 is a 5×5 box but its stored area is 2000, so it stays.
    expect(annotationIds(filterDataset(source, { minArea: 100 }))).toEqual([10, 12, 13]);
  });

  it("drops crowd objects and then empty images when asked", () => {
    const out = filterDataset(source, { dropCrowd: true, dropEmptyImages: true });
    expect(out.items.map((i) => i.id)).toEqual([1, 4]);
  });

  it("keeps only the given subsets", () => {
    expect(filterDataset(source, { subsets: ["val"] }).items.map((i) => i.id)).toEqual([3, 4]);
  });

  it("keeps or drops all shapes of one COCO object together", () => {
    const grouped = dataset(
      [[1, "person"]],
      [
        item(1, "train", [
          {
            type: "polygon",
            id: 5,
            categoryId: 1,
            group: 7,
            attributes: {},
            points: [0, 0, 4, 0, 4, 4, 0, 4],
          },
          { type: "bbox", id: 5, categoryId: 1, group: 7, attributes: {}, bbox: [0, 0, 40, 40] },
        ]),
      ],
    );
    // The polygon's 16 px² decides the object's area (geometry before the box), so both shapes go.
    expect(filterDataset(grouped, { minArea: 20 }).items[0]?.annotations).toEqual([]);
    expect(filterDataset(grouped, { minArea: 10 }).items[0]?.annotations).toHaveLength(2);
  });

  it("does not change the input and keeps kept annotations unchanged", () => {
    const before = structuredClone(source);
    const out = filterDataset(source, { categories: ["dog"] });
    expect(source).toEqual(before);
    expect(out.items[1]?.annotations[0]).toBe(source.items[1]?.annotations[0]);
  });

  it.each([
    ["categories", { categories: ["cat"] }],
    ["excludeCategories", { excludeCategories: [99] }],
  ])("throws unknown_category for an unknown reference in %s", (_, options) => {
    let error: unknown;
    try {
      filterDataset(source, options);
    } catch (e) {
      error = e;
    }
    expect(isCocokitError(error) && error.code).toBe("unknown_category");
    expect((error as Error).message).toContain("person (1)");
  });
});
