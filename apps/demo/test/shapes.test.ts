import { fromCountsString, fromPolygon } from "@cocokit/rle";
import { describe, expect, it } from "vitest";
import { maskRgba } from "../src/render/mask-bitmap.js";
import { keypointPrimitives, primitivesOf, skeletonPairs } from "../src/render/shapes.js";

describe("maskRgba", () => {
  const opaque = (rgba: Uint8ClampedArray) =>
    Array.from({ length: rgba.length / 4 }, (_, i) => (rgba[i * 4 + 3] === 255 ? 1 : 0)).join("");
  it("paints the set pixels opaque white, row by row", () => {
    // A 2x2 square at the top left of a 4x4 image.
    const rgba = maskRgba(fromPolygon([0, 0, 0, 2, 2, 2, 2, 0], 4, 4));
    expect(opaque(rgba)).toBe("1100110000000000");
    expect(Array.from(rgba.slice(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(rgba.slice(8, 12))).toEqual([0, 0, 0, 0]);
  });
  it("follows the column-major order of COCO RLE", () => {
    // counts [0, 2, 2]: column 0 is set (rows 0-1), column 1 is not, in a 2x2 image.
    expect(opaque(maskRgba({ height: 2, width: 2, counts: new Uint32Array([0, 2, 2]) }))).toBe("1010");
    expect(opaque(maskRgba(fromCountsString("02208", 4, 4)))).toBe("1100110000000000");
  });
});

describe("keypoints", () => {
  it("reads skeletons as 1-based unless one holds 0", () => {
    expect(
      skeletonPairs([
        [1, 2],
        [2, 3],
      ]),
    ).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(
      skeletonPairs([
        [0, 1],
        [1, 2],
      ]),
    ).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(skeletonPairs(undefined)).toEqual([]);
  });
  it("hides v=0, draws v=1 hollow and v=2 filled, and joins only drawn points", () => {
    const category = {
      id: 1,
      name: "p",
      skeleton: [
        [1, 2],
        [2, 3],
      ] as [number, number][],
    };
    const drawn = keypointPrimitives([0, 0, 0, 2, 4, 1], [0, 1, 2], category);
    expect(drawn).toEqual([
      { kind: "line", x1: 0, y1: 2, x2: 4, y2: 1 },
      { kind: "point", x: 0, y: 2, filled: false, index: 1 },
      { kind: "point", x: 4, y: 1, filled: true, index: 2 },
    ]);
  });
});

describe("primitivesOf", () => {
  const base = { id: 1, group: 1, attributes: {} };
  it("turns boxes and polygons into rects and point lists", () => {
    expect(primitivesOf({ ...base, type: "bbox", bbox: [1, 2, 3, 4] })).toEqual([
      { kind: "rect", x: 1, y: 2, width: 3, height: 4 },
    ]);
    expect(primitivesOf({ ...base, type: "polygon", points: [0, 0, 1, 0, 1, 2] })).toEqual([
      { kind: "polygon", points: "0,0 1,0 1,2" },
    ]);
    expect(primitivesOf({ ...base, type: "caption", caption: "x" })).toEqual([]);
  });
});
