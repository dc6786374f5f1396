import { describe, expect, it } from "vitest";
import { isCocokitError } from "../errors.js";
import { importFiles } from "./import-files.js";
import type { CocoFileSource } from "./import-options.js";

function source(doc: unknown, name = "instances_train.json"): CocoFileSource {
  const bytes = new TextEncoder().encode(typeof doc === "string" ? doc : JSON.stringify(doc));
  return {
    name,
    subset: "train",
    task: "instances",
    open: async function* () {
      yield bytes;
    },
  };
}

const valid = () => ({
  info: { year: 2024 },
  licenses: [{ id: 1, name: "x" }],
  categories: [
    { id: 0, name: "bg", supercategory: "none" },
    { id: 1, name: "cat", color: "#fff" },
  ],
  annotations: [
    {
      id: 0,
      image_id: 5,
      category_id: 1,
      bbox: [1, 2, 3, 4],
      segmentation: [
        [1, 1, 4, 1, 4, 5],
        [6, 6, 7, 6, 7, 7],
      ],
      area: 10.5,
      iscrowd: 0,
      extra_field: "k",
    },
    {
      id: 7,
      image_id: 5,
      category_id: 1,
      segmentation: { size: [10, 20], counts: [5, 10, 185] },
      iscrowd: 1,
    },
  ],
  images: [{ id: 5, file_name: "a/b.jpg", width: 20, height: 10, license: 1 }],
  custom: true,
});

describe("importFiles", () => {
  it("builds the model from a file that lists annotations before images", async () => {
    const { dataset, report } = await importFiles([source(valid())], { mode: "lenient" });
    expect(report.counts.category_id_zero).toBe(1);
    expect(dataset.info).toEqual({ year: 2024 });
    expect(dataset.extra).toEqual({ custom: true });
    expect(dataset.categories[1]).toEqual({
      id: 1,
      name: "cat",
      extra: { color: "#fff" },
      declaredIn: { instances: ["id", "name", "color"] },
    });
    const item = dataset.items[0];
    expect(item?.image).toEqual({ fileName: "a/b.jpg", width: 20, height: 10, extra: { license: 1 } });
    const types = item?.annotations.map((a) => a.type);
    expect(types).toEqual(["bbox", "polygon", "polygon", "mask"]);
    const groups = new Set(item?.annotations.slice(0, 3).map((a) => a.group));
    expect(groups.size).toBe(1);
    expect([...groups][0]).not.toBe(0);
    expect(item?.annotations[0]?.extra).toEqual({ extra_field: "k" });
    expect(item?.annotations[0]?.area).toBe(10.5);
    expect(item?.annotations[3]?.attributes).toEqual({ is_crowd: true });
    // Each record's shapes share a group of their own (1, 2, … in the item), never the id.
    expect(item?.annotations.map((a) => a.group)).toEqual([1, 1, 1, 2]);
  });

  it("throws validation_failed with every issue in strict mode", async () => {
    const doc = valid();
    doc.annotations.push({ id: 8, image_id: 99, category_id: 1, bbox: [0, 0, 1, 1] } as never);
    doc.annotations.push({ id: 9, image_id: 5, category_id: 42, bbox: [0, 0, 1, 1] } as never);
    const err = await importFiles([source(doc)]).catch((e: unknown) => e);
    expect(isCocokitError(err) && err.code).toBe("validation_failed");
    const issues = isCocokitError(err) ? (err.issues ?? []) : [];
    expect(issues.map((i) => [i.code, i.pointer])).toEqual([
      ["category_id_zero", "/categories/0/id"],
      ["unknown_image", "/annotations/2/image_id"],
      ["unknown_category", "/annotations/3/category_id"],
    ]);
  });

  it("turns malformed JSON into an issue", async () => {
    const { report } = await importFiles([source('{"images": [')], { mode: "lenient" });
    expect(report.counts.malformed_json).toBe(1);
  });
});
