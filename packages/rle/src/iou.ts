import { area } from "./area.js";
import { toBbox } from "./bbox.js";
import { RleError } from "./errors.js";
import { countsSum } from "./size.js";
import type { Bbox, Rle } from "./types.js";

// C fmin/fmax ignore NaN; Math.min/max propagate it.
function fmin(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : a < b ? a : b;
}
function fmax(a: number, b: number): number {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : a > b ? a : b;
}

function checkCrowd(gtLength: number, iscrowd: readonly boolean[]): void {
  if (!iscrowd || iscrowd.length !== gtLength) {
    throw new RleError(
      "size_mismatch",
      `expected one iscrowd flag per gt (${gtLength}), found ${iscrowd ? iscrowd.length : String(iscrowd)}`,
    );
  }
}

function boxIou(
  dt: ArrayLike<number>,
  m: number,
  gt: ArrayLike<number>,
  n: number,
  iscrowd: readonly boolean[],
): Float64Array {
  const o = new Float64Array(m * n);
  for (let g = 0; g < n; g++) {
    const gx = gt[4 * g] as number;
    const gy = gt[4 * g + 1] as number;
    const gw = gt[4 * g + 2] as number;
    const gh = gt[4 * g + 3] as number;
    const ga = gw * gh;
    const crowd = !!iscrowd[g];
    for (let d = 0; d < m; d++) {
      const dx = dt[4 * d] as number;
      const dy = dt[4 * d + 1] as number;
      const dw = dt[4 * d + 2] as number;
      const dh = dt[4 * d + 3] as number;
      const w = fmin(dw + dx, gw + gx) - fmax(dx, gx);
      if (w <= 0) continue;
      const h = fmin(dh + dy, gh + gy) - fmax(dy, gy);
      if (h <= 0) continue;
      const i = w * h;
      const da = dw * dh;
      o[d * n + g] = i / (crowd ? da : da + ga - i);
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
  const checked = new Uint8Array(m + n);
  const ensure = (r: Rle, idx: number, side: string): void => {
    if (checked[idx]) return;
    const sum = countsSum(r.counts);
    if (sum !== r.height * r.width || r.counts.length === 0) {
      throw new RleError(
        "counts_sum_mismatch",
        `expected runs of ${side} to add up to ${r.height * r.width}, found ${sum}`,
      );
    }
    checked[idx] = 1;
  };
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
      ensure(D, d, `dt[${d}]`);
      ensure(G, m + g, `gt[${g}]`);
      const a = D.counts;
      const b = G.counts;
      const ka = a.length;
      const kb = b.length;
      let ca = a[0] as number;
      let cb = b[0] as number;
      let va = 0;
      let vb = 0;
      let ia = 1;
      let ib = 1;
      let inter = 0;
      let uni = 0;
      let ct = 1;
      while (ct > 0) {
        const c = ca < cb ? ca : cb;
        if (va | vb) {
          uni += c;
          if (va & vb) inter += c;
        }
        ca -= c;
        if (ca === 0 && ia < ka) {
          ca = a[ia++] as number;
          va ^= 1;
        }
        cb -= c;
        if (cb === 0 && ib < kb) {
          cb = b[ib++] as number;
          vb ^= 1;
        }
        ct = ca + cb;
      }
      inter >>>= 0;
      uni >>>= 0;
      if (inter === 0) uni = 1;
      else if (iscrowd[g]) uni = area(D);
      o[k] = inter / uni;
    }
  }
  return o;
}
