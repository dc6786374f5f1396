import { toBbox } from "./bbox.js";
import { RleError } from "./errors.js";
import { countsSum } from "./size.js";
import type { Bbox, Rle } from "./types.js";

function checkCrowd(gtLength: number, iscrowd: readonly boolean[]): void {
  if (!iscrowd || iscrowd.length !== gtLength) {
    throw new RleError(
      "size_mismatch",
      `expected one iscrowd flag per gt (${gtLength}), found ${iscrowd ? iscrowd.length : String(iscrowd)}`,
    );
  }
}

// IoU of one box pair exactly as the reference computes it, 0 when they do not overlap. C's
// fmin/fmax ignore a NaN operand (Math.min/max would propagate it), hence the NaN tests.
function pairIou(
  dx: number,
  dy: number,
  dxe: number,
  dye: number,
  da: number,
  gx: number,
  gy: number,
  gw: number,
  gh: number,
  crowd: number,
): number {
  const gxe = gw + gx;
  const xe = dxe < gxe ? dxe : !Number.isNaN(gxe) ? gxe : dxe;
  const xs = dx > gx ? dx : !Number.isNaN(gx) ? gx : dx;
  const w = xe - xs;
  if (w <= 0) return 0;
  const gye = gh + gy;
  const ye = dye < gye ? dye : !Number.isNaN(gye) ? gye : dye;
  const ys = dy > gy ? dy : !Number.isNaN(gy) ? gy : dy;
  const h = ye - ys;
  if (h <= 0) return 0;
  const i = w * h;
  return i / (crowd ? da : da + gw * gh - i);
}

function boxIou(
  dt: Float64Array,
  m: number,
  gt: Float64Array,
  n: number,
  iscrowd: readonly boolean[],
): Float64Array {
  const o = new Float64Array(m * n);
  // gts sorted by x: for a dt ending at a finite x `dxe`, no gt starting at x >= dxe can overlap it
  // (fmin(dxe, gxe) <= dxe <= gx <= fmax(dx, gx), so w <= 0), so each row stops there. gts whose
  // x or x-end is NaN overlap anything under the NaN-ignoring rules and are checked for every dt.
  const order: number[] = [];
  const wild: number[] = [];
  for (let g = 0; g < n; g++) {
    const gx = gt[4 * g] as number;
    if (Number.isNaN(gx) || Number.isNaN((gt[4 * g + 2] as number) + gx)) wild.push(g);
    else order.push(g);
  }
  order.sort((a, b) => (gt[4 * a] as number) - (gt[4 * b] as number));
  const no = order.length;
  const sx = new Float64Array(no);
  const sg = new Uint32Array(no);
  for (let j = 0; j < no; j++) {
    const g = order[j] as number;
    sx[j] = gt[4 * g] as number;
    sg[j] = g;
  }
  const crowd = new Uint8Array(n);
  for (let g = 0; g < n; g++) crowd[g] = iscrowd[g] ? 1 : 0;
  for (let d = 0; d < m; d++) {
    const dx = dt[4 * d] as number;
    const dy = dt[4 * d + 1] as number;
    const dw = dt[4 * d + 2] as number;
    const dh = dt[4 * d + 3] as number;
    const dxe = dw + dx;
    const dye = dh + dy;
    const da = dw * dh;
    const row = d * n;
    // NaN never stops the row (an infinite end could give w = inf - inf = NaN, not <= 0).
    const stop = Number.isFinite(dxe) ? dxe : Number.NaN;
    for (let j = 0; j < no; j++) {
      const gx = sx[j] as number;
      if (gx >= stop) break;
      const g = sg[j] as number;
      o[row + g] = pairIou(
        dx,
        dy,
        dxe,
        dye,
        da,
        gx,
        gt[4 * g + 1] as number,
        gt[4 * g + 2] as number,
        gt[4 * g + 3] as number,
        crowd[g] as number,
      );
    }
    for (let j = 0; j < wild.length; j++) {
      const g = wild[j] as number;
      o[row + g] = pairIou(
        dx,
        dy,
        dxe,
        dye,
        da,
        gt[4 * g] as number,
        gt[4 * g + 1] as number,
        gt[4 * g + 2] as number,
        gt[4 * g + 3] as number,
        crowd[g] as number,
      );
    }
  }
  return o;
}

function flatten(boxes: readonly Bbox[]): Float64Array {
  const f = new Float64Array(boxes.length * 4);
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i] as Bbox;
    f[4 * i] = b[0];
    f[4 * i + 1] = b[1];
    f[4 * i + 2] = b[2];
    f[4 * i + 3] = b[3];
  }
  return f;
}

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
 * IoU of boxes `[x, y, w, h]`, bit-identical to pycocotools `bbIou`: result row-major
 * `dt.length × gt.length`; for a crowd gt the union is the dt area. Throws `size_mismatch` unless
 * `iscrowd.length === gt.length`.
 * @example bboxIou([[0, 0, 2, 2]], [[1, 0, 2, 2]], [false]) // Float64Array [0.333…]
 */
export function bboxIou(dt: readonly Bbox[], gt: readonly Bbox[], iscrowd: readonly boolean[]): Float64Array {
  checkCrowd(gt.length, iscrowd);
  if (dt.length === 0 || gt.length === 0) return new Float64Array(0);
  return boxIou(flatten(dt), dt.length, flatten(gt), gt.length, iscrowd);
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
  const db = new Float64Array(4 * m);
  const gb = new Float64Array(4 * n);
  for (let d = 0; d < m; d++) db.set(toBbox(dt[d] as Rle), 4 * d);
  for (let g = 0; g < n; g++) gb.set(toBbox(gt[g] as Rle), 4 * g);
  const o = boxIou(db, m, gb, n, iscrowd);
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
