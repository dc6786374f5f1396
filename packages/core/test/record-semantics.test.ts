// One test per defect of issue 12 found on real files: each failed before src/coco owned the rules.
import { describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { exportJson } from "../src/export/export-dataset.js";
import { importFiles, importJson, validateFiles } from "../src/import/import-files.js";
import type { CocoFileSource } from "../src/import/import-options.js";
import { exportedFiles } from "./support/export-files.js";

const img = (id: number) => ({ id, file_name: `${id}.jpg`, width: 100, height: 80 });
const text = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
function source(name: string, doc: unknown, subset = "train"): CocoFileSource {
  const bytes = text(doc);
  return {
    name,
    subset,
    open: async function* () {
      yield bytes;
    },
  };
}

describe("annotation ids are ids, never groups", () => {
  it("keeps id 0 and id 1 of one image as two annotations (Roboflow numbers from 0)", async () => {
    const doc = {
      images: [{ ...img(0) }],
      categories: [
        { id: 0, name: "cells", supercategory: "none" },
        { id: 1, name: "cell", supercategory: "cells" },
      ],
      annotations: [
        { id: 0, image_id: 0, category_id: 1, bbox: [1, 1, 10, 10], area: 100, segmentation: [], iscrowd: 0 },
        { id: 1, image_id: 0, category_id: 1, bbox: [50, 40, 5, 5], area: 25, segmentation: [], iscrowd: 0 },
      ],
    };
    const { dataset } = await importJson(doc, { name: "_annotations.coco.json", subset: "train" });
    const out = (await exportedFiles(dataset))["annotations/instances_train.json"];
    expect(out.annotations).toEqual(doc.annotations);
  });

  it("keeps records of different categories apart when ids count from 0 (labelme2coco)", async () => {
    const doc = {
      images: [img(0)],
      categories: [
        { id: 0, name: "a" },
        { id: 1, name: "b" },
      ],
      annotations: [
        {
          id: 0,
          image_id: 0,
          category_id: 0,
          bbox: [0, 0, 2, 2],
          segmentation: [[0, 0, 2, 0, 2, 2]],
          area: 2,
          iscrowd: 0,
        },
        {
          id: 1,
          image_id: 0,
          category_id: 1,
          bbox: [5, 5, 2, 2],
          segmentation: [[5, 5, 7, 5, 7, 7]],
          area: 2,
          iscrowd: 0,
        },
      ],
    };
    const { dataset } = await importJson(doc, { name: "instances_train.json" });
    const groups = dataset.items[0]?.annotations.map((a) => a.group);
    expect(new Set(groups).size).toBe(2);
    const out = (await exportedFiles(dataset))["annotations/instances_train.json"];
    expect(out.annotations).toEqual(doc.annotations);
  });
});

describe("what a file did not have, it does not get", () => {
  it("writes a captions file without categories back without them (pycocotools' KeyError otherwise)", async () => {
    const doc = { images: [img(1)], annotations: [{ id: 5, image_id: 1, caption: "a cat" }] };
    const { dataset } = await importJson(doc, { name: "captions_val2017.json" });
    const out = (await exportedFiles(dataset))["annotations/captions_val2017.json"];
    expect(out).toEqual(doc);
  });

  it("writes a person_keypoints record without area or iscrowd back as read, num_keypoints untouched", async () => {
    const person = {
      id: 1,
      name: "person",
      supercategory: "person",
      keypoints: ["a", "b", "c"],
      skeleton: [[1, 2]],
    };
    const record = {
      id: 9,
      image_id: 1,
      category_id: 1,
      bbox: [1, 2, 30, 40],
      keypoints: [1, 1, 2, 2, 2, 2, 3, 3, 1],
      num_keypoints: 2,
    };
    const doc = { images: [img(1)], categories: [person], annotations: [record] };
    const { dataset, report } = await importJson(doc, { name: "person_keypoints_val.json" });
    expect(report.counts.num_keypoints_mismatch).toBe(1);
    const out = (await exportedFiles(dataset))["annotations/person_keypoints_val.json"];
    expect(out.annotations).toEqual([record]);
    expect(out.categories).toEqual([person]);
  });

  it("leaves num_keypoints out of a keypoints record that had none", async () => {
    const record = { id: 3, image_id: 1, category_id: 1, bbox: [1, 2, 3, 4], area: 12, keypoints: [1, 1, 2] };
    const doc = {
      images: [img(1)],
      categories: [{ id: 1, name: "person", keypoints: ["nose"] }],
      annotations: [record],
    };
    const { dataset } = await importJson(doc, { name: "person_keypoints_val.json" });
    expect((await exportedFiles(dataset))["annotations/person_keypoints_val.json"].annotations).toEqual([
      record,
    ]);
  });
});

describe("categories of each task file", () => {
  const person = { id: 1, name: "person", supercategory: "person" };
  const dog = { id: 18, name: "dog", supercategory: "animal" };
  const keypointPerson = { ...person, keypoints: ["nose", "eye"], skeleton: [[1, 2]] };

  it("gives each file of a subset the categories it declared, with their fields", async () => {
    const instances = {
      images: [img(1)],
      categories: [person, dog],
      annotations: [{ id: 1, image_id: 1, category_id: 18, bbox: [0, 0, 4, 4], area: 16, iscrowd: 0 }],
    };
    const keypoints = {
      images: [img(1)],
      categories: [keypointPerson],
      annotations: [
        {
          id: 2,
          image_id: 1,
          category_id: 1,
          bbox: [0, 0, 4, 4],
          area: 16,
          iscrowd: 0,
          keypoints: [1, 1, 2, 0, 0, 0],
          num_keypoints: 1,
        },
      ],
    };
    const imageInfo = { images: [img(1)], categories: [person, dog] };
    const { dataset } = await importFiles([
      source("instances_train.json", instances),
      source("person_keypoints_train.json", keypoints),
      source("image_info_train.json", imageInfo),
    ]);
    const out = await exportedFiles(dataset, { tasks: ["instances", "person_keypoints", "image_info"] });
    expect(out["annotations/instances_train.json"].categories).toEqual([person, dog]);
    expect(out["annotations/person_keypoints_train.json"].categories).toEqual([keypointPerson]);
    expect(out["annotations/image_info_train.json"].categories).toEqual([person, dog]);
  });

  it("keeps supercategory: null", async () => {
    const doc = {
      images: [img(1)],
      categories: [{ id: 3, name: "aerosol_can", supercategory: null, synset: "x.n.01" }],
      annotations: [],
    };
    const { dataset } = await importJson(doc, { name: "instances_val.json" });
    const out = (await exportedFiles(dataset, { tasks: ["instances"] }))["annotations/instances_val.json"];
    expect(out.categories).toEqual(doc.categories);
  });
});

describe("the task of a file comes from its content", () => {
  it("reads an instances file named panoptic_*.json as instances, with one task_mismatch warning", async () => {
    const doc = {
      images: [img(1)],
      categories: [{ id: 1, name: "cat" }],
      annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 5, 5], area: 25, iscrowd: 0 }],
    };
    const { dataset, report } = await importJson(doc, { name: "panoptic_val.json" });
    expect(report.errorCount).toBe(0);
    expect(report.issues.map((i) => i.code)).toEqual(["task_mismatch"]);
    expect(report.issues[0]?.message).toMatch(/panoptic.*instances/);
    expect(dataset.items[0]?.annotations[0]?.task).toBe("instances");
  });

  it.each([
    [{ id: 1, image_id: 1, category_id: 1, keypoints: [1, 1, 2], bbox: [0, 0, 1, 1] }, "person_keypoints"],
    [{ id: 1, image_id: 1, caption: "hi" }, "captions"],
    [{ id: 1, image_id: 1, category_id: 1 }, "labels"],
  ])("reads %j in a file without a task name as %s", async (annotation, task) => {
    const doc = {
      images: [img(1)],
      categories: [{ id: 1, name: "c", keypoints: ["n"] }],
      annotations: [annotation],
    };
    const { dataset } = await importJson(doc, { name: "data.json" });
    expect(dataset.items[0]?.annotations[0]?.task).toBe(task);
  });
});

describe("JSON that is not COCO", () => {
  const mmengine = { metainfo: { classes: ["a"] }, data_list: [{ img_path: "a.jpg", instances: [] }] };

  it("is one not_coco error when validating", async () => {
    const report = await validateFiles([source("train.json", mmengine)]);
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => [i.code, i.pointer])).toEqual([["not_coco", ""]]);
    expect(report.issues[0]?.message).toContain("metainfo, data_list");
  });

  it.each(["strict", "lenient"] as const)("throws not_coco when importing, %s", async (mode) => {
    const error = await importFiles([source("train.json", mmengine)], { mode }).catch((e) => e);
    expect(isCocokitError(error) && error.code).toBe("not_coco");
  });
});

describe("wrong types and ranges are errors with their pointer", () => {
  const base = { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 2, 2], area: 4, iscrowd: 0 };
  const doc = (annotation: unknown, extra: Record<string, unknown> = {}) => ({
    images: [img(1)],
    categories: [{ id: 1, name: "c" }],
    annotations: [annotation],
    ...extra,
  });
  it.each([
    ["iscrowd", "1", "invalid_type"],
    ["iscrowd", null, "invalid_type"],
    ["iscrowd", [1], "invalid_type"],
    ["iscrowd", {}, "invalid_type"],
    ["iscrowd", 2, "invalid_value"],
    ["iscrowd", 3, "invalid_value"],
    ["area", null, "invalid_type"],
    ["area", "4", "invalid_type"],
    ["area", [4], "invalid_type"],
    ["area", {}, "invalid_type"],
    ["area", true, "invalid_type"],
    ["area", -1, "invalid_value"],
    ["id", 2 ** 53 + 2, "unsafe_integer"],
    ["image_id", 2 ** 60, "unsafe_integer"],
  ])("%s: %j is %s", async (key, value, code) => {
    const report = await validateFiles([source("instances_train.json", doc({ ...base, [key]: value }))]);
    expect(report.issues.filter((i) => i.severity === "error").map((i) => [i.code, i.pointer])).toEqual([
      [code, `/annotations/0/${key}`],
    ]);
  });

  it("reports an instances record without segmentation and bbox", async () => {
    const { bbox: _b, ...noShape } = base;
    const report = await validateFiles([source("instances_train.json", doc(noShape))]);
    expect(report.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["missing_field", "/annotations/0/segmentation"],
    ]);
  });

  it("reports a file without categories once, not once per annotation", async () => {
    const annotations = [1, 2, 3].map((id) => ({ ...base, id }));
    const report = await validateFiles([source("instances_train.json", { images: [img(1)], annotations })]);
    expect(report.issues.map((i) => [i.code, i.pointer])).toEqual([["missing_field", "/categories"]]);
    expect(report.skipped).toBe(3);
  });

  it("reports skeleton indices outside the keypoint list", async () => {
    const category = {
      id: 1,
      name: "person",
      keypoints: ["a", "b"],
      skeleton: [
        [1, 2],
        [2, 5],
      ],
    };
    const report = await validateFiles([
      source("person_keypoints_train.json", { images: [img(1)], categories: [category], annotations: [] }),
    ]);
    expect(report.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["invalid_skeleton", "/categories/0/skeleton/1"],
    ]);
  });

  it.each([5, null, {}])("reports a caption of %j", async (caption) => {
    const report = await validateFiles([
      source("captions_train.json", { images: [img(1)], annotations: [{ id: 1, image_id: 1, caption }] }),
    ]);
    expect(report.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["invalid_type", "/annotations/0/caption"],
    ]);
  });

  it("never says undefined, NaN or [object Object], and quotes no description", async () => {
    const bad = [{ image_id: 1, category_id: 1 }, { ...base, id: 2, keypoints: [1, 2, 3, 4] }, { id: 3 }];
    const kp = { id: 1, name: "c", keypoints: ["a", "b"] };
    const report = await validateFiles([
      source("person_keypoints_train.json", { images: [img(1)], categories: [kp], annotations: bad }),
    ]);
    expect(report.issues.length).toBeGreaterThan(2);
    for (const issue of report.issues) {
      expect(issue.message).not.toMatch(/undefined|NaN|\[object Object\]|"\d+ numbers"/);
    }
  });
});

describe("panoptic output", () => {
  it("says that panoptic annotations need a zip or a directory, not a JSON file", async () => {
    const dataset = {
      categories: [{ id: 1, name: "c" }],
      items: [
        {
          id: 1,
          subset: "val",
          image: { fileName: "1.jpg", width: 2, height: 1 },
          attributes: {},
          annotations: [
            {
              type: "mask" as const,
              id: 1,
              group: 1,
              categoryId: 1,
              attributes: {},
              task: "panoptic" as const,
              rle: { height: 1, width: 2, counts: Uint32Array.of(0, 2) },
            },
          ],
        },
      ],
    };
    let error: unknown;
    try {
      exportJson(dataset);
    } catch (e) {
      error = e;
    }
    expect(isCocokitError(error) && error.code).toBe("export_needs_archive");
    expect(String((error as Error).message)).toMatch(/\.zip or directory/);
  });
});
