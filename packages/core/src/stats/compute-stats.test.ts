import { describe, expect, it } from "vitest";
import type { Dataset } from "../model/types.js";
import { box, dataset, item } from "../transforms/fixture.test-support.js";
import { computeStats } from "./compute-stats.js";
import { computeStatsFromRecords } from "./stats-from-records.js";

// The same data as a model and as COCO records, so both paths must agree.
const model: Dataset = dataset(
  [
    [1, "person"],
    [2, "car"],
  ],
  [
    item(1, "train", [
      box(1, 1, 10, 10),
      box(2, 1, 40, 40, { attributes: { is_crowd: true } }),
      {
        type: "points",
        id: 3,
        categoryId: 1,
        group: 3,
        attributes: {},
        points: [1, 1, 2, 2, 0, 0],
        visibility: [2, 1, 0],
      },
      { type: "bbox", id: 3, categoryId: 1, group: 3, attributes: {}, bbox: [0, 0, 100, 100] },
    ]),
    item(2, "train", [box(4, 2, 5, 5, { area: 10_000 })]),
    item(3, "train", []),
  ],
);

const records = [
  { key: "images", index: 0, value: { id: 1, file_name: "1.jpg" } },
  { key: "images", index: 1, value: { id: 2, file_name: "2.jpg" } },
  { key: "images", index: 2, value: { id: 3, file_name: "3.jpg" } },
  { key: "categories", index: 0, value: { id: 1, name: "person" } },
  { key: "categories", index: 1, value: { id: 2, name: "car" } },
  {
    key: "annotations",
    index: 0,
    value: { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], iscrowd: 0 },
  },
  {
    key: "annotations",
    index: 1,
    value: { id: 2, image_id: 1, category_id: 1, bbox: [0, 0, 40, 40], iscrowd: 1 },
  },
  {
    key: "annotations",
    index: 2,
    value: {
      id: 3,
      image_id: 1,
      category_id: 1,
      bbox: [0, 0, 100, 100],
      keypoints: [1, 1, 2, 2, 2, 1, 0, 0, 0],
    },
  },
  {
    key: "annotations",
    index: 3,
    value: { id: 4, image_id: 2, category_id: 2, bbox: [0, 0, 5, 5], area: 10_000 },
  },
  { key: "annotations", index: 4, value: "not an object" },
];

const expected = {
  images: 3,
  annotations: 4,
  categories: [
    { id: 1, name: "person", annotations: 3, images: 1 },
    { id: 2, name: "car", annotations: 1, images: 1 },
  ],
  unknownCategoryAnnotations: 0,
  subsets: { train: { images: 3, annotations: 4 } },
  crowd: 1,
  // 10×10 small; 40×40 medium; 100×100 box large; stored area 10,000 large.
  areas: { small: 1, medium: 1, large: 2, unknown: 0 },
  imagesWithoutAnnotations: 1,
  keypointVisibility: { 0: 1, 1: 1, 2: 1 },
};

describe("computeStats", () => {
  it("counts a dataset's images, objects, categories, crowd, area buckets and keypoints", () => {
    expect(computeStats(model)).toEqual(expected);
  });

  it("counts annotations of unknown categories apart", () => {
    const stats = computeStats(dataset([[1, "a"]], [item(1, "s", [box(1, 9)])]));
    expect(stats.unknownCategoryAnnotations).toBe(1);
    expect(stats.categories).toEqual([{ id: 1, name: "a", annotations: 0, images: 0 }]);
  });

  it("keeps subsets that reuse image ids apart", () => {
    const stats = computeStats(dataset([], [item(1, "train"), item(1, "val", [box(1, 1)])]));
    expect(stats.subsets).toEqual({
      train: { images: 1, annotations: 0 },
      val: { images: 1, annotations: 1 },
    });
    expect(stats.imagesWithoutAnnotations).toBe(1);
  });
});

describe("computeStatsFromRecords", () => {
  it("gives the same counts as computeStats from the records of the same file", async () => {
    expect(await computeStatsFromRecords(records, { subset: "train" })).toEqual(expected);
  });

  it("reads async record streams and defaults the subset name", async () => {
    async function* stream() {
      yield* records.slice(0, 1);
    }
    const stats = await computeStatsFromRecords(stream());
    expect(stats.subsets).toEqual({ default: { images: 1, annotations: 0 } });
  });
});
