import { importDataset } from "@cocokit/core";
import { describe, expect, it } from "vitest";
import { ALL_LAYERS, KIND_KEYS, kindOf, toggled, visibleObjects } from "../src/model/layers.js";
import { objectsOf } from "../src/model/objects.js";

// One image: a box with its polygon (one object), a crowd RLE, keypoints, and a caption.
const doc = {
  images: [{ id: 1, file_name: "a.png", width: 10, height: 10 }],
  categories: [
    { id: 1, name: "cat" },
    { id: 2, name: "person", keypoints: ["nose"], skeleton: [] },
  ],
  annotations: [
    {
      id: 1,
      image_id: 1,
      category_id: 1,
      bbox: [0, 0, 4, 4],
      area: 16,
      iscrowd: 0,
      segmentation: [[0, 0, 4, 0, 4, 4]],
      score: 0.75,
      attributes: { occluded: true },
    },
    {
      id: 2,
      image_id: 1,
      category_id: 1,
      bbox: [0, 0, 2, 2],
      area: 4,
      iscrowd: 1,
      segmentation: { size: [10, 10], counts: [0, 4, 96] },
    },
    {
      id: 3,
      image_id: 1,
      category_id: 2,
      bbox: [1, 1, 2, 2],
      area: 4,
      iscrowd: 0,
      keypoints: [2, 2, 2],
      num_keypoints: 1,
    },
  ],
};

async function objects() {
  const { dataset } = await importDataset(new TextEncoder().encode(JSON.stringify(doc)), { mode: "lenient" });
  return objectsOf(dataset.items[0]!);
}

const kinds = (list: ReturnType<typeof visibleObjects>) =>
  list.map((o) => `${o.id}:${o.shapes.map((s) => kindOf(s)).join("+")}`);

describe("the image view's layers", () => {
  it("draws every kind of every category by default", async () => {
    const all = await objects();
    expect(kinds(visibleObjects(all, ALL_LAYERS))).toEqual([
      "1:boxes+masks",
      "2:boxes+masks",
      "3:boxes+keypoints",
    ]);
  });
  it("drops the shapes of a kind switched off, and objects left with none", async () => {
    const all = await objects();
    const noBoxes = { ...ALL_LAYERS, kinds: toggled(ALL_LAYERS.kinds, "boxes") };
    expect(kinds(visibleObjects(all, noBoxes))).toEqual(["1:masks", "2:masks", "3:keypoints"]);
    const onlyBoxes = { ...ALL_LAYERS, kinds: new Set(["boxes"] as const) };
    expect(kinds(visibleObjects(all, onlyBoxes))).toEqual(["1:boxes", "2:boxes", "3:boxes"]);
    const none = { ...ALL_LAYERS, kinds: new Set<never>() };
    expect(visibleObjects(all, none)).toEqual([]);
  });
  it("leaves out the categories switched off", async () => {
    const all = await objects();
    const noCat = { ...ALL_LAYERS, hiddenCategories: new Set([1]) };
    expect(kinds(visibleObjects(all, noCat))).toEqual(["3:boxes+keypoints"]);
  });
  it("maps B, M and K to boxes, masks and keypoints; toggled adds and removes", () => {
    expect(KIND_KEYS).toEqual({ b: "boxes", m: "masks", k: "keypoints" });
    const once = toggled(new Set([1, 2]), 2);
    expect([...once]).toEqual([1]);
    expect([...toggled(once, 2)]).toEqual([1, 2]);
  });
  it("reads score, crowd and the other attributes for the inspector", async () => {
    const [first, crowd] = await objects();
    expect(first).toMatchObject({ score: 0.75, iscrowd: false, attributes: { occluded: true } });
    expect(crowd).toMatchObject({ score: undefined, iscrowd: true, attributes: {} });
  });
});
