import { describe, expect, it } from "vitest";
import type { Annotation, CocoTask, Dataset } from "../model/types.js";
import { box, dataset, item } from "./fixture.test-support.js";
import { mergeDatasets } from "./merge.js";

// A COCO object as import makes it: a box and a polygon sharing the id, the group and the task.
function object(id: number, group: number, task: CocoTask = "instances"): Annotation[] {
  const polygon = {
    type: "polygon",
    id,
    categoryId: 1,
    group,
    task,
    attributes: {},
    points: [0, 0, 5, 0, 5, 5],
  };
  return [box(id, 1, 10, 10, { group, task }), polygon as Annotation];
}

// Every written (subset, task) file's annotation ids, one per COCO object (as export groups them).
function idsByFile(out: Dataset): Map<string, number[]> {
  const files = new Map<string, number[]>();
  for (const it of out.items) {
    const seen = new Set<string>();
    for (const a of it.annotations) {
      const key = `${it.subset}/${a.task ?? "instances"}`;
      if (seen.has(`${key}/${a.group}`)) continue;
      seen.add(`${key}/${a.group}`);
      files.set(key, [...(files.get(key) ?? []), a.id]);
    }
  }
  return files;
}

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
    const { dataset: out, report } = mergeDatasets([a, b]);
    const conflicts = report.issues;
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
    const { dataset: out, report } = mergeDatasets([a, b]);
    const conflicts = report.issues;
    expect(out.items.map((i) => [i.subset, i.id])).toEqual([
      ["train", 1],
      ["val", 1],
    ]);
    expect(conflicts).toEqual([]);
  });

  it("gives a clashing image id the next free id in its subset and reports it", () => {
    const a = dataset([[1, "x"]], [item(1, "train", [], "a.jpg"), item(5, "train", [], "c.jpg")]);
    const b = dataset([[1, "x"]], [item(1, "train", [], "b.jpg")]);
    const { dataset: out, report } = mergeDatasets([a, b]);
    const conflicts = report.issues;
    expect(out.items.map((i) => i.id)).toEqual([1, 5, 6]);
    expect(conflicts).toEqual([
      {
        code: "duplicate_image_id",
        severity: "warning",
        file: "input 2",
        path: ["items", 0, "id"],
        pointer: "/items/0/id",
        message: 'image id 1 (b.jpg) is already used in subset "train"; it became 6',
      },
    ]);
    expect(report).toMatchObject({ ok: true, errorCount: 0, warningCount: 1, truncated: false });
    expect(report.counts).toEqual({ duplicate_image_id: 1 });
  });

  it("reports a file name seen twice in one subset and keeps both images", () => {
    const a = dataset([[1, "x"]], [item(1, "train", [], "same.jpg")]);
    const b = dataset([[1, "x"]], [item(2, "train", [], "same.jpg")]);
    const { dataset: out, report } = mergeDatasets([a, b]);
    const conflicts = report.issues;
    expect(out.items).toHaveLength(2);
    expect(conflicts.map((c) => c.code)).toEqual(["duplicate_file_name"]);
    expect(conflicts[0]?.message).toContain('"same.jpg"');
    expect(conflicts[0]).toMatchObject({ severity: "warning", pointer: "/items/0/image/fileName" });
  });

  it("names each input's issues after options.names and keeps at most maxIssues, counting all", () => {
    const a = dataset([[1, "x"]], [item(1, "train", [], "a.jpg"), item(2, "train", [], "b.jpg")]);
    const { report } = mergeDatasets([a, a], { names: ["a.json", "again.json"], maxIssues: 1 });
    expect(report.issues).toHaveLength(1);
    expect(report.issues[0]?.file).toBe("again.json");
    expect(report.counts).toEqual({ duplicate_image_id: 2, duplicate_file_name: 2 });
    expect(report.truncated).toBe(true);
  });

  it("keeps info and licenses of the first dataset", () => {
    const a = { ...dataset([], []), info: { year: 2017 }, licenses: [{ id: 1 }] };
    const b = { ...dataset([], []), info: { year: 2020 } };
    const { dataset: out } = mergeDatasets([a, b]);
    expect(out.info).toEqual({ year: 2017 });
    expect(out.licenses).toEqual([{ id: 1 }]);
  });

  describe("annotation ids", () => {
    it("gives a COCO object whose id is taken in its subset and task the next free id, all members together", () => {
      const a = dataset([[1, "x"]], [item(1, "train", [...object(1, 1), ...object(2, 2)], "a.jpg")]);
      const b = dataset([[1, "x"]], [item(2, "train", [...object(1, 1), ...object(3, 3)], "b.jpg")]);
      const { dataset: out, report } = mergeDatasets([a, b]);
      const conflicts = report.issues;
      expect(idsByFile(out)).toEqual(new Map([["train/instances", [1, 2, 4, 3]]]));
      const moved = out.items[1]?.annotations ?? [];
      expect(moved.map((x) => [x.type, x.id, x.group])).toEqual([
        ["bbox", 4, 1],
        ["polygon", 4, 1],
        ["bbox", 3, 3],
        ["polygon", 3, 3],
      ]);
      expect(conflicts).toEqual([
        {
          code: "duplicate_annotation_id",
          severity: "warning",
          file: "input 2",
          path: ["items", 0, "annotations", 0, "id"],
          pointer: "/items/0/annotations/0/id",
          message: "annotation id 1 (image 2, b.jpg) is already used in instances_train; it became 4",
        },
      ]);
    });

    it("leaves the inputs unchanged", () => {
      const b = dataset([[1, "x"]], [item(2, "train", object(1, 1))]);
      mergeDatasets([dataset([[1, "x"]], [item(1, "train", object(1, 1))]), b]);
      expect(b.items[0]?.annotations.map((x) => x.id)).toEqual([1, 1]);
    });

    it("lets different subsets and different task files reuse an annotation id", () => {
      const a = dataset([[1, "x"]], [item(1, "train", object(7, 1)), item(2, "val", object(7, 1))]);
      const b = dataset(
        [[1, "x"]],
        [item(3, "train", [...object(7, 1, "person_keypoints"), ...object(8, 2, "captions").slice(0, 1)])],
      );
      const conflicts = mergeDatasets([a, b]).report.issues;
      expect(conflicts).toEqual([]);
    });

    it("sends new annotations (no task) to the task file export would write them to", () => {
      const fresh = (id: number, type: string, extra: object = {}) =>
        ({ id, categoryId: 1, group: id, attributes: {}, type, ...extra }) as Annotation;
      const a = dataset(
        [[1, "x"]],
        [item(1, "train", [fresh(1, "bbox", { bbox: [0, 0, 1, 1] }), fresh(2, "caption", { caption: "a" })])],
      );
      const b = dataset(
        [[1, "x"]],
        [
          item(2, "train", [
            // a box grouped with new keypoints goes to person_keypoints with them: no clash with box 1
            { ...fresh(1, "bbox", { bbox: [0, 0, 1, 1] }) },
            fresh(1, "points", { points: [1, 1], visibility: [2] }),
            fresh(2, "caption", { caption: "b" }),
          ]),
        ],
      );
      const conflicts = mergeDatasets([a, b]).report.issues;
      expect(conflicts.map((c) => [c.pointer, c.message])).toEqual([
        [
          "/items/0/annotations/2/id",
          "annotation id 2 (image 2, 2.jpg) is already used in captions_train; it became 3",
        ],
      ]);
    });

    it("counts ids taken by an earlier object of the same input, and an ungrouped shape as its own object", () => {
      const a = dataset([[1, "x"]], [item(1, "train", [box(5, 1), box(5, 1)])]);
      const { dataset: out, report } = mergeDatasets([a]);
      const conflicts = report.issues;
      expect(out.items[0]?.annotations.map((x) => x.id)).toEqual([5, 6]);
      expect(conflicts.map((c) => [c.code, c.pointer, c.file])).toEqual([
        ["duplicate_annotation_id", "/items/0/annotations/1/id", "input 1"],
      ]);
    });

    it("keeps id 0 (export numbers it) and panoptic segment ids (unique per image, not per file)", () => {
      const a = dataset([[1, "x"]], [item(1, "train", [box(0, 1), ...object(4, 4, "panoptic")])]);
      const b = dataset([[1, "x"]], [item(2, "train", [box(0, 1), ...object(4, 4, "panoptic")])]);
      const conflicts = mergeDatasets([a, b]).report.issues;
      expect(conflicts).toEqual([]);
    });

    it("treats the empty subset as default, where export writes it", () => {
      const a = dataset([[1, "x"]], [item(1, "", object(1, 1), "a.jpg")]);
      const b = dataset([[1, "x"]], [item(1, "default", object(1, 1), "b.jpg")]);
      const { dataset: out, report } = mergeDatasets([a, b]);
      const conflicts = report.issues;
      expect(out.items.map((i) => i.id)).toEqual([1, 2]);
      expect(conflicts.map((c) => c.code)).toEqual(["duplicate_image_id", "duplicate_annotation_id"]);
      expect(conflicts.map((c) => c.message).join("\n")).toContain('subset "default"');
    });
  });
});
