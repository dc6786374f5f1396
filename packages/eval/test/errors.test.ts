import { isCocokitError } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { evaluateCoco } from "../src/index.js";

const gt = {
  images: [
    { id: 1, width: 100, height: 100 },
    { id: 2, width: 100, height: 100 },
  ],
  categories: [{ id: 1, name: "a" }],
  annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], area: 400, iscrowd: 0 }],
};
const box = { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 };

function thrown(run: () => unknown): { code: string; pointer?: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(isCocokitError(error)).toBe(true);
    return error as { code: string; pointer?: string; message: string };
  }
  throw new Error("expected an error");
}

describe("evaluateCoco (bad results)", () => {
  it.each([
    ["not a list", { a: 1 }, "bbox", "invalid_results", ""],
    ["a result that is not an object", [box, 3], "bbox", "invalid_results", "/1"],
    ["a missing score", [box, { ...box, score: undefined }], "bbox", "invalid_results", "/1/score"],
    ["a bbox of the wrong length", [box, { ...box, bbox: [1, 2, 3] }], "bbox", "invalid_results", "/1/bbox"],
    [
      "an image id the ground truth lacks",
      [box, { ...box, image_id: 7 }],
      "bbox",
      "unknown_image",
      "/1/image_id",
    ],
    [
      "a category id that is not a number",
      [{ ...box, category_id: "a" }],
      "bbox",
      "invalid_results",
      "/0/category_id",
    ],
    [
      "a mask after boxes",
      [box, { image_id: 1, category_id: 1, score: 1, segmentation: [[0, 0, 1, 0, 1, 1]] }],
      "bbox",
      "mixed_results",
      "/1/bbox",
    ],
    ["captions", [{ image_id: 1, caption: "a cat", score: 1 }], "bbox", "unsupported_results", "/0"],
    [
      "keypoints for segm",
      [{ image_id: 1, category_id: 1, score: 1, keypoints: [1, 1, 1] }],
      "segm",
      "invalid_results",
      "/0/segmentation",
    ],
    ["no kind at all", [{ image_id: 1, category_id: 1, score: 1 }], "bbox", "invalid_results", "/0"],
    [
      "a broken polygon",
      [{ image_id: 1, category_id: 1, score: 1, segmentation: [["x"]] }],
      "segm",
      "invalid_results",
      "/0/segmentation",
    ],
  ] as const)("throws a located error for %s", (_, results, iouType, code, pointer) => {
    const e = thrown(() => evaluateCoco(gt, results, { iouType }));
    expect(e.code).toBe(code);
    expect(e.pointer).toBe(pointer);
    expect(e.message).toMatch(/^expected .* found /);
  });

  it("accepts an empty results list (every AP 0 where there is ground truth)", () => {
    const r = evaluateCoco(gt, [], { iouType: "bbox" });
    expect(r.stats[0]).toBe(0);
  });
});

describe("evaluateCoco (bad ground truth and params)", () => {
  it.each([
    ["no images", { annotations: [] }, "bbox", "/images"],
    [
      "an annotation without area",
      { ...gt, annotations: [{ ...gt.annotations[0], area: undefined }] },
      "bbox",
      "/annotations/0/area",
    ],
    [
      "a box of the wrong length",
      { ...gt, annotations: [{ ...gt.annotations[0], bbox: [1] }] },
      "bbox",
      "/annotations/0/bbox",
    ],
    ["keypoints missing", gt, "keypoints", "/annotations/0/num_keypoints"],
  ] as const)("throws invalid_ground_truth for %s", (_, ground, iouType, pointer) => {
    const results = iouType === "keypoints" ? [] : [box];
    const e = thrown(() => evaluateCoco(ground as never, results, { iouType }));
    expect(e.code).toBe("invalid_ground_truth");
    expect(e.pointer).toBe(pointer);
  });

  it.each([
    ["maxDets that are not positive integers", { maxDets: [0, 10, 100] }, "/maxDets"],
    ["thresholds that are not numbers", { iouThrs: ["a"] }, "/iouThrs"],
    ["fewer than three maxDets (pycocotools' summary raises)", { maxDets: [1, 10] }, "/maxDets"],
  ])("throws invalid_params for %s", (_, params, pointer) => {
    const e = thrown(() => evaluateCoco(gt, [box], { iouType: "bbox", params: params as never }));
    expect(e.code).toBe("invalid_params");
    expect(e.pointer).toBe(pointer);
  });

  it("summarizes fewer than three maxDets at the given ones with summaryMaxDets: params", () => {
    const r = evaluateCoco(gt, [box], {
      iouType: "bbox",
      params: { maxDets: [1, 5] },
      summaryMaxDets: "params",
    });
    expect(r.stats[0]).toBeCloseTo(1, 12);
    expect(r.stats[6]).toBeCloseTo(1, 12);
  });
});
