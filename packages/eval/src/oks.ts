import type { GtView } from "./gt-view.js";
import type { Detections } from "./load-results.js";
import { pairwiseSum } from "./numpy-sum.js";

/** numpy's `np.spacing(1)`: the gap between 1 and the next double. */
const EPS = 2.220446049250313e-16;

/**
 * Reusable buffers of {@link cellOks}, made once per evaluation: (2σ)² per keypoint, each gt's
 * visible points, and the output matrix. Growing and reusing
 * them keeps OKS free of per-cell and per-pair allocation.
 */
export class OksScratch {
  readonly k: number;
  readonly vars: Float64Array;
  readonly e: Float64Array;
  /** The current gt's keypoints, as given. */
  readonly g: Float64Array;
  /** Visible gt points of the current gt: keypoint index, x, y. */
  readonly vj: Int32Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  out = new Float64Array(0);
  constructor(sigmas: readonly number[]) {
    const k = sigmas.length;
    this.k = k;
    this.vars = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      const s = (sigmas[j] as number) * 2;
      this.vars[j] = s * s;
    }
    this.e = new Float64Array(k);
    this.g = new Float64Array(3 * k);
    this.vj = new Int32Array(k);
    this.vx = new Float64Array(k);
    this.vy = new Float64Array(k);
  }
}

const EMPTY = new Float64Array(0);

/**
 * Object keypoint similarity of a cell's detections `dts[ds..de)` (rows, score order) against its
 * ground truths `gts[gs..ge)` (columns), row-major D × G, operation for operation as pycocotools'
 * `computeOks`: `e = (dx² + dy²) / (2σ)² / (area + eps) / 2`, averaged `exp(-e)` over the visible
 * points. A gt without visible points measures each detected point's distance to its box enlarged
 * to three times its size (from `x - w` to `x + 2w`). Empty when either side is empty. The matrix
 * is `s.out`, valid until the next call.
 */
export function cellOks(
  dt: Detections,
  gt: GtView,
  dts: Int32Array,
  ds: number,
  de: number,
  gts: Int32Array,
  gs: number,
  ge: number,
  s: OksScratch,
): Float64Array {
  const D = de - ds;
  const G = ge - gs;
  if (D === 0 || G === 0) return EMPTY;
  const k = s.k;
  if (s.out.length < D * G) s.out = new Float64Array(Math.max(D * G, 2 * s.out.length));
  const out = s.out; // read after growing
  // the detections' points, copied once at load: row r of a detection starts at r * 3k
  const kp = dt.keypoints as Float64Array;
  const stride = 3 * k;
  for (let gj = 0; gj < G; gj++) {
    const gi = gts[gs + gj] as number;
    gt.keypoints(gi, s.g);
    const k1 = visiblePoints(s);
    const bb = gt.box(gi); // checked for every gt, as before, so a malformed box fails alike
    const area = gt.area(gi) + EPS;
    if (k1 > 0)
      for (let di = 0; di < D; di++)
        out[di * G + gj] = oksVisible(s, kp, (dts[ds + di] as number) * stride, k1, area);
    else boxColumn(s, kp, dts, ds, D, G, gj, bb, area);
  }
  return out;
}

// e[vg > 0]: the visible points of the gt in s.g (keypoint index, x, y into s.vj/vx/vy), in
// keypoint order; returns how many. Small functions of their own optimise early.
function visiblePoints(s: OksScratch): number {
  const { k, g, vj, vx, vy } = s;
  let k1 = 0;
  for (let j = 0; j < k; j++) {
    if ((g[3 * j + 2] as number) > 0) {
      vj[k1] = j;
      vx[k1] = g[3 * j] as number;
      vy[k1] = g[3 * j + 1] as number;
      k1++;
    }
  }
  return k1;
}

// Column gj of s.out for a gt without visible points: the distances to its box [x, y, w, h]
// enlarged to [x - w, x + 2w] × [y - h, y + 2h].
function boxColumn(
  s: OksScratch,
  kp: Float64Array,
  dts: Int32Array,
  ds: number,
  D: number,
  G: number,
  gj: number,
  bb: readonly number[],
  area: number,
): void {
  const out = s.out;
  const stride = 3 * s.k;
  const x0 = (bb[0] as number) - (bb[2] as number);
  const x1 = (bb[0] as number) + (bb[2] as number) * 2;
  const y0 = (bb[1] as number) - (bb[3] as number);
  const y1 = (bb[1] as number) + (bb[3] as number) * 2;
  for (let di = 0; di < D; di++)
    out[di * G + gj] = oksBox(s, kp, (dts[ds + di] as number) * stride, x0, x1, y0, y1, area);
}

// One pair's OKS over the gt's k1 visible points (in s.vj/vx/vy) against the detection at kp[row].
// Each branch of computeOks is a function of its own: V8 optimises each from its own type feedback,
// and meeting the rarer branch late does not deoptimise the hot one.
function oksVisible(s: OksScratch, kp: Float64Array, row: number, k1: number, area: number): number {
  const { vj, vx, vy, vars, e } = s;
  for (let v = 0; v < k1; v++) {
    const j = vj[v] as number;
    const dx = (kp[row + 3 * j] as number) - (vx[v] as number);
    const dy = (kp[row + 3 * j + 1] as number) - (vy[v] as number);
    e[v] = Math.exp(-((dx * dx + dy * dy) / (vars[j] as number) / area / 2));
  }
  return pairwiseSum(e, 0, k1) / k1;
}

// One pair's OKS for a gt without visible points: distances to its enlarged box [x0, x1] × [y0, y1].
function oksBox(
  s: OksScratch,
  kp: Float64Array,
  row: number,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  area: number,
): number {
  const { vars, e, k } = s;
  for (let j = 0; j < k; j++) {
    const xd = kp[row + 3 * j] as number;
    const yd = kp[row + 3 * j + 1] as number;
    const dx = (x0 - xd > 0 ? x0 - xd : 0) + (xd - x1 > 0 ? xd - x1 : 0);
    const dy = (y0 - yd > 0 ? y0 - yd : 0) + (yd - y1 > 0 ? yd - y1 : 0);
    e[j] = Math.exp(-((dx * dx + dy * dy) / (vars[j] as number) / area / 2));
  }
  return pairwiseSum(e, 0, k) / k;
}
