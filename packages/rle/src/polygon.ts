import { RleError } from "./errors.js";
import { checkSize } from "./size.js";
import type { Rle } from "./types.js";

// Reused scratch for crossing positions: no per-call allocation on the hot path.
let positions = new Uint32Array(4096);

function push(n: number, value: number): number {
  if (n >= positions.length) {
    const grown = new Uint32Array(positions.length * 2);
    grown.set(positions);
    positions = grown;
  }
  positions[n] = value;
  return n + 1;
}

/**
 * Rasterises one polygon `[x0, y0, x1, y1, ...]` exactly like pycocotools `rleFrPoly`: even-odd fill
 * sampled at pixel centres with the boundary quantised to 1/5 pixel. Fewer than 3 points (or a
 * degenerate polygon) gives an empty mask; an odd trailing coordinate is ignored.
 * Throws `invalid_coordinates` for NaN/infinite or huge (|v| > 4e8) coordinates and `invalid_size`
 * for width 0 (where the reference produces runs that do not sum to 0).
 * @example fromPolygon([0, 0, 0, 1, 1, 1, 1, 0], 2, 2).counts // Uint32Array [0, 1, 3]
 */
export function fromPolygon(xy: ArrayLike<number>, height: number, width: number): Rle {
  checkSize(height, width);
  if (width === 0 && height > 0) {
    throw new RleError("invalid_size", "expected width > 0 to rasterise a polygon, found width 0");
  }
  const h = height;
  const k = xy.length >> 1;
  for (let i = 0; i < 2 * k; i++) {
    const v = xy[i] as number;
    if (typeof v !== "number" || !(Math.abs(v) <= 4e8)) {
      throw new RleError(
        "invalid_coordinates",
        `expected finite coordinates with |v| <= 4e8, found ${String(v)} at index ${i}`,
      );
    }
  }
  let n = 0;
  let pu = 0;
  let pv = 0;
  let first = true;
  const wMax = width - 1;
  const sample = (u: number, v: number): void => {
    if (!first && u !== pu) {
      const xm = u < pu ? u : pu;
      const xd = (xm + 0.5) / 5 - 0.5;
      if (Math.floor(xd) === xd && xd >= 0 && xd <= wMax) {
        let yd = ((v < pv ? v : pv) + 0.5) / 5 - 0.5;
        if (yd < 0) yd = 0;
        else if (yd > h) yd = h;
        n = push(n, xd * h + Math.ceil(yd));
      }
    }
    first = false;
    pu = u;
    pv = v;
  };
  if (k > 0) {
    let x0 = Math.trunc(5 * (xy[0] as number) + 0.5);
    let y0 = Math.trunc(5 * (xy[1] as number) + 0.5);
    const xf = x0;
    const yf = y0;
    for (let j = 0; j < k; j++) {
      const last = j + 1 === k;
      const x1 = last ? xf : Math.trunc(5 * (xy[2 * j + 2] as number) + 0.5);
      const y1 = last ? yf : Math.trunc(5 * (xy[2 * j + 3] as number) + 0.5);
      let xs = x0;
      let xe = x1;
      let ys = y0;
      let ye = y1;
      const dx = Math.abs(xe - xs);
      const dy = Math.abs(ys - ye);
      const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
      if (flip) {
        let t = xs;
        xs = xe;
        xe = t;
        t = ys;
        ys = ye;
        ye = t;
      }
      if (dx >= dy) {
        const s = (ye - ys) / dx;
        for (let d = 0; d <= dx; d++) {
          const t = flip ? dx - d : d;
          sample(t + xs, Math.trunc(ys + s * t + 0.5));
        }
      } else {
        const s = (xe - xs) / dy;
        for (let d = 0; d <= dy; d++) {
          const t = flip ? dy - d : d;
          sample(Math.trunc(xs + s * t + 0.5), t + ys);
        }
      }
      x0 = x1;
      y0 = y1;
    }
  }
  n = push(n, h * width);
  const a = positions.subarray(0, n);
  a.sort();
  const out = new Uint32Array(n);
  let prev = 0;
  let m = 0;
  out[m++] = (a[0] as number) - prev;
  prev = a[0] as number;
  let j = 1;
  while (j < n) {
    const t = a[j] as number;
    const diff = t - prev;
    prev = t;
    j++;
    if (diff > 0) {
      out[m++] = diff;
    } else if (j < n) {
      const t2 = a[j] as number;
      out[m - 1] = (out[m - 1] as number) + (t2 - prev);
      prev = t2;
      j++;
    }
  }
  return { height, width, counts: out.slice(0, m) };
}
