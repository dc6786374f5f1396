import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromPolygon } from "./polygon.js";

// The reference's rasterisation written sample by sample from the spec (shared/spec/rle.md §6), with
// no shortcuts: an oracle for the skipping walks of fromPolygon.
function naive(xy: number[], h: number, w: number): number[] {
  const k = xy.length >> 1;
  const X: number[] = [];
  const Y: number[] = [];
  for (let j = 0; j < k; j++) {
    X.push(Math.trunc(5 * (xy[2 * j] as number) + 0.5));
    Y.push(Math.trunc(5 * (xy[2 * j + 1] as number) + 0.5));
  }
  X.push(X[0] as number);
  Y.push(Y[0] as number);
  const us: number[] = [];
  const vs: number[] = [];
  for (let j = 0; j < k; j++) {
    let xs = X[j] as number;
    let xe = X[j + 1] as number;
    let ys = Y[j] as number;
    let ye = Y[j + 1] as number;
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) [xs, xe, ys, ye] = [xe, xs, ye, ys];
    const len = dx >= dy ? dx : dy;
    const s = dx >= dy ? (ye - ys) / dx : (xe - xs) / dy;
    for (let d = 0; d <= len; d++) {
      const t = flip ? len - d : d;
      if (dx >= dy) {
        us.push(t + xs);
        vs.push(Math.trunc(ys + s * t + 0.5));
      } else {
        us.push(Math.trunc(xs + s * t + 0.5));
        vs.push(t + ys);
      }
    }
  }
  const pos: number[] = [];
  for (let j = 1; j < us.length; j++) {
    if (us[j] === us[j - 1]) continue;
    const xd = (Math.min(us[j] as number, us[j - 1] as number) + 0.5) / 5 - 0.5;
    if (!Number.isInteger(xd) || xd < 0 || xd > w - 1) continue;
    const yd = Math.min(Math.max((Math.min(vs[j] as number, vs[j - 1] as number) + 0.5) / 5 - 0.5, 0), h);
    pos.push(xd * h + Math.ceil(yd));
  }
  pos.push(h * w);
  pos.sort((a, b) => a - b);
  const counts: number[] = [];
  let prev = 0;
  for (let j = 0; j < pos.length; j++) {
    const diff = (pos[j] as number) - prev;
    prev = pos[j] as number;
    if (j === 0 || diff > 0) counts.push(diff);
    else if (j + 1 < pos.length) {
      j++;
      counts[counts.length - 1] = (counts[counts.length - 1] as number) + (pos[j] as number) - prev;
      prev = pos[j] as number;
    }
  }
  return counts;
}

const coord = fc.oneof(
  fc.double({ min: -8, max: 40, noNaN: true }),
  fc.integer({ min: -4, max: 36 }).map((v) => v / 2),
);

describe("fromPolygon", () => {
  it("matches a sample-by-sample rasterisation for steep, shallow and degenerate edges", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(coord, { minLength: 0, maxLength: 24 }),
        (h, w, xy) => {
          expect(Array.from(fromPolygon(xy, h, w).counts)).toEqual(naive(xy, h, w));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("matches it for a tall thin sliver whose steep edges cross few columns", () => {
    const xy = [3.3, 0.2, 4.9, 27.7, 3.6, 29.1];
    expect(Array.from(fromPolygon(xy, 30, 8).counts)).toEqual(naive(xy, 30, 8));
  });
});
