import { groupCocoObjects, importDataset, isCrowdObject } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import {
  filterItems,
  type ItemFilter,
  isNoFilter,
  NO_FILTER,
  subsetsOf,
  toggleCategory,
} from "../src/model/filter.js";
import { createIssueLocator, groupIssues, issueText, recordOfPointer } from "../src/model/issues.js";
import { objectsOf } from "../src/model/objects.js";
import { categoryColor } from "../src/model/palette.js";
import { statusLine, summarize } from "../src/model/summary.js";
import { conformanceJson, cvatZip, hostileJson } from "./fixtures.js";

describe("categoryColor", () => {
  it("is a pure function of the id", () => {
    expect(categoryColor(7)).toBe(categoryColor(7));
    expect(categoryColor(1)).toBe("hsl(137.5, 80%, 60%)");
    expect(categoryColor(undefined)).toBe("hsl(0, 0%, 60%)");
  });
  it("gives the first 20 ids 20 different colours", () => {
    const colours = new Set(Array.from({ length: 20 }, (_, i) => categoryColor(i)));
    expect(colours.size).toBe(20);
  });
  it("handles id 0 and negative ids", () => {
    expect(categoryColor(0)).toBe("hsl(0.0, 80%, 45%)");
    expect(categoryColor(-3)).toMatch(/^hsl\(\d+(\.\d)?, 80%, 60%\)$/);
  });
});

describe("the grid filter", () => {
  it("filters by categories (any of them) and by file name", async () => {
    const { dataset } = await importDataset((await cvatZip()).bytes, { mode: "lenient" });
    const names = (filter: typeof NO_FILTER) =>
      filterItems(dataset.items, filter).map((i) => dataset.items[i]!.image.fileName);
    expect(names(NO_FILTER)).toEqual(["a.png", "b.png", "c.png"]);
    const onlyA = toggleCategory(NO_FILTER, 1);
    expect(names(onlyA)).toEqual(["b.png"]);
    const aOrB = toggleCategory(onlyA, 2);
    expect(names(aOrB)).toHaveLength(3);
    expect(names(toggleCategory(aOrB, 2))).toEqual(["b.png"]);
    expect(names({ ...NO_FILTER, search: " A.P " })).toEqual(["a.png"]);
    expect(names({ ...NO_FILTER, categories: new Set([1]), search: "a" })).toEqual([]);
  });

  it("filters by subset, crowd and problems, all conditions together", async () => {
    const { dataset } = await importDataset((await cvatZip()).bytes, { mode: "lenient" });
    const at = (filter: ItemFilter, problems = new Set<number>()) =>
      filterItems(dataset.items, filter, { problems }).map((i) => `${dataset.items[i]!.subset}/${i}`);
    expect(subsetsOf(dataset.items)).toEqual(["train", "val", "kp"]);
    expect(at({ ...NO_FILTER, subset: "val" })).toEqual(["val/1"]);
    expect(at({ ...NO_FILTER, subset: "nope" })).toEqual([]);
    const crowd = dataset.items.flatMap((item, i) =>
      groupCocoObjects(item.annotations).some((shapes) => isCrowdObject(shapes)) ? [i] : [],
    );
    expect(crowd.length).toBeGreaterThan(0);
    expect(filterItems(dataset.items, { ...NO_FILTER, crowd: "crowd" })).toEqual(crowd);
    const noCrowd = filterItems(dataset.items, { ...NO_FILTER, crowd: "no-crowd" });
    expect([...noCrowd, ...crowd].sort()).toEqual([0, 1, 2]);
    expect(at({ ...NO_FILTER, problems: true }, new Set([2]))).toEqual(["kp/2"]);
    expect(at({ ...NO_FILTER, problems: true, subset: "train" }, new Set([2]))).toEqual([]);
    expect(isNoFilter(NO_FILTER)).toBe(true);
    expect(isNoFilter({ ...NO_FILTER, crowd: "crowd" })).toBe(false);
  });
});

describe("objects and summary", () => {
  it("counts COCO annotations, not model shapes (a box beside its polygon is one)", async () => {
    const { dataset } = await importDataset(
      new TextEncoder().encode(
        JSON.stringify(conformanceJson("coco_instances/annotations/instances_val.json")),
      ),
      { name: "instances_val.json" },
    );
    const item = dataset.items[0]!;
    expect(item.annotations.length).toBeGreaterThan(2);
    const objects = objectsOf(item);
    expect(objects.map((o) => [o.id, o.categoryId, o.iscrowd, o.area])).toEqual([
      [1, 1, false, 2],
      [2, 2, true, 20],
    ]);
    expect(objects[0]!.bbox).toEqual([0, 0, 1, 2]);
    expect(statusLine(summarize(dataset))).toBe("1 images, 2 annotations");
  });
});

describe("the problems list", () => {
  it("groups issues by code, errors first, and finds the kept records", async () => {
    const { dataset, report } = await importDataset(new TextEncoder().encode(hostileJson()), {
      mode: "lenient",
      name: "instances_val.json",
    });
    const groups = groupIssues(report);
    expect(groups.map((g) => [g.code, g.severity, g.count])).toEqual([
      ["invalid_bbox", "error", 1],
      ["bbox_out_of_bounds", "warning", 1],
    ]);
    const locate = createIssueLocator(dataset);
    // The out-of-bounds box was kept: its issue leads to image 40's annotation 1.
    const [keptIssue, skippedIssue] = report.issues.toSorted((a, b) => a.code.localeCompare(b.code));
    expect(keptIssue?.code).toBe("bbox_out_of_bounds");
    expect(locate(keptIssue!)).toEqual({ itemIndex: 0, annotationId: 1 });
    // The record with a non-numeric box was skipped: nothing to open.
    expect(skippedIssue?.code).toBe("invalid_bbox");
    expect(locate(skippedIssue!)).toBeUndefined();
  });
  it("drops the pointer core puts in front of a message", () => {
    expect(
      issueText({ pointer: "/annotations/0/bbox", message: "/annotations/0/bbox: expected a box" }),
    ).toBe("expected a box");
    expect(issueText({ pointer: "", message: "expected the rest" })).toBe("expected the rest");
  });

  it("reads the record of a JSON pointer", () => {
    expect(recordOfPointer("/annotations/12/bbox/3")).toEqual({ list: "annotations", index: 12 });
    expect(recordOfPointer("/images/0")).toEqual({ list: "images", index: 0 });
    expect(recordOfPointer("/categories")).toBeUndefined();
    expect(recordOfPointer("")).toBeUndefined();
  });
});
