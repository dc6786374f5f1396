import { toBbox } from "./bbox.js";
import { boxTupleIou, checkCrowd } from "./box-iou.js";
import { RleError } from "./errors.js";
import { countsSum } from "./size.js";
import type { Bbox, Rle } from "./types.js";

/** The 1-runs of a checked RLE as [start, end) pairs, followed by the area. */
function oneSpans(r: Rle, side: string): Float64Array {
  const c = r.counts;
  const sum = countsSum(c);
  if (sum !== r.height * r.width || c.length === 0) {
    throw new RleError(
      "counts_sum_mismatch",
      `expected runs of ${side} to add up to ${r.height * r.width}, found ${sum}`,
    );
  }
  const out = new Float64Array((c.length >> 1) * 2 + 1);
  let pos = 0;
  let k = 0;
  let a = 0;
  for (let i = 0; i < c.length; i++) {
    const len = c[i] as number;
    if (i & 1) {
      out[k++] = pos;
      out[k++] = pos + len;
      a += len;
    }
    pos += len;
  }
  out[k] = a;
  return out;
}

/**
 * Mask IoU like pycocotools `iou` on RLEs: row-major `dt.length × gt.length`; pairs whose boxes do not
 * overlap are 0, pairs of different sizes whose boxes overlap are -1, crowd gts divide by the dt
 * area. Throws `size_mismatch` for a wrong `iscrowd` length and `counts_sum_mismatch` for RLEs whose
 * runs do not add up (the reference loops forever).
 * @example iou([fromBbox([0, 0, 2, 2], 4, 4)], [fromBbox([1, 0, 2, 2], 4, 4)], [false]) // [0.333…]
 */
export function iou(dt: readonly Rle[], gt: readonly Rle[], iscrowd: readonly boolean[]): Float64Array {
  checkCrowd(gt.length, iscrowd);
  const m = dt.length;
  const n = gt.length;
  if (m === 0 || n === 0) return new Float64Array(0);
  const db: Bbox[] = new Array(m);
  const gb: Bbox[] = new Array(n);
  for (let d = 0; d < m; d++) db[d] = toBbox(dt[d] as Rle);
  for (let g = 0; g < n; g++) gb[g] = toBbox(gt[g] as Rle);
  const o = boxTupleIou(db, gb, iscrowd);
  // Lazily, per RLE: its 1-runs as absolute [start, end) pairs, its area last. The intersection is a
  // two-pointer walk over these pairs only (half the runs); the union is areaD + areaG - inter,
  // which equals the reference's run-by-run count for valid RLEs (checked here: sums add up).
  const spans: (Float64Array | undefined)[] = new Array(m + n);
  for (let d = 0; d < m; d++) {
    const D = dt[d] as Rle;
    for (let g = 0; g < n; g++) {
      const k = d * n + g;
      if (!((o[k] as number) > 0)) continue;
      const G = gt[g] as Rle;
      if (D.height !== G.height || D.width !== G.width) {
        o[k] = -1;
        continue;
      }
      let a = spans[d];
      if (a === undefined) {
        a = oneSpans(D, `dt[${d}]`);
        spans[d] = a;
      }
      let b = spans[m + g];
      if (b === undefined) {
        b = oneSpans(G, `gt[${g}]`);
        spans[m + g] = b;
      }
      const na = a.length - 1;
      const nb = b.length - 1;
      let i = 0;
      let j = 0;
      let inter = 0;
      while (i < na && j < nb) {
        const as = a[i] as number;
        const ae = a[i + 1] as number;
        const bs = b[j] as number;
        const be = b[j + 1] as number;
        const lo = as > bs ? as : bs;
        if (ae < be) {
          if (ae > lo) inter += ae - lo;
          i += 2;
        } else {
          if (be > lo) inter += be - lo;
          j += 2;
        }
      }
      if (inter === 0) o[k] = 0;
      else {
        const ad = a[na] as number;
        o[k] = inter / (iscrowd[g] ? ad : ad + (b[nb] as number) - inter);
      }
    }
  }
  return o;
}
