import { describe, expect, it } from "vitest";
import { box, dataset, item } from "./fixture.test-support.js";
import { mergeDatasets } from "./merge.js";

describe("mergeDatasets", () => {
  it("unifies categories by name and remaps annotation category ids", () => {
    const a = dataset(
      [
        [1, "person"],
        [2, "car"],
      ],
      [item(1, "train", [box(1, 2)])],
    );
    const b = dataset(
      [
        [1, "car"],
        [2, "dog"],
      ],
      [item(2, "train", [box(2, 1), box(3, 2, 10, 10, { area: 7 })])],
    );
    const { dataset: out, conflicts } = mergeDatasets([a, b]);
    expect(out.categories.map((c) => [c.id, c.name])).toEqual([
      [1, "person"],
      [2, "car"],
      [3, "dog"],
    ]);
    expect(out.items.flatMap((i) => i.annotations.map((x) => [x.id, x.categoryId]))).toEqual([
      [1, 2],
      [2, 2],
      [3, 3],
    ]);
    expect(out.items[1]?.annotations[1]?.area).toBe(7);
    expect(conflicts).toEqual([]);
  });

  it("keeps subsets and lets different subsets reuse an image id", () => {
    const a = dataset([[1, "x"]], [item(1, "train")]);
    const b = dataset([[1, "x"]], [item(1, "val")]);
    const { dataset: out, conflicts } = mergeDatasets([a, b]);
    expect(out.items.map((i) => [i.subset, i.id])).toEqual([
      ["train", 1],
      ["val", 1],
    ]);
    expect(conflicts).toEqual([]);
  });

  it("gives a clashing image id the next free id in its subset and reports it", () => {
    const a = dataset([[1, "x"]], [item(1, "train", [], "a.jpg"), item(5, "train", [], "c.jpg")]);
    const b = dataset([[1, "x"]], [item(1, "train", [], "b.jpg")]);
    const { dataset: out, conflicts } = mergeDatasets([a, b]);
    expect(out.items.map((i) => i.id)).toEqual([1, 5, 6]);
    expect(conflicts).toEqual([
      expect.objectContaining({
        code: "duplicate_image_id",
        source: 1,
        imageId: 1,
        newImageId: 6,
        fileName: "b.jpg",
      }),
    ]);
  });

  it("reports a file name seen twice in one subset and keeps both images", () => {
    const a = dataset([[1, "x"]], [item(1, "train", [], "same.jpg")]);
    const b = dataset([[1, "x"]], [item(2, "train", [], "same.jpg")]);
    const { dataset: out, conflicts } = mergeDatasets([a, b]);
    expect(out.items).toHaveLength(2);
    expect(conflicts.map((c) => c.code)).toEqual(["duplicate_file_name"]);
    expect(conflicts[0]?.message).toContain('"same.jpg"');
  });

  it("keeps info and licenses of the first dataset", () => {
    const a = { ...dataset([], []), info: { year: 2017 }, licenses: [{ id: 1 }] };
    const b = { ...dataset([], []), info: { year: 2020 } };
    const { dataset: out } = mergeDatasets([a, b]);
    expect(out.info).toEqual({ year: 2017 });
    expect(out.licenses).toEqual([{ id: 1 }]);
  });
});
