import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bboxIou } from "./box-iou.js";
import type { Bbox } from "./types.js";

// C's fmin/fmax: a NaN operand is ignored.
const fmin = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a < b ? a : b);
const fmax = (a: number, b: number) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a > b ? a : b);

// The reference's bbIou written pair by pair with no pruning, as an oracle for the pruned paths
// (`w <= 0` as in C: a NaN width does not skip the pair).
function naive(dt: Bbox[], gt: Bbox[], crowd: boolean[]): Float64Array {
  const o = new Float64Array(dt.length * gt.length);
  dt.forEach((D, d) => {
    gt.forEach((G, g) => {
      const w = fmin(D[2] + D[0], G[2] + G[0]) - fmax(D[0], G[0]);
      if (w <= 0) return;
      const h = fmin(D[3] + D[1], G[3] + G[1]) - fmax(D[1], G[1]);
      if (h <= 0) return;
      const i = w * h;
      o[d * gt.length + g] = i / (crowd[g] ? D[2] * D[3] : D[2] * D[3] + G[2] * G[3] - i);
    });
  });
  return o;
}

const coord = fc.oneof(
  fc.integer({ min: -20, max: 60 }),
  fc.double({ min: -50, max: 100, noNaN: true }),
  fc.constantFrom(0, -0, 10, 10.5),
);
const box = fc.tuple(coord, coord, coord, coord) as fc.Arbitrary<Bbox>;
const odd = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308);
const wildBox = fc.tuple(
  fc.oneof(coord, odd),
  fc.oneof(coord, odd),
  fc.oneof(coord, odd),
  fc.oneof(coord, odd),
) as fc.Arbitrary<Bbox>;

function check(boxes: fc.Arbitrary<Bbox>) {
  fc.assert(
    fc.property(
      fc.array(boxes, { minLength: 1, maxLength: 30 }),
      fc.array(fc.tuple(boxes, fc.boolean()), { minLength: 1, maxLength: 30 }),
      (dt, gts) => {
        const gt = gts.map((x) => x[0]);
        const crowd = gts.map((x) => x[1]);
        expect(Array.from(bboxIou(dt, gt, crowd))).toEqual(Array.from(naive(dt, gt, crowd)));
      },
    ),
    { numRuns: 400 },
  );
}

describe("bboxIou", () => {
  it("equals the unpruned reference formula on finite boxes, including zero and negative sizes", () => {
    check(box);
  });

  it("equals the unpruned reference formula when boxes hold NaN, infinities or overflowing ends", () => {
    check(wildBox);
  });

  it("scores a pair that touches only at an edge as 0 and a contained box by area ratio", () => {
    expect(
      Array.from(
        bboxIou(
          [[0, 0, 2, 2]],
          [
            [2, 0, 2, 2],
            [0.5, 0.5, 1, 1],
          ],
          [false, false],
        ),
      ),
    ).toEqual([0, 0.25]);
  });
});
