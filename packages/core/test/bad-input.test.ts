// Table-driven bad input: each case is fed through the public reader and must come out as issues
// with a stable code and a JSON pointer (never any other exception), or, for input that cannot be
// read at all, as a CocokitError with its code.
import { describe, expect, it } from "vitest";
import { importDataset, isCocokitError, validateDataset } from "../src/index.js";

const IMAGE = { id: 1, file_name: "a.jpg", width: 10, height: 8 };
const CAT = { id: 1, name: "cat" };
const ANN = { id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 2, 2], area: 4, iscrowd: 0 };
const PERSON = { id: 1, name: "person", keypoints: ["a", "b"], skeleton: [[1, 2]] };

/** An instances file from parts; `ann` is merged into the one annotation. */
function doc(parts: { images?: unknown; categories?: unknown; ann?: object; annotations?: unknown } = {}) {
  return JSON.stringify({
    images: parts.images ?? [IMAGE],
    categories: parts.categories ?? [CAT],
    annotations: parts.annotations ?? [{ ...ANN, ...parts.ann }],
  });
}

type Case = [what: string, input: string | Uint8Array, code: string, pointer: string, severity?: string];

const cases: Case[] = [
  // the document
  ["an empty file", "", "empty_input", ""],
  ["only whitespace", "  \n\t ", "empty_input", ""],
  ["a truncated file", doc().slice(0, 60), "malformed_json", "/images/0"],
  ["a file cut inside a string", '{"images": [{"file_name": "a.j', "malformed_json", "/images/0"],
  ["a trailing comma", '{"images": [1,]}', "malformed_json", "/images/1"],
  ["garbage after the document", `${doc()} x`, "malformed_json", ""],
  ["a top-level array", "[1, 2]", "invalid_type", ""],
  ["a top-level number", "42", "invalid_type", ""],
  [
    "bytes that are not UTF-8",
    new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    "invalid_encoding",
    "",
  ],
  [
    "1e400 as an image width",
    doc({ images: [{ ...IMAGE, width: "1e400" }] }).replace('"1e400"', "1e400"),
    "invalid_value",
    "/images/0/width",
  ],
  [
    "a deeply nested array as segmentation",
    doc({ ann: { segmentation: JSON.parse(`${"[".repeat(200)}${"]".repeat(200)}`) } }),
    "invalid_polygon",
    "/annotations/0/segmentation/0",
  ],
  ["images that are not a list", doc({ images: { id: 1 } }), "invalid_type", "/images"],
  ["annotations that are not a list", doc({ annotations: "none" }), "invalid_type", "/annotations"],
  // images
  ["an image that is not an object", doc({ images: [7] }), "invalid_type", "/images/0"],
  ["an image without id", doc({ images: [{ file_name: "a.jpg" }] }), "missing_field", "/images/0/id"],
  ["an image with a string id", doc({ images: [{ ...IMAGE, id: "1" }] }), "invalid_type", "/images/0/id"],
  [
    "an image without file_name",
    doc({ images: [{ id: 1, width: 1, height: 1 }] }),
    "missing_field",
    "/images/0/file_name",
  ],
  [
    "an image with a numeric file_name",
    doc({ images: [{ ...IMAGE, file_name: 3 }] }),
    "invalid_type",
    "/images/0/file_name",
  ],
  [
    "an image with a negative width",
    doc({ images: [{ ...IMAGE, width: -5 }] }),
    "invalid_value",
    "/images/0/width",
  ],
  [
    "an image with a fractional height",
    doc({ images: [{ ...IMAGE, height: 2.5 }] }),
    "invalid_value",
    "/images/0/height",
  ],
  [
    "two images with one id",
    doc({ images: [IMAGE, { ...IMAGE, file_name: "b.jpg" }] }),
    "duplicate_id",
    "/images/1/id",
  ],
  // categories
  ["a category without name", doc({ categories: [{ id: 1 }] }), "missing_field", "/categories/0/name"],
  [
    "a category with a string id",
    doc({ categories: [{ id: "1", name: "cat" }] }),
    "invalid_type",
    "/categories/0/id",
  ],
  [
    "two categories with one id",
    doc({ categories: [CAT, { id: 1, name: "dog" }] }),
    "duplicate_id",
    "/categories/1/id",
  ],
  [
    "two categories with one name",
    doc({ categories: [CAT, { id: 2, name: "cat" }] }),
    "duplicate_category_name",
    "/categories/1/name",
    "warning",
  ],
  [
    "category id 0",
    doc({ categories: [{ id: 0, name: "bg" }, CAT] }),
    "category_id_zero",
    "/categories/0/id",
    "warning",
  ],
  // annotation references and ids
  ["an annotation that is not an object", doc({ annotations: [null] }), "invalid_type", "/annotations/0"],
  [
    "an annotation without image_id",
    doc({ annotations: [{ id: 1, category_id: 1, bbox: [0, 0, 1, 1] }] }),
    "missing_field",
    "/annotations/0/image_id",
  ],
  [
    "an annotation of an unknown image",
    doc({ ann: { image_id: 99 } }),
    "unknown_image",
    "/annotations/0/image_id",
  ],
  [
    "an annotation of an unknown category",
    doc({ ann: { category_id: 2 } }),
    "unknown_category",
    "/annotations/0/category_id",
  ],
  [
    "an annotation with a string category_id",
    doc({ ann: { category_id: "a" } }),
    "invalid_type",
    "/annotations/0/category_id",
  ],
  [
    "an annotation without id",
    doc({ annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] }] }),
    "missing_field",
    "/annotations/0/id",
  ],
  ["an annotation with a string id", doc({ ann: { id: "a" } }), "invalid_type", "/annotations/0/id"],
  ["two annotations with one id", doc({ annotations: [ANN, ANN] }), "duplicate_id", "/annotations/1/id"],
  // boxes
  ["a bbox of 3 numbers", doc({ ann: { bbox: [1, 2, 3] } }), "invalid_bbox", "/annotations/0/bbox"],
  ["a bbox with a string", doc({ ann: { bbox: [1, "2", 3, 4] } }), "invalid_bbox", "/annotations/0/bbox/1"],
  [
    "a bbox with a negative width",
    doc({ ann: { bbox: [1, 1, -3, 4] } }),
    "invalid_bbox",
    "/annotations/0/bbox/2",
  ],
  [
    "a bbox outside the image",
    doc({ ann: { bbox: [8, 6, 5, 5], area: 25 } }),
    "bbox_out_of_bounds",
    "/annotations/0/bbox",
    "warning",
  ],
  // polygons
  [
    "a polygon of 4 numbers",
    doc({ ann: { segmentation: [[1, 1, 2, 2]] } }),
    "invalid_polygon",
    "/annotations/0/segmentation/0",
  ],
  [
    "a polygon of an odd count",
    doc({ ann: { segmentation: [[1, 1, 5, 1, 5, 5, 1]] } }),
    "invalid_polygon",
    "/annotations/0/segmentation/0",
  ],
  [
    "a polygon with a string",
    doc({ ann: { segmentation: [[1, 1, "5", 1, 5, 5]] } }),
    "invalid_polygon",
    "/annotations/0/segmentation/0/2",
  ],
  [
    "the second polygon bad",
    doc({ ann: { segmentation: [[1, 1, 5, 1, 5, 5], [1]] } }),
    "invalid_polygon",
    "/annotations/0/segmentation/1",
  ],
  [
    "a segmentation that is a string",
    doc({ ann: { segmentation: "poly" } }),
    "invalid_type",
    "/annotations/0/segmentation",
  ],
  // RLE
  [
    "an RLE of another size",
    doc({ ann: { segmentation: { size: [4, 4], counts: [16] }, iscrowd: 1 } }),
    "rle_size_mismatch",
    "/annotations/0/segmentation/size",
  ],
  [
    "an RLE without size",
    doc({ ann: { segmentation: { counts: [80] }, iscrowd: 1 } }),
    "invalid_type",
    "/annotations/0/segmentation/size",
  ],
  [
    "RLE counts that do not add up",
    doc({ ann: { segmentation: { size: [8, 10], counts: [10, 5] }, iscrowd: 1 } }),
    "invalid_rle_counts",
    "/annotations/0/segmentation/counts",
  ],
  [
    "RLE counts with a negative run",
    doc({ ann: { segmentation: { size: [8, 10], counts: [90, -10] }, iscrowd: 1 } }),
    "invalid_rle_counts",
    "/annotations/0/segmentation/counts/1",
  ],
  [
    "a counts string with a bad character",
    doc({ ann: { segmentation: { size: [8, 10], counts: "0~" }, iscrowd: 1 } }),
    "invalid_rle_string",
    "/annotations/0/segmentation/counts",
  ],
  [
    "a counts string cut short",
    doc({ ann: { segmentation: { size: [8, 10], counts: "1`" }, iscrowd: 1 } }),
    "invalid_rle_string",
    "/annotations/0/segmentation/counts",
  ],
  // keypoints
  [
    "keypoints not in triples",
    doc({ categories: [PERSON], ann: { keypoints: [1, 2, 2, 3] } }),
    "invalid_keypoints",
    "/annotations/0/keypoints",
  ],
  [
    "keypoints of the wrong count for the category",
    doc({ categories: [PERSON], ann: { keypoints: [1, 2, 2] } }),
    "keypoint_count_mismatch",
    "/annotations/0/keypoints",
    "warning",
  ],
  [
    "a keypoint visibility of 3",
    doc({ categories: [PERSON], ann: { keypoints: [1, 2, 2, 3, 4, 3] } }),
    "invalid_keypoint_visibility",
    "/annotations/0/keypoints/5",
  ],
  [
    "num_keypoints disagreeing",
    doc({ categories: [PERSON], ann: { keypoints: [1, 2, 2, 3, 4, 0], num_keypoints: 2 } }),
    "num_keypoints_mismatch",
    "/annotations/0/num_keypoints",
    "warning",
  ],
  // area
  [
    "an area far from the box",
    doc({ ann: { area: 500 } }),
    "area_mismatch",
    "/annotations/0/area",
    "warning",
  ],
];

async function issuesOf(input: string | Uint8Array) {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  try {
    const report = await validateDataset(bytes, { name: "instances_default.json" });
    return report.issues;
  } catch (error) {
    if (!isCocokitError(error)) throw error;
    return [{ code: error.code, pointer: error.pointer ?? "", severity: "error", file: error.file }];
  }
}

describe("bad input", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)("%s → %s at %s", async (_what, input, code, pointer, severity = "error") => {
    const issues = await issuesOf(input);
    expect(issues).toContainEqual(expect.objectContaining({ code, pointer, severity }));
  });

  it.each(
    cases,
  )("%s: a strict import fails with a CocokitError, a lenient one never throws", async (_w, input, _c, _p, severity) => {
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
    const strict = await importDataset(bytes, { name: "instances_default.json" }).catch((e: unknown) => e);
    if (severity === "warning") expect(isCocokitError(strict)).toBe(false);
    else expect(isCocokitError(strict)).toBe(true);
    const lenient = await importDataset(bytes, { name: "instances_default.json", mode: "lenient" }).catch(
      (e: unknown) => e,
    );
    if (lenient instanceof Error) expect(isCocokitError(lenient)).toBe(true);
  });
});

describe("validation", () => {
  it("reports every problem of a file and of a record in one pass", async () => {
    const input = JSON.stringify({
      images: [IMAGE, { ...IMAGE }],
      categories: [CAT],
      annotations: [
        { ...ANN, id: 1, bbox: [1, 1, -1, 1], segmentation: [[1, 2]] },
        { ...ANN, id: 2, image_id: 7 },
        { ...ANN, id: 3, category_id: 9 },
      ],
    });
    const issues = await issuesOf(input);
    expect(issues.map((i) => `${i.code} ${i.pointer}`).sort()).toEqual(
      [
        "duplicate_id /images/1/id",
        "invalid_bbox /annotations/0/bbox/2",
        "invalid_polygon /annotations/0/segmentation/0",
        "unknown_category /annotations/2/category_id",
        "unknown_image /annotations/1/image_id",
      ].sort(),
    );
  });

  it("checks annotations listed before their categories (COCO's own order) when the file ends", async () => {
    const input = `{"images": ${JSON.stringify([IMAGE])}, "annotations": ${JSON.stringify([
      ANN,
      { ...ANN, id: 2, category_id: 5 },
      { ...ANN, id: 3, keypoints: [1, 1, 2] },
      { ...ANN, id: 4, keypoints: [1, 1, 2, 2, 2, 2] },
    ])}, "categories": ${JSON.stringify([PERSON])}}`;
    const bytes = new TextEncoder().encode(input);
    const issues = await issuesOf(input);
    expect(issues.map((i) => `${i.code} ${i.pointer}`)).toEqual([
      "unknown_category /annotations/1/category_id",
      "keypoint_count_mismatch /annotations/2/keypoints",
    ]);
    const { dataset, report } = await importDataset(bytes, {
      name: "instances_default.json",
      mode: "lenient",
    });
    // The unknown category skips its record; a keypoint count that disagrees is only a warning.
    expect(report.skipped).toBe(1);
    expect(dataset.items[0]?.annotations.filter((a) => a.type !== "bbox").map((a) => [a.id, a.type])).toEqual(
      [
        [3, "points"],
        [4, "points"],
      ],
    );
    expect(new Set(dataset.items[0]?.annotations.map((a) => a.id))).toEqual(new Set([1, 3, 4]));
  });

  it("skips bad records in a lenient import and counts them", async () => {
    const input = doc({ annotations: [ANN, { ...ANN, id: 2, bbox: [1] }, { ...ANN, id: 3, image_id: 5 }] });
    const { dataset, report } = await importDataset(new TextEncoder().encode(input), {
      name: "instances_default.json",
      mode: "lenient",
    });
    expect(report.skipped).toBe(2);
    expect(dataset.items[0]?.annotations.map((a) => a.id)).toEqual([1]);
  });

  it("gives the same report whether it builds the model or only validates", async () => {
    for (const [, input] of cases) {
      const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
      const validated = await validateDataset(bytes, { name: "instances_default.json" }).catch((e) => e.code);
      const imported = await importDataset(bytes, { name: "instances_default.json", mode: "lenient" })
        .then((r) => r.report)
        .catch((e) => e.code);
      if (typeof validated === "string") expect(imported).toBe(validated);
      else expect(imported.issues).toEqual(validated.issues);
    }
  });
});
