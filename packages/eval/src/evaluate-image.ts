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
  /**
   * Per threshold t > 0: 1 when no IoU lies between thresholds t - 1 and t (custom thresholds may
   * come in any order), so every comparison with t goes as it went with t - 1 and matching at t
   * repeats t - 1's outcome at every area range. Set by {@link CellData.setIous}.
   */
  sameAsPrevious = new Uint8Array(0);
  /**
   * Sets the D × G IoU matrix (possibly a longer reused buffer), its largest value and
   * {@link CellData.sameAsPrevious} for the thresholds `thr` (capped at 1 - 1e-10).
   */
  setIous(ious: Float64Array, thr: Float64Array): void {
    this.ious = ious;
    let mx = Number.NEGATIVE_INFINITY;
    const n = ious.length === 0 ? 0 : this.D * this.G;
    for (let i = 0; i < n; i++) {
      const v = ious[i] as number;
      if (!(v <= mx)) mx = v; // NaN sticks: no threshold is then known to match nothing
    }
    this.maxIou = mx;
    const T = thr.length;
    if (this.sameAsPrevious.length !== T) this.sameAsPrevious = new Uint8Array(T);
    const same = this.sameAsPrevious;
    for (let t = 1; t < T; t++) {
      const a = thr[t - 1] as number;
      const b = thr[t] as number;
      same[t] = noneBetween(ious, n, a < b ? a : b, a < b ? b : a) ? 1 : 0;
    }
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
  /** Per detection: the gt matched at the last threshold, or -1. */
  dtm = new Int32Array(64);
  fit(G: number, D: number): void {
    if (G > this.order.length) {
      const n = Math.max(G, this.order.length * 2);
      this.order = new Int32Array(n);
      this.ignore = new Uint8Array(n);
      this.gtm = new Int32Array(n);
    }
    if (D > this.dtm.length) this.dtm = new Int32Array(Math.max(D, this.dtm.length * 2));
  }
}

// True when none of a[0..n) lies in [lo, hi) (NaN lies nowhere).
function noneBetween(a: Float64Array, n: number, lo: number, hi: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = a[i] as number;
    if (v >= lo && v < hi) return false;
  }
  return true;
}

// The gts' `ignore` at area range [lo, hi] into s.ignore, and s.order: regular gts first, then
// the ignored ones, each in cell order (pycocotools' stable argsort). Returns the regular count.
function orderGts(c: CellData, lo: number, hi: number, s: MatchScratch): number {
  const { G, gtArea, gtBaseIgnore } = c;
  s.fit(G, c.D);
  const { order, ignore } = s;
  let npig = 0;
  for (let g = 0; g < G; g++) {
    const a = gtArea[g] as number;
    const ig = gtBaseIgnore[g] || a < lo || a > hi ? 1 : 0;
    ignore[g] = ig;
    if (!ig) order[npig++] = g;
  }
  let k = npig;
  for (let g = 0; g < G; g++) if (ignore[g]) order[k++] = g;
  return npig;
}

// Greedy matching at threshold t (capped value thr) after orderGts: each detection's outcome to
// status[slotOf[offset + d] * T + t], its gt (or -1) to s.dtm, and in s.gtm each gt's detection
// plus one (0 when unmatched).
function matchAt(
  c: CellData,
  t: number,
  thr: number,
  lo: number,
  hi: number,
  s: MatchScratch,
  status: Uint8Array,
  slotOf: Int32Array,
  offset: number,
  T: number,
): void {
  const { D, G, ious, gtCrowd, gtId, dtArea } = c;
  const { order, ignore, gtm, dtm } = s;
  // no IoU reaches thr: every detection is unmatched, exactly what the search would find
  const search = ious.length > 0 && !(thr > c.maxIou);
  for (let g = 0; g < G; g++) gtm[g] = 0; // a loop: fill() costs a builtin call per cell and threshold
  for (let d = 0; d < D; d++) {
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
    dtm[d] = m;
    status[(slotOf[offset + d] as number) * T + t] = dtIg
      ? IGNORED
      : matchedId
        ? TRUE_POSITIVE
        : FALSE_POSITIVE;
  }
}

// Threshold t repeats threshold t - 1 (see CellData.sameAsPrevious): its outcomes are copied.
function copyPrevious(
  status: Uint8Array,
  slotOf: Int32Array,
  offset: number,
  D: number,
  T: number,
  t: number,
) {
  for (let d = 0; d < D; d++) {
    const at = (slotOf[offset + d] as number) * T + t;
    status[at] = status[at - 1] as number;
  }
}

/**
 * pycocotools' `evaluateImg` for one cell and area range [lo, hi]: greedy matching of detections
 * in score order, at every threshold, to the best-IoU gt not yet taken (crowd gts may be taken many
 * times; ties go to the later gt; a match to a regular gt is never replaced by an ignored one).
 * Writes each detection's outcome to `status[slotOf[offset + d] * T + t]` and returns the number of gts
 * that are not ignored. A match to a gt of id 0 counts as unmatched, as in pycocotools.
 * `thrs` are the thresholds capped at 1 - 1e-10.
 */
export function matchCell(
  c: CellData,
  lo: number,
  hi: number,
  thrs: Float64Array,
  status: Uint8Array,
  slotOf: Int32Array,
  offset: number,
  scratch: MatchScratch,
): number {
  const npig = orderGts(c, lo, hi, scratch);
  const T = thrs.length;
  const same = c.sameAsPrevious;
  for (let t = 0; t < T; t++) {
    if (t > 0 && same[t] === 1) copyPrevious(status, slotOf, offset, c.D, T, t);
    else matchAt(c, t, thrs[t] as number, lo, hi, scratch, status, slotOf, offset, T);
  }
  return npig;
}

/**
 * {@link matchCell}, also recording the matches in pycocotools' `evaluateImg` layout into `out`
 * (for `matches: true`; kept apart so the plain evaluation runs none of this code).
 */
export function matchCellRecorded(
  c: CellData,
  lo: number,
  hi: number,
  thrs: Float64Array,
  status: Uint8Array,
  slotOf: Int32Array,
  offset: number,
  scratch: MatchScratch,
  out: CellMatches,
): number {
  const npig = orderGts(c, lo, hi, scratch);
  const T = thrs.length;
  const { D, G } = c;
  out.gtOrder = Array.from(scratch.order.subarray(0, G));
  out.gtIgnore = out.gtOrder.map((g) => scratch.ignore[g] as number);
  for (let t = 0; t < T; t++) {
    matchAt(c, t, thrs[t] as number, lo, hi, scratch, status, slotOf, offset, T);
    const dtRow: number[] = [];
    const igRow: boolean[] = [];
    for (let d = 0; d < D; d++) {
      dtRow.push(scratch.dtm[d] as number);
      igRow.push(status[(slotOf[offset + d] as number) * T + t] === IGNORED);
    }
    out.dtMatch.push(dtRow);
    out.dtIgnore.push(igRow);
    out.gtMatch.push(out.gtOrder.map((g) => (scratch.gtm[g] as number) - 1));
  }
  return npig;
}
