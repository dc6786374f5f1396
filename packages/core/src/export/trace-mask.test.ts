import { decode, encode, fromPolygon, merge } from "@cocokit/rle";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskOf } from "./mask-rows.test-support.js";
import { tracePolygons } from "./trace-mask.js";

function rasterise(polygons: number[][], h: number, w: number): Uint8Array {
  if (polygons.length === 0) return new Uint8Array(h * w);
  return decode(merge(polygons.map((p) => fromPolygon(p, h, w))));
}

/**
 * The mask with the holes of each 4-connected component filled, computed independently of the
 * tracer: a background pixel is outside a component when it is 8-connected to the image border
 * through pixels that are not in that component.
 */
function filledByComponent(pixels: Uint8Array, h: number, w: number): Uint8Array {
  const out = new Uint8Array(h * w);
  const label = new Int32Array(h * w).fill(-1);
  let next = 0;
  for (let i = 0; i < h * w; i++) {
    if (pixels[i] !== 1 || label[i] !== -1) continue;
    const stack = [i];
    label[i] = next;
    while (stack.length) {
      const p = stack.pop() as number;
      const x = Math.floor(p / h);
      const y = p % h;
      for (const [dx, dy] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ] as const) {
        const nx = x + dx;
        const ny = y + dy;
        const n = nx * h + ny;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h || pixels[n] !== 1 || label[n] !== -1) continue;
        label[n] = next;
        stack.push(n);
      }
    }
    next++;
  }
  for (let c = 0; c < next; c++) {
    const outside = new Uint8Array(h * w);
    const stack: number[] = [];
    for (let x = 0; x < w; x++)
      for (let y = 0; y < h; y++)
        if ((x === 0 || y === 0 || x === w - 1 || y === h - 1) && label[x * h + y] !== c) {
          outside[x * h + y] = 1;
          stack.push(x * h + y);
        }
    while (stack.length) {
      const p = stack.pop() as number;
      const x = Math.floor(p / h);
      const y = p % h;
      for (let dx = -1; dx <= 1; dx++)
        for (let dy = -1; dy <= 1; dy++) {
          const nx = x + dx;
          const ny = y + dy;
          const n = nx * h + ny;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h || outside[n] === 1 || label[n] === c) continue;
          outside[n] = 1;
          stack.push(n);
        }
    }
    for (let i = 0; i < h * w; i++) if (outside[i] === 0) out[i] = 1;
  }
  return out;
}

describe("tracePolygons", () => {
  it("gives back exactly the mask of Datumaro's RT8 case when rasterised by pycocotools' rule", () => {
    const rle = maskOf([
      [0, 1, 1, 1, 0, 1, 1, 1, 1, 0],
      [0, 0, 1, 1, 0, 1, 1, 1, 0, 0],
      [0, 0, 0, 1, 0, 1, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    const polygons = tracePolygons(rle);
    expect(polygons).toHaveLength(2);
    expect(rasterise(polygons, 5, 10)).toEqual(decode(rle));
  });

  it("traces one pixel at the corner as a clipped square", () => {
    expect(
      tracePolygons(
        maskOf([
          [1, 0],
          [0, 0],
        ]),
      ),
    ).toEqual([[0, 0, 0.5, 0, 0.5, 0.5, 0, 0.5]]);
  });

  it("keeps diagonal neighbours apart as two polygons", () => {
    const polygons = tracePolygons(
      maskOf([
        [1, 0],
        [0, 1],
      ]),
    );
    expect(polygons).toHaveLength(2);
    expect(rasterise(polygons, 2, 2)).toEqual(
      decode(
        maskOf([
          [1, 0],
          [0, 1],
        ]),
      ),
    );
  });

  it("fills a hole, as CVAT's external contours do", () => {
    const ring = maskOf([
      [1, 1, 1],
      [1, 0, 1],
      [1, 1, 1],
    ]);
    const polygons = tracePolygons(ring);
    expect(polygons).toHaveLength(1);
    expect(Array.from(rasterise(polygons, 3, 3))).toEqual(new Array(9).fill(1));
  });

  it("returns no polygon for an empty mask", () => {
    expect(
      tracePolygons(
        maskOf([
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toEqual([]);
  });

  it("reproduces every mask with its holes filled (random masks up to 9×9)", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 9 })
          .chain((h) =>
            fc
              .integer({ min: 1, max: 9 })
              .chain((w) =>
                fc.tuple(
                  fc.constant(h),
                  fc.constant(w),
                  fc.uint8Array({ minLength: h * w, maxLength: h * w, max: 1 }),
                ),
              ),
          ),
        ([h, w, pixels]) => {
          const polygons = tracePolygons(encode(pixels, h, w));
          for (const p of polygons) expect(p.every((v) => v >= 0)).toBe(true);
          expect(rasterise(polygons, h, w)).toEqual(filledByComponent(pixels, h, w));
        },
      ),
      { numRuns: 400 },
    );
  });
});
