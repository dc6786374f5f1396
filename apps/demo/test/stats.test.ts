import { importDataset } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { areaRange, computeStats } from "../src/model/stats.js";
import { summarize } from "../src/model/summary.js";
import { cvatZip } from "./fixtures.js";

const ann = (
  id: number,
  imageId: number,
  categoryId: number,
  area: number | undefined,
  box = [0, 0, 10, 10],
) => ({
  id,
  image_id: imageId,
  category_id: categoryId,
  bbox: box,
  ...(area === undefined ? {} : { area }),
  iscrowd: 0,
  segmentation: [[0, 0, box[2], 0, box[2], box[3]]],
});

describe("areaRange", () => {
  it("uses COCOeval's bounds: small < 32², medium < 96², else large", () => {
    expect([0, 1023.99, 1024, 9215.99, 9216, 1e9].map(areaRange)).toEqual([
      "small",
      "small",
      "medium",
      "medium",
      "large",
      "large",
    ]);
  });
});

describe("computeStats", () => {
  it("counts annotations per category, per subset and per area range", async () => {
    const doc = {
      images: [1, 2].map((id) => ({ id, file_name: `${id}.jpg`, width: 200, height: 200 })),
      categories: [
        { id: 1, name: "cat" },
        { id: 2, name: "dog" },
        { id: 3, name: "unused" },
      ],
      annotations: [
        ann(1, 1, 1, 1023), // small
        ann(2, 1, 1, 1024), // medium (the bound is exclusive)
        ann(3, 2, 2, 9216), // large
        // No area field: core computes the triangle's 5,000 (medium), not the box's 10,000 (large).
        ann(4, 2, 1, undefined, [0, 0, 100, 100]),
      ],
    };
    const { dataset } = await importDataset(new TextEncoder().encode(JSON.stringify(doc)), {
      name: "instances_val.json",
      mode: "lenient",
    });
    const stats = computeStats(dataset);
    expect(stats.categories.map((b) => [b.label, b.value])).toEqual([
      ["cat", 3],
      ["dog", 1],
      ["unused", 0],
    ]);
    expect(stats.subsets.map((b) => [b.label, b.images, b.value])).toEqual([["val", 2, 4]]);
    expect(stats.areas.map((b) => [b.key, b.value])).toEqual([
      ["small", 1],
      ["medium", 2],
      ["large", 1],
    ]);
  });

  it("counts whole COCO objects per subset, summing to the status line's count", async () => {
    const { dataset } = await importDataset((await cvatZip()).bytes, { mode: "lenient" });
    const stats = computeStats(dataset);
    expect(stats.subsets.map((b) => b.label).sort()).toEqual(["kp", "train", "val"]);
    const total = stats.subsets.reduce((n, b) => n + b.value, 0);
    expect(total).toBe(summarize(dataset).annotations);
    expect(stats.areas.reduce((n, b) => n + b.value, 0)).toBe(total);
    expect(stats.categories.reduce((n, b) => n + b.value, 0)).toBe(total);
  });
});
