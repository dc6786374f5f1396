import { RleError } from "./errors.js";
import type { Bbox } from "./types.js";

/** Throws `size_mismatch` unless there is one crowd flag per gt. */
export function checkCrowd(gtLength: number, iscrowd: readonly boolean[]): void {
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

// Any box holds NaN or an infinity (rare): every pair, unpruned, with the NaN-aware pair rule.
function boxIouGeneral(
  dt: Float64Array,
  m: number,
  gt: Float64Array,
  n: number,
  iscrowd: readonly boolean[],
): Float64Array {
  const o = new Float64Array(m * n);
  for (let d = 0; d < m; d++) {
    const dx = dt[4 * d] as number;
    const dy = dt[4 * d + 1] as number;
    const dw = dt[4 * d + 2] as number;
    const dh = dt[4 * d + 3] as number;
    for (let g = 0; g < n; g++) {
      const k = 4 * g;
      o[d * n + g] = pairIou(
        dx,
        dy,
        dw + dx,
        dh + dy,
        dw * dh,
        gt[k] as number,
        gt[k + 1] as number,
        gt[k + 2] as number,
        gt[k + 3] as number,
        iscrowd[g] ? 1 : 0,
      );
    }
  }
  return o;
}

// True when every coordinate, size and end (x + w, y + h) is finite: then C's fmin/fmax equal plain
// comparisons and the fast path below applies.
function allFinite(b: Float64Array, count: number): boolean {
  for (let i = 0; i < count; i++) {
    const x = b[4 * i] as number;
    const y = b[4 * i + 1] as number;
    if (!Number.isFinite((b[4 * i + 2] as number) + x) || !Number.isFinite((b[4 * i + 3] as number) + y)) {
      return false;
    }
  }
  return true;
}

// Finite boxes only. gts sorted by x into flat typed columns; for each dt the candidate gts are a
// window of that order: they start before the dt's x-end (else w <= 0) and after dx - maxW, where
// maxW is the widest gt (else their x-end gx + gw <= gx + maxW <= dx, so again w <= 0; float
// addition is monotonic, so the bound holds after rounding). The window start is found by binary
// search. Every pair outside the window is 0, as in the reference; inside, the arithmetic is the
// reference's operation for operation.
function boxIouFinite(
  dt: Float64Array,
  m: number,
  gt: Float64Array,
  n: number,
  iscrowd: readonly boolean[],
): Float64Array {
  const o = new Float64Array(m * n);
  const order = new Uint32Array(n);
  for (let g = 0; g < n; g++) order[g] = g;
  order.sort((a, b) => (gt[4 * a] as number) - (gt[4 * b] as number));
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  const sxe = new Float64Array(n);
  const sye = new Float64Array(n);
  const sa = new Float64Array(n);
  const sc = new Uint8Array(n);
  let maxW = 0;
  for (let j = 0; j < n; j++) {
    const g = order[j] as number;
    const gx = gt[4 * g] as number;
    const gy = gt[4 * g + 1] as number;
    const gw = gt[4 * g + 2] as number;
    const gh = gt[4 * g + 3] as number;
    sx[j] = gx;
    sy[j] = gy;
    sxe[j] = gw + gx;
    sye[j] = gh + gy;
    sa[j] = gw * gh;
    sc[j] = iscrowd[g] ? 1 : 0;
    if (gw > maxW) maxW = gw;
  }
  for (let d = 0; d < m; d++) {
    const dx = dt[4 * d] as number;
    const dy = dt[4 * d + 1] as number;
    const dw = dt[4 * d + 2] as number;
    const dh = dt[4 * d + 3] as number;
    const dxe = dw + dx;
    const dye = dh + dy;
    const da = dw * dh;
    const row = d * n;
    // first j with sx[j] + maxW > dx
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sx[mid] as number) + maxW > dx) hi = mid;
      else lo = mid + 1;
    }
    for (let j = lo; j < n; j++) {
      const gx = sx[j] as number;
      if (gx >= dxe) break;
      const gxe = sxe[j] as number;
      const w = (dxe < gxe ? dxe : gxe) - (dx > gx ? dx : gx);
      if (w <= 0) continue;
      const gy = sy[j] as number;
      const gye = sye[j] as number;
      const h = (dye < gye ? dye : gye) - (dy > gy ? dy : gy);
      if (h <= 0) continue;
      const i = w * h;
      o[row + (order[j] as number)] = i / (sc[j] ? da : da + (sa[j] as number) - i);
    }
  }
  return o;
}

/** IoU matrix (row-major m × n) of flat `[x, y, w, h]` boxes with the reference's exact arithmetic. */
export function boxIou(
  dt: Float64Array,
  m: number,
  gt: Float64Array,
  n: number,
  iscrowd: readonly boolean[],
): Float64Array {
  return allFinite(dt, m) && allFinite(gt, n)
    ? boxIouFinite(dt, m, gt, n, iscrowd)
    : boxIouGeneral(dt, m, gt, n, iscrowd);
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

// Small matrices go pair by pair straight from the tuples: COCOeval calls this once per image and
// category, thousands of times with a handful of boxes, where flattening, sorting and six typed
// arrays per call cost more than the pairs themselves.
const SMALL_PAIRS = 1024;

/**
 * IoU matrix of box tuples pair by pair with the fast path's arithmetic (finite boxes only), or
 * undefined when some box is not finite (callers then take {@link boxIou}'s NaN-aware path).
 */
export function boxIouPairs(
  dt: readonly Bbox[],
  gt: readonly Bbox[],
  iscrowd: readonly boolean[],
): Float64Array | undefined {
  const m = dt.length;
  const n = gt.length;
  for (let g = 0; g < n; g++) {
    const b = gt[g] as Bbox;
    if (!Number.isFinite(b[2] + b[0]) || !Number.isFinite(b[3] + b[1])) return undefined;
  }
  const o = new Float64Array(m * n);
  for (let d = 0; d < m; d++) {
    const b = dt[d] as Bbox;
    const dx = b[0];
    const dy = b[1];
    const dw = b[2];
    const dh = b[3];
    const dxe = dw + dx;
    const dye = dh + dy;
    if (!Number.isFinite(dxe) || !Number.isFinite(dye)) return undefined;
    const da = dw * dh;
    const row = d * n;
    for (let g = 0; g < n; g++) {
      const q = gt[g] as Bbox;
      const gx = q[0];
      const gxe = q[2] + gx;
      const w = (dxe < gxe ? dxe : gxe) - (dx > gx ? dx : gx);
      if (w <= 0) continue;
      const gy = q[1];
      const gye = q[3] + gy;
      const h = (dye < gye ? dye : gye) - (dy > gy ? dy : gy);
      if (h <= 0) continue;
      const i = w * h;
      o[row + g] = i / (iscrowd[g] ? da : da + q[2] * q[3] - i);
    }
  }
  return o;
}

/** IoU matrix of box tuples: pair by pair when small and finite, else through {@link boxIou}. */
export function boxTupleIou(
  dt: readonly Bbox[],
  gt: readonly Bbox[],
  iscrowd: readonly boolean[],
): Float64Array {
  if (dt.length * gt.length <= SMALL_PAIRS) {
    const o = boxIouPairs(dt, gt, iscrowd);
    if (o !== undefined) return o;
  }
  return boxIou(flatten(dt), dt.length, flatten(gt), gt.length, iscrowd);
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
  return boxTupleIou(dt, gt, iscrowd);
}
