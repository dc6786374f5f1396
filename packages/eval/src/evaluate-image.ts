/** Per-detection outcome at one IoU threshold and area range, as accumulate counts it. */
export const FALSE_POSITIVE = 0;
/** Matched to a ground truth of non-zero id that is not ignored. */
export const TRUE_POSITIVE = 1;
/** Matched to an ignored gt, or unmatched and outside the area range: counted nowhere. */
export const IGNORED = 2;

/** One cell (image × category) ready for matching; gts in cell order, detections in score order. */
export class CellData {
  D = 0;
  G = 0;
  /** Row-major D × G; empty when pycocotools has no IoUs for the cell. */
  ious: Float64Array = new Float64Array(0);
  /**
   * The largest IoU of the cell (NaN if any is NaN, which matches like any value): a threshold
   * above it matches nothing, so matchCell skips the search there. Set by {@link CellData.setIous}.
   */
  maxIou = Number.NaN;
  /** Sets the D × G IoU matrix (possibly a longer reused buffer) and its largest value. */
  setIous(ious: Float64Array): void {
    this.ious = ious;
    let mx = Number.NEGATIVE_INFINITY;
    const n = ious.length === 0 ? 0 : this.D * this.G;
    for (let i = 0; i < n; i++) {
      const v = ious[i] as number;
      if (!(v <= mx)) mx = v; // NaN sticks: no threshold is then known to match nothing
    }
    this.maxIou = mx;
  }
  /** `ignore` of each gt before the area range (crowd; keypoints: no labelled points). */
  gtBaseIgnore = new Uint8Array(16);
  gtArea = new Float64Array(16);
  gtCrowd = new Uint8Array(16);
  gtId = new Float64Array(16);
  dtArea = new Float64Array(16);
  /** Grows the buffers (never shrinks them) for G gts and D detections. */
  fit(G: number, D: number): void {
    if (G > this.gtArea.length) {
      const n = Math.max(G, 2 * this.gtArea.length);
      this.gtBaseIgnore = new Uint8Array(n);
      this.gtArea = new Float64Array(n);
      this.gtCrowd = new Uint8Array(n);
      this.gtId = new Float64Array(n);
    }
    if (D > this.dtArea.length) this.dtArea = new Float64Array(Math.max(D, 2 * this.dtArea.length));
    this.G = G;
    this.D = D;
  }
}

/** Matches of one cell and area range, in pycocotools' `evaluateImg` layout (gts ignored-last). */
export interface CellMatches {
  gtOrder: number[];
  gtIgnore: number[];
  /** [T][D]: the matched gt's index in the cell, or -1. */
  dtMatch: number[][];
  /** [T][G] over `gtOrder`: the matched detection's rank in the cell, or -1. */
  gtMatch: number[][];
  /** [T][D]. */
  dtIgnore: boolean[][];
}

/** Reusable buffers, grown as needed, so matching allocates nothing per cell. */
export class MatchScratch {
  order = new Int32Array(64);
  ignore = new Uint8Array(64);
  gtm = new Int32Array(64);
  fit(G: number): void {
    if (G <= this.order.length) return;
    const n = Math.max(G, this.order.length * 2);
    this.order = new Int32Array(n);
    this.ignore = new Uint8Array(n);
    this.gtm = new Int32Array(n);
  }
}

// True when none of a[0..n) lies in [lo, hi) (NaN lies nowhere). An empty matrix has none.
function noneBetween(a: Float64Array, n: number, lo: number, hi: number): boolean {
  if (a.length === 0) return true;
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    if (v >= lo && v < hi) return false;
  }
  return true;
}

/**
 * pycocotools' `evaluateImg` for one cell and area range [lo, hi]: greedy matching of detections
 * in score order, at every threshold, to the best-IoU gt not yet taken (crowd gts may be taken many
 * times; ties go to the later gt; a match to a regular gt is never replaced by an ignored one).
 * Writes each detection's outcome to `status[slotOf[offset + d] * T + t]` and returns the number of gts
 * that are not ignored. A match to a gt of id 0 counts as unmatched, as in pycocotools.
 */
export function matchCell(
  c: CellData,
  lo: number,
  hi: number,
  iouThrs: readonly number[],
  status: Uint8Array,
  slotOf: Int32Array,
  offset: number,
  scratch: MatchScratch,
  matches?: CellMatches,
): number {
  const { D, G, ious, gtArea, gtBaseIgnore, gtCrowd, gtId, dtArea } = c;
  const T = iouThrs.length;
  scratch.fit(G);
  const { order, ignore, gtm } = scratch;
  let npig = 0;
  for (let g = 0; g < G; g++) {
    const a = gtArea[g] as number;
    const ig = gtBaseIgnore[g] || a < lo || a > hi ? 1 : 0;
    ignore[g] = ig;
    if (!ig) order[npig++] = g;
  }
  // stable argsort by ignore: regular gts first, then the ignored ones, each in cell order
  let k = npig;
  for (let g = 0; g < G; g++) if (ignore[g]) order[k++] = g;
  const match = ious.length > 0;
  if (matches) {
    matches.gtOrder = Array.from(order.subarray(0, G));
    matches.gtIgnore = matches.gtOrder.map((g) => ignore[g] as number);
  }
  let prevThr = Number.NaN;
  for (let t = 0; t < T; t++) {
    const thr = Math.min(iouThrs[t] as number, 1 - 1e-10);
    // no IoU between the previous threshold and this one (custom thresholds may come in any
    // order): every comparison with the threshold goes as it went at the previous one, so the
    // greedy matching does too and its outcomes are copied
    if (
      !matches &&
      t > 0 &&
      noneBetween(ious, D * G, prevThr < thr ? prevThr : thr, prevThr < thr ? thr : prevThr)
    ) {
      for (let d = 0; d < D; d++) {
        const at = (slotOf[offset + d] as number) * T + t;
        status[at] = status[at - 1] as number;
      }
      prevThr = thr;
      continue;
    }
    prevThr = thr;
    // no IoU reaches thr: every detection is unmatched, exactly what the search would find
    const search = match && !(thr > c.maxIou);
    for (let g = 0; g < G; g++) gtm[g] = 0; // a loop: fill() costs a builtin call per cell and threshold
    const dtRow = matches ? new Array<number>(D).fill(-1) : undefined;
    const igRow = matches ? new Array<boolean>(D).fill(false) : undefined;
    for (let d = 0; d < D; d++) {
      const at = (slotOf[offset + d] as number) * T + t;
      let best = thr;
      let m = -1;
      if (search) {
        const row = d * G;
        for (let j = 0; j < G; j++) {
          const g = order[j] as number;
          if (gtm[g] !== 0 && !gtCrowd[g]) continue;
          if (m > -1 && !ignore[m] && ignore[g]) break;
          const v = ious[row + g] as number;
          if (v < best) continue;
          best = v;
          m = g;
        }
      }
      let dtIg = false;
      let matchedId = false;
      if (m !== -1) {
        gtm[m] = d + 1;
        dtIg = ignore[m] === 1;
        matchedId = gtId[m] !== 0;
      }
      if (!matchedId) {
        const a = dtArea[d] as number;
        if (a < lo || a > hi) dtIg = true;
      }
      status[at] = dtIg ? IGNORED : matchedId ? TRUE_POSITIVE : FALSE_POSITIVE;
      if (dtRow && igRow) {
        dtRow[d] = m;
        igRow[d] = dtIg;
      }
    }
    if (matches && dtRow && igRow) {
      matches.dtMatch.push(dtRow);
      matches.dtIgnore.push(igRow);
      matches.gtMatch.push(matches.gtOrder.map((g) => (gtm[g] as number) - 1));
    }
  }
  return npig;
}
