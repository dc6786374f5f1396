import { describe, expect, it } from "vitest";
import type { Item, SourceTaskFile } from "../model/types.js";
import { planExport } from "./plan.js";
import { annotatedTasks, exportSubsetName, subsetTaskFiles } from "./task-files.js";

const item = (subset: string, annotations: Item["annotations"]): Item => ({
  id: 1,
  subset,
  image: { fileName: "a.jpg", width: 4, height: 4 },
  annotations,
  attributes: {},
});

describe("subsetTaskFiles", () => {
  const sourceFiles: SourceTaskFile[] = [
    { task: "captions", subset: "val", hasCategories: false, hasAnnotations: true },
  ];

  it("gives the annotated tasks and the source's files of the subset, in COCO_TASKS order", () => {
    expect(subsetTaskFiles("val", new Set(["person_keypoints", "instances"]), { sourceFiles })).toEqual([
      "instances",
      "person_keypoints",
      "captions",
    ]);
    expect(subsetTaskFiles("train", new Set(["instances"]), { sourceFiles })).toEqual(["instances"]);
  });

  it("gives image_info for a subset with neither, and exactly the tasks asked for", () => {
    expect(subsetTaskFiles("train", new Set(), { sourceFiles })).toEqual(["image_info"]);
    expect(subsetTaskFiles("val", new Set(["instances"]), { tasks: ["captions", "labels"] })).toEqual([
      "captions",
      "labels",
    ]);
  });

  it("is the rule planExport follows", () => {
    const items = [
      item("", [{ type: "label", id: 1, categoryId: 1, group: 0, attributes: {} }]),
      item("val", [{ type: "bbox", id: 2, categoryId: 1, group: 0, attributes: {}, bbox: [0, 0, 1, 1] }]),
    ];
    const plan = planExport({ categories: [{ id: 1, name: "a" }], items, sourceFiles }, {});
    const streamed = items.map((i) =>
      subsetTaskFiles(exportSubsetName(i.subset), new Set(annotatedTasks(i)), { sourceFiles }).map(
        (t) => `${t}_${exportSubsetName(i.subset)}`,
      ),
    );
    expect(plan.files.map((f) => `${f.task}_${f.subset}`)).toEqual(streamed.flat());
    expect(streamed.flat()).toEqual(["labels_default", "instances_val", "captions_val"]);
  });
});
