import { describe, expect, it } from "vitest";
import type { Category, Item } from "../model/types.js";
import type { IssueCode } from "../report/issue.js";
import type { IssueSink } from "../validate/issue-sink.js";
import { shapesOf } from "./annotation-shapes.js";

function run(record: Record<string, unknown>, categories = new Map<number, Category>()) {
  const found: { code: IssueCode; pointer: string; severity: string }[] = [];
  const sink: IssueSink = {
    issue: (code, _file, path, _expected, _found, severity = "error") =>
      found.push({ code, pointer: `/${path.join("/")}`, severity }),
  };
  const item: Item = {
    id: 1,
    subset: "s",
    image: { fileName: "a.jpg", width: 10, height: 10 },
    annotations: [],
    attributes: {},
  };
  const shapes = shapesOf(
    sink,
    categories,
    "f.json",
    ["annotations", 0],
    record,
    item,
    record.category_id as number,
  );
  return { types: shapes.list.map((s) => s.type), found };
}

describe("shapesOf", () => {
  it.each([
    ["a bbox with negative width", { bbox: [0, 0, -1, 2] }, "invalid_bbox", "/annotations/0/bbox/2"],
    ["a bbox outside the image", { bbox: [5, 5, 10, 10] }, "bbox_out_of_bounds", "/annotations/0/bbox"],
    [
      "a polygon with an infinite coordinate (1e400)",
      { segmentation: [[0, 0, Number.POSITIVE_INFINITY, 1, 1, 1]] },
      "invalid_polygon",
      "/annotations/0/segmentation/0/2",
    ],
    [
      "a polygon with NaN",
      { segmentation: [[0, 0, Number.NaN, 1, 1, 1]] },
      "invalid_polygon",
      "/annotations/0/segmentation/0/2",
    ],
    [
      "a polygon with null",
      { segmentation: [[0, 0, 1, null, 1, 1]] },
      "invalid_polygon",
      "/annotations/0/segmentation/0/3",
    ],
    [
      "a polygon of 4 numbers",
      { segmentation: [[0, 0, 1, 1]] },
      "invalid_polygon",
      "/annotations/0/segmentation/0",
    ],
    [
      "an odd polygon",
      { segmentation: [[0, 0, 1, 1, 2, 2, 3]] },
      "invalid_polygon",
      "/annotations/0/segmentation/0",
    ],
    [
      "an RLE of another size",
      { segmentation: { size: [5, 5], counts: [25] } },
      "rle_size_mismatch",
      "/annotations/0/segmentation/size",
    ],
    [
      "RLE counts not adding up",
      { segmentation: { size: [10, 10], counts: [5, 5] } },
      "invalid_rle_counts",
      "/annotations/0/segmentation/counts",
    ],
    [
      "a bad counts string",
      { segmentation: { size: [10, 10], counts: "\u0001" } },
      "invalid_rle_string",
      "/annotations/0/segmentation/counts",
    ],
    ["keypoints not in triples", { keypoints: [1, 2] }, "invalid_keypoints", "/annotations/0/keypoints"],
    [
      "a visibility of 3",
      { keypoints: [1, 2, 3] },
      "invalid_keypoint_visibility",
      "/annotations/0/keypoints/2",
    ],
    [
      "num_keypoints disagreeing",
      { keypoints: [1, 2, 2], num_keypoints: 0 },
      "num_keypoints_mismatch",
      "/annotations/0/num_keypoints",
    ],
    [
      "an area far from the polygon's",
      { segmentation: [[0, 0, 8, 0, 8, 8, 0, 8]], area: 1000 },
      "area_mismatch",
      "/annotations/0/area",
    ],
  ])("reports %s", (_name, record, code, pointer) => {
    const { found } = run(record);
    expect(found.map((f) => [f.code, f.pointer])).toContainEqual([code, pointer]);
  });

  it("warns when the keypoint count disagrees with the category's names, and keeps the points", () => {
    const categories = new Map<number, Category>([[1, { id: 1, name: "p", keypoints: ["a", "b"] }]]);
    const { found, types } = run({ category_id: 1, keypoints: [1, 2, 2] }, categories);
    expect(found).toEqual([
      { code: "keypoint_count_mismatch", pointer: "/annotations/0/keypoints", severity: "warning" },
    ]);
    expect(types).toEqual(["points"]);
  });

  it("returns a bbox, polygons and points for a valid record without issues", () => {
    const { types, found } = run({
      bbox: [0, 0, 8, 8],
      segmentation: [
        [0, 0, 8, 0, 8, 8, 0, 8],
        [1, 1, 2, 1, 2, 2],
      ],
      keypoints: [1, 1, 2, 0, 0, 0],
      num_keypoints: 1,
      area: 64,
    });
    expect(found).toEqual([]);
    expect(types).toEqual(["bbox", "polygon", "polygon", "points"]);
  });

  it("keeps a polygon of finite coordinates whose area overflows a double, without an area warning", () => {
    const r = run({ segmentation: [[0, 0, 1e300, 0, 1e300, 1e300]], area: 5, bbox: [0, 0, 1, 1] });
    expect(r.types).toEqual(["bbox", "polygon"]);
    expect(r.found.map((f) => f.code)).not.toContain("invalid_polygon");
  });

  it("warns when the area is far from the polygons' shoelace area", () => {
    const r = run({
      segmentation: [
        [0, 0, 4, 0, 4, 4, 0, 4],
        [5, 5, 9, 5, 9, 9],
      ],
      area: 500,
    });
    expect(r.found).toEqual([{ code: "area_mismatch", pointer: "/annotations/0/area", severity: "warning" }]);
    expect(
      run({
        segmentation: [
          [0, 0, 4, 0, 4, 4, 0, 4],
          [5, 5, 9, 5, 9, 9],
        ],
        area: 24,
      }).found,
    ).toEqual([]);
  });
});
