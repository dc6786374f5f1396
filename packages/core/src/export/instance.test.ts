import { decode, fromCountsString, fromPolygon, merge } from "@cocokit/rle";
import { describe, expect, it } from "vitest";
import type { Annotation } from "../model/types.js";
import { buildInstance, type InstanceContext, leaderOf, type NumericMembers } from "./instance.js";
import { maskOf } from "./mask-rows.test-support.js";

const base = { id: 1, group: 1, categoryId: 1, attributes: {} };
const ctx = (over: Partial<InstanceContext> = {}): InstanceContext => ({
  id: 7,
  imageId: 3,
  height: 4,
  width: 4,
  mode: "guess",
  compressRle: false,
  allowAttributes: true,
  ...over,
});

// Datumaro's RT2 masks, and pycocotools' values for them (mask.area, mask.toBbox, mask.encode).
const RT2_MASK = [
  [0, 1, 0, 0],
  [0, 1, 0, 0],
  [0, 1, 1, 1],
  [0, 0, 0, 0],
];

describe("buildInstance", () => {
  it("names the boxes and polygons it built as number members, for the writer's short path", () => {
    const points = [0, 1, 2, 1, 2, 3, 0, 3];
    const members: Annotation[] = [
      { ...base, type: "bbox", bbox: [0, 1, 2, 2] },
      { ...base, type: "polygon", points },
    ];
    const edited: NumericMembers = { lists: [], listsOfLists: [] };
    const out = buildInstance(members, ctx(), edited);
    expect(edited.lists).toEqual([out.bbox]);
    expect(edited.listsOfLists).toEqual([out.segmentation]);
    expect(edited.lists[0]).toBe(out.bbox);
    expect(edited.listsOfLists[0]).toBe(out.segmentation);
    // Unchanged since import: the file's own fields, also built from the checked coordinates.
    const unchanged: NumericMembers = { lists: [], listsOfLists: [] };
    const read = buildInstance(
      members.map((a) => ({ ...a, area: 4, unchanged: true as const })),
      ctx(),
      unchanged,
    );
    expect(unchanged.lists[0]).toBe(read.bbox);
    expect(unchanged.listsOfLists[0]).toBe(read.segmentation);
  });

  it("does not name a member an extra field replaced: it may hold anything", () => {
    const numeric: NumericMembers = { lists: [], listsOfLists: [] };
    const extra = { bbox: ["not", "numbers"], segmentation: [[1, "x"]] };
    const out = buildInstance(
      [
        { ...base, area: 4, unchanged: true, extra, type: "bbox", bbox: [0, 1, 2, 2] },
        { ...base, area: 4, unchanged: true, extra, type: "polygon", points: [0, 1, 2, 1, 2, 3, 0, 3] },
      ],
      ctx(),
      numeric,
    );
    expect(out.bbox).toBe(extra.bbox);
    expect(numeric.lists).not.toContain(out.bbox);
    expect(numeric.listsOfLists).not.toContain(out.segmentation);
  });

  it("writes a box grouped with a polygon (is_crowd false) as the polygon, the box's bbox and pycocotools' pixel area (RT2 item 1)", () => {
    const attributes = { is_crowd: false };
    const out = buildInstance(
      [
        { ...base, categoryId: 3, attributes, type: "bbox", bbox: [0, 1, 2, 2] },
        { ...base, categoryId: 3, attributes, type: "polygon", points: [0, 1, 2, 1, 2, 3, 0, 3] },
      ],
      ctx(),
    );
    // pycocotools: area(merge(frPyObjects([[0,1,2,1,2,3,0,3]], 4, 4))) == 4
    expect(out).toEqual({
      id: 7,
      image_id: 3,
      category_id: 3,
      segmentation: [[0, 1, 2, 1, 2, 3, 0, 3]],
      area: 4,
      bbox: [0, 1, 2, 2],
      iscrowd: 0,
    });
  });

  it("writes a crowd mask as uncompressed RLE with iscrowd 1 and the bbox of the box member (RT2 item 2)", () => {
    const attributes = { is_crowd: true };
    const out = buildInstance(
      [
        { ...base, attributes, type: "mask", rle: maskOf(RT2_MASK) },
        { ...base, attributes, type: "bbox", bbox: [1, 0, 2, 2] },
      ],
      ctx(),
    );
    // pycocotools: encode → counts "433N00N" = runs 4,3,3,1,3,1,1 (frPyObjects of that list gives the same string), area 5
    expect(out).toMatchObject({
      segmentation: { counts: [4, 3, 3, 1, 3, 1, 1], size: [4, 4] },
      area: 5,
      bbox: [1, 0, 2, 2],
      iscrowd: 1,
    });
  });

  it.each([
    ["boolean true", true],
    ["number 1", 1],
    ["string 'true'", "true"],
    ["string 'TRUE'", "TRUE"],
  ])("takes is_crowd given as %s as a crowd (a mask)", (_name, value) => {
    const out = buildInstance(
      [{ ...base, attributes: { is_crowd: value }, type: "polygon", points: [0, 0, 3, 0, 3, 3] }],
      ctx(),
    );
    expect(out.iscrowd).toBe(1);
    expect(out.segmentation).toEqual({ counts: expect.any(Array), size: [4, 4] });
  });

  it.each([
    ["boolean false", false],
    ["number 0", 0],
    ["string 'false'", "false"],
  ])("keeps polygons when is_crowd is %s", (_name, value) => {
    const out = buildInstance(
      [{ ...base, attributes: { is_crowd: value }, type: "polygon", points: [0, 0, 3, 0, 3, 3] }],
      ctx(),
    );
    expect(out).toMatchObject({ iscrowd: 0, segmentation: [[0, 0, 3, 0, 3, 3]] });
  });

  it("merges polygons into one mask in mask mode, with pycocotools' pixels and area (RT7)", () => {
    const out = buildInstance(
      [
        { ...base, categoryId: 3, type: "polygon", points: [0, 0, 4, 0, 4, 4] },
        { ...base, categoryId: 3, type: "polygon", points: [5, 0, 9, 0, 5, 5] },
      ],
      ctx({ mode: "mask", height: 6, width: 10 }),
    );
    const seg = out.segmentation as { counts: number[]; size: [number, number] };
    const rle = { height: 6, width: 10, counts: Uint32Array.from(seg.counts) };
    // The RT5 target mask (pycocotools' rasterisation of the two polygons), area 16.
    expect(decode(rle)).toEqual(
      decode(
        maskOf([
          [0, 1, 1, 1, 0, 1, 1, 1, 1, 0],
          [0, 0, 1, 1, 0, 1, 1, 1, 0, 0],
          [0, 0, 0, 1, 0, 1, 1, 0, 0, 0],
          [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
          [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
          [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ]),
      ),
    );
    expect(out).toMatchObject({ area: 16, bbox: [0, 0, 9, 5], iscrowd: 1 });
  });

  it("uses a mask in guess mode when the group has no is_crowd and a mask of the leader's label (RT26)", () => {
    const mask = maskOf([
      [0, 0, 0, 0, 0],
      [0, 1, 1, 1, 0],
      [0, 1, 1, 1, 0],
      [0, 1, 1, 1, 0],
      [0, 0, 0, 0, 0],
    ]);
    const out = buildInstance(
      [
        { ...base, id: 0, type: "mask", rle: mask },
        { ...base, type: "polygon", points: [1, 1, 1, 3, 3, 3, 3, 1] },
      ],
      ctx({ height: 5, width: 5 }),
    );
    // pycocotools: area 9, toBbox [1, 1, 3, 3] (Datumaro would write its one-pixel-smaller [1, 1, 2, 2]).
    expect(out).toMatchObject({ area: 9, iscrowd: 1, bbox: [1, 1, 3, 3] });
  });

  it("traces a mask into polygons when is_crowd is false, and the polygons rasterise to the mask", () => {
    const rle = maskOf(RT2_MASK);
    const out = buildInstance([{ ...base, attributes: { is_crowd: false }, type: "mask", rle }], ctx());
    expect(out.iscrowd).toBe(0);
    const polygons = out.segmentation as number[][];
    expect(Array.isArray(polygons)).toBe(true);
    expect(decode(merge(polygons.map((p) => fromPolygon(p, 4, 4))))).toEqual(decode(rle));
    expect(out.area).toBe(5);
    expect(out.bbox).toEqual([1, 0, 3, 3]);
  });

  it("writes a crowd box alone with an empty segmentation, iscrowd 0 and the box area (CVAT §1.4 #7)", () => {
    const out = buildInstance(
      [{ ...base, attributes: { is_crowd: true }, type: "bbox", bbox: [1, 1, 2, 3] }],
      ctx(),
    );
    expect(out).toMatchObject({ segmentation: [], area: 6, bbox: [1, 1, 2, 3], iscrowd: 0 });
  });

  it("takes label, id, score and attributes from the largest member", () => {
    const members: Annotation[] = [
      { ...base, id: 4, categoryId: 1, attributes: { score: 0.1 }, type: "bbox", bbox: [0, 0, 1, 1] },
      {
        ...base,
        id: 5,
        categoryId: 2,
        attributes: { score: "0.9", color: "red", is_crowd: false },
        type: "polygon",
        points: [0, 0, 3, 0, 3, 3, 0, 3],
      },
    ];
    expect(leaderOf(members).id).toBe(5);
    const out = buildInstance(members, ctx());
    expect(out).toMatchObject({
      category_id: 2,
      score: 0.9,
      attributes: { color: "red" },
      bbox: [0, 0, 1, 1],
    });
    expect(buildInstance(members, ctx({ allowAttributes: false })).attributes).toBeUndefined();
  });

  it("writes compressed counts with compressRle", () => {
    const out = buildInstance(
      [{ ...base, attributes: { is_crowd: true }, type: "mask", rle: maskOf(RT2_MASK) }],
      ctx({ compressRle: true }),
    );
    expect(out.segmentation).toEqual({ counts: "433N00N", size: [4, 4] });
  });

  it("rounds coordinates of new shapes to `precision` decimals", () => {
    const out = buildInstance(
      [{ ...base, type: "polygon", points: [0.123, 0.456, 3.339, 0, 3, 3.001] }],
      ctx({ precision: 2 }),
    );
    expect(out.segmentation).toEqual([[0.12, 0.46, 3.34, 0, 3, 3]]);
    expect(out.bbox).toEqual([0.12, 0, 3.22, 3]);
  });

  it("writes an unchanged mask as read: string counts, the file's iscrowd, area and bbox verbatim", () => {
    const rle = fromCountsString("433N00N", 4, 4);
    const common = {
      ...base,
      area: 123.5,
      unchanged: true as const,
      attributes: { is_crowd: false, occluded: true },
    };
    const out = buildInstance(
      [
        { ...common, type: "bbox", bbox: [9, 9, 9, 9] },
        { ...common, type: "mask", rle, countsFormat: "string" },
      ],
      ctx(),
    );
    expect(out).toEqual({
      id: 7,
      image_id: 3,
      category_id: 1,
      segmentation: { counts: "433N00N", size: [4, 4] },
      area: 123.5,
      bbox: [9, 9, 9, 9],
      iscrowd: 0,
      attributes: { occluded: true },
    });
  });

  it("leaves out segmentation, iscrowd and bbox of an unchanged annotation whose file had none, and writes extra fields back", () => {
    const out = buildInstance(
      [
        {
          ...base,
          area: 2,
          unchanged: true,
          extra: { num_keypoints: 5, note: "x" },
          type: "points",
          points: [1, 2, 3, 4],
          visibility: [2, 0],
        },
      ],
      ctx(),
    );
    expect(out).toEqual({
      id: 7,
      image_id: 3,
      category_id: 1,
      area: 2,
      keypoints: [1, 2, 2, 3, 4, 0],
      num_keypoints: 5,
      note: "x",
    });
  });

  it("writes a kept empty `attributes: {}` back, but never over attributes added since import", () => {
    const box: Annotation = {
      ...base,
      area: 4,
      unchanged: true,
      type: "bbox",
      bbox: [0, 0, 2, 2],
      extra: { attributes: {} },
    };
    expect(buildInstance([box], ctx()).attributes).toEqual({});
    const edited: Annotation = { ...box, attributes: { occluded: true } };
    expect(buildInstance([edited], ctx()).attributes).toEqual({ occluded: true });
    const { unchanged: _unchanged, ...reshaped } = edited;
    expect(buildInstance([reshaped], ctx()).attributes).toEqual({ occluded: true });
  });

  it("gives lone new keypoints the box of their labelled points and its area (RT13)", () => {
    const out = buildInstance(
      [{ ...base, categoryId: 5, type: "points", points: [1, 2, 0, 2, 4, 1], visibility: [2, 2, 2] }],
      ctx({ height: 5, width: 5 }),
    );
    expect(out).toEqual({
      id: 7,
      image_id: 3,
      category_id: 5,
      segmentation: [],
      area: 4,
      bbox: [0, 1, 4, 1],
      iscrowd: 0,
      keypoints: [1, 2, 2, 0, 2, 2, 4, 1, 2],
      num_keypoints: 3,
    });
  });

  it("gives keypoints grouped with a polygon the polygon's segmentation and bbox, and the keypoints' label", () => {
    const out = buildInstance(
      [
        { ...base, categoryId: 3, type: "points", points: [0, 0, 0, 2, 4, 1], visibility: [0, 1, 2] },
        { ...base, categoryId: 9, type: "polygon", points: [0, 0, 4, 0, 4, 4] },
      ],
      ctx({ height: 5, width: 5 }),
    );
    expect(out).toMatchObject({
      category_id: 3,
      segmentation: [[0, 0, 4, 0, 4, 4]],
      bbox: [0, 0, 4, 4],
      keypoints: [0, 0, 0, 0, 2, 1, 4, 1, 2],
      num_keypoints: 2,
    });
  });
});
