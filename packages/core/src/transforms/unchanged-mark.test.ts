import { describe, expect, it } from "vitest";
import { exportJson } from "../export/export-dataset.js";
import { importJson } from "../import/import-files.js";
import type { Dataset } from "../model/types.js";
import { filterDataset } from "./filter.js";
import { remapCategories } from "./remap.js";
import { splitDataset } from "./split.js";

// Areas and boxes a derivation would not give back (area 999 for a 2×3 box): they survive only
// while the annotations keep import's `unchanged` mark.
const doc = {
  images: [
    { id: 1, file_name: "1.jpg", width: 4, height: 4 },
    { id: 2, file_name: "2.jpg", width: 4, height: 4 },
  ],
  categories: [
    { id: 1, name: "car" },
    { id: 2, name: "truck" },
  ],
  annotations: [
    { id: 5, image_id: 1, category_id: 1, bbox: [0, 0, 2, 3], area: 999, iscrowd: 0 },
    {
      id: 6,
      image_id: 2,
      category_id: 2,
      bbox: [1, 1, 1, 1],
      area: 7,
      iscrowd: 0,
      segmentation: [[1, 1, 2, 1, 2, 2]],
    },
  ],
};

async function annotationsOf(dataset: Dataset, subsets?: string[]): Promise<unknown[]> {
  const chunks: Uint8Array[] = [];
  for await (const c of exportJson(dataset, subsets ? { subsets } : {})) chunks.push(c);
  return JSON.parse(new TextDecoder().decode(Buffer.concat(chunks))).annotations;
}

const imported = async () => (await importJson(doc, { name: "instances_default.json" })).dataset;
/** Whether every model annotation (a record's box and polygon are two) still has the mark. */
const allMarked = (dataset: Dataset) =>
  dataset.items.every((i) => i.annotations.every((a) => a.unchanged === true));

// Filter, remap and split move or relabel whole objects and never edit a shape or an attribute,
// so what they keep is still written back as it was read.
describe("transforms keep the unchanged mark of what they do not edit", () => {
  it("filterDataset", async () => {
    const kept = filterDataset(await imported(), { categories: ["car"] });
    expect(allMarked(kept)).toBe(true);
    expect(await annotationsOf(kept)).toEqual([doc.annotations[0]]);
  });

  it("remapCategories: the new label, the rest as read", async () => {
    const remapped = remapCategories(await imported(), { map: { truck: "car" } });
    expect(allMarked(remapped)).toBe(true);
    expect(await annotationsOf(remapped)).toEqual([
      doc.annotations[0],
      { ...doc.annotations[1], category_id: 1 },
    ]);
  });

  it("splitDataset", async () => {
    const split = splitDataset(await imported(), { ratios: { a: 1, b: 1 }, seed: 1 });
    expect(allMarked(split)).toBe(true);
    const written = [...(await annotationsOf(split, ["a"])), ...(await annotationsOf(split, ["b"]))];
    expect(written.sort((x, y) => (x as { id: number }).id - (y as { id: number }).id)).toEqual(
      doc.annotations,
    );
  });
});
