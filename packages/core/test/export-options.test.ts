import { encode } from "@cocokit/rle";
import { describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { exportDataset } from "../src/export/export-dataset.js";
import type { ExportFile, ExportOptions } from "../src/export/export-options.js";
import type { Annotation, Dataset } from "../src/model/types.js";

type Obj = Record<string, unknown>;

async function textOf(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let text = "";
  const decoder = new TextDecoder();
  for await (const c of chunks) text += decoder.decode(c, { stream: true });
  return text + decoder.decode();
}

/** The parsed JSON files of an export, by path. */
async function jsonOf(dataset: Dataset, options?: ExportOptions): Promise<Record<string, Obj>> {
  const out: Record<string, Obj> = {};
  for (const f of exportDataset(dataset, options).files)
    if (f.path.endsWith(".json")) out[f.path] = JSON.parse(await textOf(f.open()));
  return out;
}

/** A 10×10 mask with the 3×3 square at x, y ∈ [2, 5) set. */
function square(): ReturnType<typeof encode> {
  const pixels = new Uint8Array(100);
  for (let x = 2; x < 5; x++) for (let y = 2; y < 5; y++) pixels[x * 10 + y] = 1;
  return encode(pixels, 10, 10);
}

const newMask = (over: Partial<Annotation> = {}): Annotation =>
  ({ id: 1, group: 1, categoryId: 1, attributes: {}, type: "mask", rle: square(), ...over }) as Annotation;
const newPolygon = (over: Partial<Annotation> = {}): Annotation =>
  ({
    id: 2,
    group: 2,
    categoryId: 1,
    attributes: {},
    type: "polygon",
    points: [1.23456, 1.23456, 6.54321, 1.23456, 6.54321, 6.54321],
    ...over,
  }) as Annotation;

function dataset(annotations: Annotation[]): Dataset {
  return {
    categories: [{ id: 1, name: "thing" }],
    items: [
      {
        id: 1,
        subset: "train",
        image: { fileName: "a.jpg", width: 10, height: 10 },
        annotations,
        attributes: {},
      },
    ],
  };
}

/** The annotations of the one file an export of `dataset([a])` writes. */
async function annotationsOf(annotations: Annotation[], options?: ExportOptions): Promise<Obj[]> {
  const files = Object.values(await jsonOf(dataset(annotations), options));
  expect(files).toHaveLength(1);
  return (files[0] as Obj).annotations as Obj[];
}

const isRle = (s: unknown) => typeof s === "object" && s !== null && !Array.isArray(s) && "counts" in s;
const isPolygons = (s: unknown) => Array.isArray(s) && s.length > 0 && s.every(Array.isArray);

describe("exportDataset options", () => {
  it.each([
    { mode: undefined, shape: "mask", crowd: undefined, expected: "rle" },
    { mode: "guess", shape: "mask", crowd: false, expected: "polygons" },
    { mode: "guess", shape: "polygon", crowd: undefined, expected: "polygons" },
    { mode: "guess", shape: "polygon", crowd: true, expected: "rle" },
    { mode: "guess", shape: "polygon", crowd: 1, expected: "rle" },
    { mode: "guess", shape: "polygon", crowd: "true", expected: "rle" },
    { mode: "guess", shape: "polygon", crowd: "false", expected: "polygons" },
    { mode: "polygons", shape: "mask", crowd: undefined, expected: "polygons" },
    { mode: "polygons", shape: "polygon", crowd: true, expected: "polygons" },
    { mode: "mask", shape: "polygon", crowd: undefined, expected: "rle" },
    { mode: "mask", shape: "mask", crowd: false, expected: "rle" },
  ] as const)("writes a new $shape (is_crowd $crowd) as $expected with segmentationMode $mode", async (c) => {
    const attributes = c.crowd === undefined ? {} : { is_crowd: c.crowd };
    const a = c.shape === "mask" ? newMask({ attributes }) : newPolygon({ attributes });
    const [out] = await annotationsOf([a], c.mode === undefined ? {} : { segmentationMode: c.mode });
    expect(c.expected === "rle" ? isRle(out?.segmentation) : isPolygons(out?.segmentation)).toBe(true);
    expect(out?.iscrowd).toBe(c.expected === "rle" ? 1 : 0);
  });

  it("writes stuff as masks by default and as polygons when segmentationMode says so", async () => {
    const stuff = newPolygon({ task: "stuff" });
    expect(isRle((await annotationsOf([stuff]))[0]?.segmentation)).toBe(true);
    const [out] = await annotationsOf([stuff], { segmentationMode: "polygons" });
    expect(isPolygons(out?.segmentation)).toBe(true);
  });

  it("writes new RLE counts as a list by default and as pycocotools' string with compressRle", async () => {
    const [list] = await annotationsOf([newMask()]);
    expect((list?.segmentation as Obj).counts).toEqual([22, 3, 7, 3, 7, 3, 55]);
    const [string] = await annotationsOf([newMask()], { compressRle: true });
    // pycocotools: mask.encode of this square gives b"f037000`1".
    expect((string?.segmentation as Obj).counts).toBe("f037000`1");
  });

  it("keeps full coordinate precision by default and rounds to `precision` decimals when asked", async () => {
    const [full] = await annotationsOf([newPolygon()]);
    expect(full?.segmentation).toEqual([[1.23456, 1.23456, 6.54321, 1.23456, 6.54321, 6.54321]]);
    expect(full?.bbox).toEqual([1.23456, 1.23456, 6.54321 - 1.23456, 6.54321 - 1.23456]);
    const [rounded] = await annotationsOf([newPolygon()], { precision: 2 });
    expect(rounded?.segmentation).toEqual([[1.23, 1.23, 6.54, 1.23, 6.54, 6.54]]);
    expect(rounded?.bbox).toEqual([1.23, 1.23, 5.31, 5.31]);
  });

  it("writes attributes other than is_crowd and score unless allowAttributes is false, for every task", async () => {
    const attributes = { occluded: true, score: 0.5 };
    const shapes = [
      newPolygon({ attributes }),
      { id: 3, group: 0, attributes, type: "caption", caption: "hi" } as Annotation,
    ];
    for (const allowAttributes of [undefined, false]) {
      const files = await jsonOf(dataset(shapes), allowAttributes === undefined ? {} : { allowAttributes });
      const written = Object.values(files).flatMap((f) => f.annotations as Obj[]);
      expect(written).toHaveLength(2);
      for (const a of written) {
        expect(a.score).toBe(0.5);
        expect(a.attributes).toEqual(allowAttributes === false ? undefined : { occluded: true });
      }
    }
  });

  it("keeps category ids by default and numbers them 1…N in the dataset's order with reindex, in every task", async () => {
    const data: Dataset = {
      categories: [
        { id: 30, name: "b" },
        { id: 10, name: "a" },
      ],
      items: [
        {
          id: 1,
          subset: "train",
          image: { fileName: "a.jpg", width: 10, height: 10 },
          attributes: {},
          annotations: [
            newPolygon({ categoryId: 10 }),
            { id: 5, group: 0, categoryId: 30, attributes: {}, type: "label" } as Annotation,
            newMask({ id: 6, group: 6, categoryId: 10, task: "panoptic" }),
          ],
        },
      ],
    };
    const ids = (files: Record<string, Obj>) =>
      Object.entries(files).map(([path, f]) => [
        path,
        (f.categories as Obj[]).map((c) => c.id),
        (f.annotations as Obj[]).map((a) => a.category_id ?? (a.segments_info as Obj[])[0]?.category_id),
      ]);
    expect(ids(await jsonOf(data))).toEqual([
      ["annotations/instances_train.json", [30, 10], [10]],
      ["annotations/labels_train.json", [30, 10], [30]],
      ["annotations/panoptic_train.json", [30, 10], [10]],
    ]);
    expect(ids(await jsonOf(data, { reindex: true }))).toEqual([
      ["annotations/instances_train.json", [1, 2], [2]],
      ["annotations/labels_train.json", [1, 2], [1]],
      ["annotations/panoptic_train.json", [1, 2], [2]],
    ]);
  });

  it("numbers panoptic segments 1…N with reindex, in the record and in the PNG", async () => {
    const segment = newMask({ id: 77, group: 77, task: "panoptic" });
    const kept = await jsonOf(dataset([segment]));
    const info = (f: Record<string, Obj>) =>
      ((f["annotations/panoptic_train.json"]?.annotations as Obj[])[0]?.segments_info as Obj[])[0];
    expect(info(kept)?.id).toBe(77);
    expect(info(await jsonOf(dataset([segment]), { reindex: true }))?.id).toBe(1);
  });

  it("fails the reading of a file once its signal is aborted", async () => {
    const controller = new AbortController();
    const { files } = exportDataset(dataset([newPolygon()]), { signal: controller.signal });
    controller.abort();
    const error = await textOf((files[0] as ExportFile).open()).catch((e: unknown) => e);
    expect(isCocokitError(error) && error.code).toBe("aborted");
  });

  it("keeps at most maxIssues issues in a failed export, still counting all", () => {
    const bad = [1, 2, 3].map((i) => newPolygon({ id: i, group: i, categoryId: 40 + i }));
    const error = (() => {
      try {
        exportDataset(dataset(bad), { maxIssues: 2 });
      } catch (e) {
        return e;
      }
    })();
    expect(isCocokitError(error) && error.code).toBe("export_failed");
    if (!isCocokitError(error)) return;
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain("found 3 errors");
  });

  it("reports an unchanged mask of another size than its image as a warning and writes it as read", async () => {
    const small = newMask({ area: 9, unchanged: true, rle: encode(new Uint8Array(25).fill(1), 5, 5) });
    const { files, report } = exportDataset(dataset([small]));
    expect(report.ok).toBe(true);
    expect(report.issues.map((i) => [i.code, i.severity])).toEqual([
      ["export_mask_size_mismatch", "warning"],
    ]);
    const written = JSON.parse(await textOf((files[0] as ExportFile).open()));
    expect(written.annotations[0].segmentation.size).toEqual([5, 5]);
    // The same mask without import's mark is edited: an error, and nothing is written.
    expect(() => exportDataset(dataset([{ ...small, unchanged: undefined } as Annotation]))).toThrow(
      /export_mask_size_mismatch|expected a mask of 10×10/,
    );
  });
});
