import { encode, fromCountsString, toBbox } from "@cocokit/rle";
import { describe, expect, it } from "vitest";
import { importJson } from "../import/import-files.js";
import type { Annotation, Dataset, Item, MaskAnnotation } from "../model/types.js";
import { exportJson } from "./export-dataset.js";
import { buildInstance, type InstanceContext, leaderOf } from "./instance.js";
import { panopticRecord } from "./panoptic.js";
import { planExport } from "./plan.js";

const ctx: InstanceContext = {
  id: 7,
  imageId: 3,
  height: 4,
  width: 4,
  mode: "guess",
  compressRle: false,
  allowAttributes: true,
};
const item = (annotations: Annotation[]): Item => ({
  id: 1,
  subset: "train",
  image: { fileName: "1.jpg", width: 4, height: 4 },
  annotations,
  attributes: {},
});
const box = (over: Partial<Annotation> = {}): Annotation =>
  ({
    type: "bbox",
    id: 1,
    group: 0,
    categoryId: 1,
    attributes: {},
    bbox: [0, 0, 2, 3],
    ...over,
  }) as Annotation;

async function exported(dataset: Dataset): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  for await (const c of exportJson(dataset)) chunks.push(c);
  return JSON.parse(new TextDecoder().decode(Buffer.concat(chunks)));
}

describe("the unchanged mark", () => {
  it("writes a mask with its file's area but without the mark as edited: every field derived again", () => {
    const rle = fromCountsString("433N00N", 4, 4);
    const common = { id: 1, group: 0, categoryId: 1, area: 123.5, attributes: { is_crowd: true } };
    const mask: MaskAnnotation = { ...common, type: "mask", rle, countsFormat: "string" };
    // pycocotools: area 5 for counts "433N00N" in 4×4.
    expect(buildInstance([mask], ctx)).toMatchObject({ area: 5, bbox: toBbox(rle), iscrowd: 1 });
    expect(buildInstance([{ ...mask, unchanged: true }], ctx)).toMatchObject({
      area: 123.5,
      segmentation: { counts: "433N00N", size: [4, 4] },
    });
  });

  it("keeps an imported record's fields while the mark is set, derives them once it is deleted", async () => {
    const doc = {
      images: [{ id: 1, file_name: "1.jpg", width: 4, height: 4 }],
      categories: [{ id: 1, name: "a" }],
      annotations: [
        { id: 5, image_id: 1, category_id: 1, bbox: [0, 0, 2, 3], area: 999, iscrowd: 0, note: "x" },
      ],
    };
    const { dataset } = await importJson(doc, { name: "instances_train.json" });
    const a = dataset.items[0]?.annotations[0] as Annotation;
    expect(a.unchanged).toBe(true);
    expect((await exported(dataset)).annotations).toEqual([{ ...doc.annotations[0] }]);
    delete a.unchanged; // an edit: area is still 999, but export must not trust it
    const [edited] = (await exported(dataset)).annotations as Record<string, unknown>[];
    expect(edited).toMatchObject({ id: 5, area: 6, bbox: [0, 0, 2, 3], segmentation: [], note: "x" });
  });

  it("keeps a file's only id 0 for an unchanged annotation, renumbers it without the mark", () => {
    const dataset = (a: Annotation): Dataset => ({ categories: [{ id: 1, name: "a" }], items: [item([a])] });
    const idOf = (a: Annotation) => planExport(dataset(a), {}).files[0]?.annotations[0]?.id;
    expect(idOf(box({ id: 0, area: 6, unchanged: true }))).toBe(0);
    expect(idOf(box({ id: 0, area: 6 }))).toBe(1);
  });

  it("derives a panoptic segment's area, box and iscrowd without the mark, keeps them with it", () => {
    const rle = encode(new Uint8Array(16).fill(1), 4, 4);
    const segment: MaskAnnotation = {
      type: "mask",
      id: 3,
      group: 0,
      categoryId: 1,
      attributes: {},
      area: 40,
      rle,
      task: "panoptic",
      extra: { bbox: [9, 9, 9, 9] },
    };
    const record = (s: MaskAnnotation) =>
      panopticRecord(item([s]), 1, [{ item: item([s]), members: [s], leader: s, id: 3 }], {});
    expect(record(segment).segments_info).toEqual([
      { id: 3, category_id: 1, area: 16, bbox: [0, 0, 4, 4], iscrowd: 0 },
    ]);
    expect(record({ ...segment, unchanged: true }).segments_info).toEqual([
      { id: 3, category_id: 1, area: 40, bbox: [9, 9, 9, 9] },
    ]);
  });
});

describe("the leader, chosen once", () => {
  // One group (a COCO object of two shapes): the leader gives its label and id.
  const small = box({ id: 2, group: 1, categoryId: 2, bbox: [0, 0, 1, 1] });
  const large = box({
    id: 3,
    group: 1,
    categoryId: 3,
    type: "polygon",
    points: [0, 0, 4, 0, 4, 4],
  } as Partial<Annotation>);

  it("is stored in the plan: the largest shape", () => {
    const dataset: Dataset = {
      categories: [2, 3].map((id) => ({ id, name: `c${id}` })),
      items: [item([small, large])],
    };
    const [planned] = planExport(dataset, {}).files[0]?.annotations ?? [];
    expect(planned?.leader).toBe(large);
    expect(planned?.id).toBe(3);
  });

  it("is taken from the plan by buildInstance instead of chosen again", () => {
    expect(leaderOf([small, large])).toBe(large);
    expect(buildInstance([small, large], ctx).category_id).toBe(3);
    expect(buildInstance([small, large], { ...ctx, leader: small }).category_id).toBe(2);
  });
});
