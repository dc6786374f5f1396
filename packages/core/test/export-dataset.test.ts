import { encode } from "@cocokit/rle";
import { decode as decodePng } from "fast-png";
import { describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { exportDataset, exportJson } from "../src/export/export-dataset.js";
import type { ExportOptions } from "../src/export/export-options.js";
import { mediaFilesFromMap } from "../src/media/media-files.js";
import type { Annotation, Dataset, Item } from "../src/model/types.js";

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Every file of an export: JSON files parsed, others as bytes. */
async function filesOf(
  dataset: Dataset,
  options?: ExportOptions,
): Promise<Record<string, ReturnType<typeof JSON.parse>>> {
  const out: Record<string, unknown> = {};
  for (const f of exportDataset(dataset, options).files) {
    const bytes = await bytesOf(f.open());
    out[f.path] = f.path.endsWith(".json") ? JSON.parse(new TextDecoder().decode(bytes)) : bytes;
  }
  return out;
}

function item(id: number, subset: string, annotations: Annotation[], over: Partial<Item> = {}): Item {
  return {
    id,
    subset,
    image: { fileName: `${id}.jpg`, width: 4, height: 2 },
    annotations,
    attributes: {},
    ...over,
  };
}

const polygon = (over: Partial<Annotation> = {}): Annotation =>
  ({
    id: 1,
    group: 1,
    categoryId: 1,
    attributes: {},
    type: "polygon",
    points: [0, 0, 4, 0, 4, 4],
    ...over,
  }) as Annotation;

const categories = [{ id: 1, name: "cat", supercategory: "animal" }];

describe("exportDataset", () => {
  it("writes one file per task and subset, items without subset to default", async () => {
    const files = await filesOf({
      categories,
      items: [
        item(1, "", [polygon()]),
        item(2, "train", [{ id: 3, group: 3, attributes: {}, type: "caption", caption: "hi" }]),
      ],
    });
    expect(Object.keys(files)).toEqual([
      "annotations/instances_default.json",
      "annotations/captions_train.json",
    ]);
    // No `categories` in a captions file: pycocotools would then index every caption's category_id.
    expect(files["annotations/captions_train.json"]).toEqual({
      images: [{ id: 2, width: 4, height: 2, file_name: "2.jpg" }],
      annotations: [{ id: 3, image_id: 2, caption: "hi" }],
    });
  });

  it("writes only image_info for a subset without annotations, and every given task even when empty", async () => {
    const dataset = { categories, items: [item(1, "a", [])] };
    expect(Object.keys(await filesOf(dataset))).toEqual(["annotations/image_info_a.json"]);
    expect(Object.keys(await filesOf(dataset, { tasks: ["instances", "labels"] }))).toEqual([
      "annotations/instances_a.json",
      "annotations/labels_a.json",
    ]);
  });

  it("keeps image, annotation and category ids, giving id-less annotations ids above the largest", async () => {
    const files = await filesOf({
      categories: [{ id: 7, name: "x" }],
      items: [
        item(40, "s", [
          polygon({ id: 5, group: 5, categoryId: 7 }),
          polygon({ id: 0, group: 0, categoryId: 7 }),
          polygon({ id: 0, group: 0, categoryId: 7 }),
        ]),
      ],
    });
    const doc = files["annotations/instances_s.json"];
    expect(doc.images[0].id).toBe(40);
    expect(doc.categories).toEqual([{ id: 7, name: "x" }]);
    expect(doc.annotations.map((a: { id: number; image_id: number }) => [a.id, a.image_id])).toEqual([
      [5, 40],
      [6, 40],
      [7, 40],
    ]);
  });

  it("numbers images across the export and annotations per file with reindex", async () => {
    const files = await filesOf(
      {
        categories,
        items: [
          item(22, "a", [polygon({ id: 5 })]),
          item(9, "b", [polygon({ id: 8 }), polygon({ id: 3, group: 2 })]),
        ],
      },
      { reindex: true },
    );
    expect(files["annotations/instances_a.json"].images[0].id).toBe(1);
    expect(files["annotations/instances_b.json"].images[0].id).toBe(2);
    expect(files["annotations/instances_b.json"].annotations.map((a: { id: number }) => a.id)).toEqual([
      1, 2,
    ]);
  });

  it("merges a group into one annotation and keeps ungrouped ones apart", async () => {
    const files = await filesOf({
      categories,
      items: [
        item(1, "a", [
          { id: 1, group: 4, categoryId: 1, attributes: {}, type: "bbox", bbox: [0, 0, 1, 1] },
          polygon({ id: 1, group: 4 }),
          polygon({ id: 2, group: 0 }),
        ]),
      ],
    });
    expect(files["annotations/instances_a.json"].annotations).toHaveLength(2);
  });

  it("writes info, licenses and top-level extra fields as the dataset has them, and CVAT's placeholders only when asked", async () => {
    const dataset: Dataset = {
      categories,
      items: [item(1, "a", [])],
      info: { year: 2024 },
      licenses: [{ id: 1 }],
      extra: { type: "instances" },
    };
    const doc = (await filesOf(dataset))["annotations/image_info_a.json"];
    expect(doc).toMatchObject({ info: { year: 2024 }, licenses: [{ id: 1 }], type: "instances" });
    const bare = (await filesOf({ categories, items: [item(1, "a", [])] }))["annotations/image_info_a.json"];
    expect(Object.keys(bare)).toEqual(["categories", "images", "annotations"]);
    const cvat = (await filesOf({ categories, items: [item(1, "a", [])] }, { cvatDefaults: true }))[
      "annotations/image_info_a.json"
    ];
    expect(cvat.licenses).toEqual([{ name: "", id: 0, url: "" }]);
    expect(cvat.info).toEqual({
      contributor: "",
      date_created: "",
      description: "",
      url: "",
      version: "",
      year: "",
    });
    expect(cvat.images[0]).toEqual({
      id: 1,
      width: 4,
      height: 2,
      file_name: "1.jpg",
      license: 0,
      flickr_url: "",
      coco_url: "",
      date_captured: 0,
    });
  });

  it("writes extra image and category fields back verbatim", async () => {
    const files = await filesOf({
      categories: [{ id: 1, name: "a", extra: { isthing: 1, color: [1, 2, 3] } }],
      items: [
        item(1, "a", [polygon()], { image: { fileName: "d/1.png", extra: { license: 3, coco_url: "u" } } }),
      ],
    });
    const doc = files["annotations/instances_a.json"];
    expect(doc.categories).toEqual([{ id: 1, name: "a", isthing: 1, color: [1, 2, 3] }]);
    expect(doc.images).toEqual([{ id: 1, file_name: "d/1.png", license: 3, coco_url: "u" }]);
  });

  it("writes labels with their category and captions with one only when they have it", async () => {
    const files = await filesOf({
      categories,
      items: [
        item(1, "a", [
          { id: 1, group: 1, categoryId: 1, attributes: { score: 0.5 }, type: "label" },
          { id: 2, group: 2, categoryId: 0, attributes: {}, type: "caption", caption: "c" },
        ]),
      ],
    });
    expect(files["annotations/labels_a.json"].annotations).toEqual([
      { id: 1, image_id: 1, category_id: 1, score: 0.5 },
    ]);
    expect(files["annotations/captions_a.json"].annotations).toEqual([
      { id: 2, image_id: 1, category_id: 0, caption: "c" },
    ]);
  });

  it("writes new keypoints and the shapes grouped with them to person_keypoints", async () => {
    const files = await filesOf({
      categories: [{ id: 1, name: "person", keypoints: ["a", "b"], skeleton: [[1, 2]] }],
      items: [
        item(1, "a", [
          {
            id: 1,
            group: 1,
            categoryId: 1,
            attributes: {},
            type: "points",
            points: [0, 0, 1, 1],
            visibility: [2, 2],
          },
          { id: 1, group: 1, categoryId: 1, attributes: {}, type: "bbox", bbox: [0, 0, 2, 2] },
          polygon({ id: 2, group: 2 }),
        ]),
      ],
    });
    expect(files["annotations/person_keypoints_a.json"].annotations).toEqual([
      {
        id: 1,
        image_id: 1,
        category_id: 1,
        segmentation: [],
        area: 4,
        bbox: [0, 0, 2, 2],
        iscrowd: 0,
        keypoints: [0, 0, 2, 1, 1, 2],
        num_keypoints: 2,
      },
    ]);
    expect(files["annotations/instances_a.json"].annotations.map((a: { id: number }) => a.id)).toEqual([2]);
  });

  it("writes stuff masks in mask mode, and panoptic segments with their PNG", async () => {
    const pixels = Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 0); // column-major 2×4: (x 0, y 0), (x 1, y 0), (x 1, y 1)
    const rle = encode(pixels, 2, 4);
    const files = await filesOf({
      categories,
      items: [
        item(1, "a", [
          {
            id: 5,
            group: 5,
            categoryId: 1,
            attributes: {},
            task: "stuff",
            type: "polygon",
            points: [0, 0, 2, 0, 2, 1],
          },
          {
            id: 300,
            group: 300,
            categoryId: 1,
            attributes: { is_crowd: false },
            task: "panoptic",
            type: "mask",
            rle,
          },
        ]),
      ],
    });
    expect(files["annotations/stuff_a.json"].annotations[0]).toMatchObject({
      iscrowd: 1,
      segmentation: { size: [2, 4] },
    });
    expect(files["annotations/panoptic_a.json"].annotations).toEqual([
      {
        image_id: 1,
        file_name: "1.png",
        segments_info: [{ id: 300, category_id: 1, area: 3, bbox: [0, 0, 2, 2], iscrowd: 0 }],
      },
    ]);
    const png = decodePng(files["annotations/panoptic_a/1.png"]);
    expect([png.width, png.height, png.channels]).toEqual([4, 2, 3]);
    // 300 = 44 + 1·256. Row 0: x 0 and x 1 set; row 1 (offset 4·3): only x 1.
    expect(Array.from(png.data.slice(0, 9))).toEqual([44, 1, 0, 44, 1, 0, 0, 0, 0]);
    expect(Array.from(png.data.slice(12, 18))).toEqual([0, 0, 0, 44, 1, 0]);
  });

  it("saves media under images/<subset>/ (or images/ with mergeImages), renaming with imageExt, skipping unsafe names", async () => {
    const media = { path: "x" };
    const files = mediaFilesFromMap(new Map([["x", Uint8Array.of(1, 2, 3)]]));
    const dataset: Dataset = {
      categories,
      items: [
        item(1, "a", [], { media, image: { fileName: "d/1.jpg" } }),
        item(2, "a", []),
        item(3, "a", [], { media, image: { fileName: "../evil.jpg" } }),
      ],
    };
    const result = exportDataset(dataset, { saveMedia: true, media: files });
    expect(result.files.map((f) => f.path)).toEqual(["annotations/image_info_a.json", "images/a/d/1.jpg"]);
    expect(result.report.counts).toEqual({ missing_image_file: 1, unsafe_zip_entry: 1 });
    // Without media files to read from, every image is listed and not saved.
    const without = exportDataset(dataset, { saveMedia: true });
    expect(without.files.map((f) => f.path)).toEqual(["annotations/image_info_a.json"]);
    expect(without.report.counts).toEqual({ missing_image_file: 2, unsafe_zip_entry: 1 });
    const merged = await filesOf(dataset, {
      saveMedia: true,
      media: files,
      mergeImages: true,
      imageExt: ".png",
    });
    expect(merged["images/d/1.png"]).toEqual(Uint8Array.of(1, 2, 3));
    expect(merged["annotations/image_info_a.json"].images[0].file_name).toBe("d/1.png");
  });

  it.each([
    [
      "a label the dataset lacks",
      { categoryId: 9 },
      "export_unknown_category",
      "/items/0/annotations/0/categoryId",
    ],
    [
      "a NaN bbox",
      { type: "bbox", bbox: [0, Number.NaN, 1, 1] },
      "export_invalid_coordinates",
      "/items/0/annotations/0/bbox",
    ],
    [
      "an infinite polygon coordinate",
      { points: [0, 0, 1, Number.POSITIVE_INFINITY, 2, 2] },
      "export_invalid_coordinates",
      "/items/0/annotations/0/points",
    ],
    [
      "a polygon with an odd count",
      { points: [0, 0, 1, 1, 2] },
      "export_invalid_coordinates",
      "/items/0/annotations/0/points",
    ],
    [
      "keypoints without one visibility per point",
      { type: "points", points: [0, 0, 1, 1], visibility: [2] },
      "export_invalid_coordinates",
      "/items/0/annotations/0/points",
    ],
    ["a NaN area", { area: Number.NaN }, "export_invalid_coordinates", "/items/0/annotations/0/area"],
    [
      "a mask of another size than its image",
      { type: "mask", rle: encode(new Uint8Array(9), 3, 3) },
      "export_mask_size_mismatch",
      "/items/0/annotations/0/rle",
    ],
  ])("refuses %s with export_failed and writes nothing", (_name, change, code, pointer) => {
    const dataset = { categories, items: [item(1, "a", [polygon(change as Partial<Annotation>)])] };
    try {
      exportDataset(dataset);
      expect.unreachable();
    } catch (e) {
      expect(isCocokitError(e) && e.code).toBe("export_failed");
      expect(isCocokitError(e) && e.issues?.map((i) => [i.code, i.pointer])).toEqual([[code, pointer]]);
    }
  });

  it("reports every problem, not the first", () => {
    const dataset = {
      categories,
      items: [
        item(1, "a", [
          polygon({ categoryId: 8 }),
          polygon({ categoryId: 9, points: [Number.NaN, 0, 1, 1, 2, 2] }),
        ]),
      ],
    };
    expect(() => exportDataset(dataset)).toThrow(
      expect.objectContaining({ issues: expect.objectContaining({ length: 3 }) }),
    );
  });
});

describe("exportJson", () => {
  it("streams the one task file as JSON", async () => {
    const dataset = { categories, items: [item(1, "a", [polygon()])] };
    const doc = JSON.parse(new TextDecoder().decode(await bytesOf(exportJson(dataset))));
    expect(doc.annotations).toHaveLength(1);
  });

  it("refuses a dataset that gives several files unless tasks and subsets pick one", async () => {
    const dataset = { categories, items: [item(1, "a", [polygon()]), item(2, "b", [polygon()])] };
    expect(() => exportJson(dataset)).toThrow(expect.objectContaining({ code: "export_ambiguous" }));
    const doc = JSON.parse(new TextDecoder().decode(await bytesOf(exportJson(dataset, { subsets: ["b"] }))));
    expect(doc.images[0].id).toBe(2);
  });
});
