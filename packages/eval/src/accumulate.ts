import { FALSE_POSITIVE, TRUE_POSITIVE } from "./evaluate-image.js";
import type { EvalParams } from "./params.js";
import type { Cells } from "./prepare.js";

const EPS = 2.220446049250313e-16; // np.spacing(1)

/** pycocotools' `eval` arrays, row-major: precision and scores [T×R×K×A×M], recall [T×K×A×M]. */
export interface Accumulated {
  precision: Float64Array;
  recall: Float64Array;
  scores: Float64Array;
}

/** First i in [lo, hi) with recall tp[i] / npig >= v (numpy `searchsorted` on rc, side left). */
function searchLeft(tp: Float64Array, npig: number, lo: number, hi: number, v: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tp[mid] as number) / npig < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Copies the outcome at maxDets index m + 1 to index m (same category and area range).
function copyOutcome(
  precision: Float64Array,
  scores: Float64Array,
  recall: Float64Array,
  T: number,
  R: number,
  K: number,
  A: number,
  M: number,
  k: number,
  a: number,
  m: number,
): void {
  for (let t = 0; t < T; t++) {
    const at = ((t * K + k) * A + a) * M + m;
    recall[at] = recall[at + 1] as number;
    for (let r = 0; r < R; r++) {
      const q = (((t * R + r) * K + k) * A + a) * M + m;
      precision[q] = precision[q + 1] as number;
      scores[q] = scores[q + 1] as number;
    }
  }
}

/**
 * Per threshold t, over the detections that count (not ignored) in score order: true positives so
 * far (recall tp / npig is computed where searched, the same double as numpy's), precision and
 * score, at stride `maxLen`. Ignored detections repeat the values before them, so they change
 * neither the monotone precision nor the first index reaching a recall > 0; the one place they
 * show is recall threshold <= 0, which reads full index 0 (see {@link readOut}).
 */
class Curves {
  readonly tpAt: Float64Array;
  readonly pr: Float64Array;
  readonly ss: Float64Array;
  readonly cnt: Int32Array;
  readonly tps: Float64Array;
  readonly fps: Float64Array;
  /** Detections kept by the last {@link tally} and the score of the first. */
  nd = 0;
  firstScore = 0;
  constructor(
    readonly T: number,
    readonly maxLen: number,
  ) {
    this.tpAt = new Float64Array(T * maxLen);
    this.pr = new Float64Array(T * maxLen);
    this.ss = new Float64Array(T * maxLen);
    this.cnt = new Int32Array(T);
    this.tps = new Float64Array(T);
    this.fps = new Float64Array(T);
  }
}

// Cumulative counts over the slots [s0, s1) of one category whose rank is below maxDet, one
// threshold at a time. Each long loop is a function of its own ending in a bare return: V8 compiles
// such a loop on the fly (OSR) and reuses that code on later calls, so an instruction after the
// loop that had not run when it was compiled would throw the code away on every call.
function tally(
  c: Curves,
  st: Uint8Array,
  slotRank: Int32Array,
  slotScore: Float64Array,
  s0: number,
  s1: number,
  maxDet: number,
): void {
  const { T, maxLen, tpAt, cnt, tps, fps } = c;
  for (let t = 0; t < T; t++) {
    const n = curve(c, st, slotRank, slotScore, s0, s1, maxDet, t) - t * maxLen;
    const tp = n > 0 ? (tpAt[t * maxLen + n - 1] as number) : 0;
    cnt[t] = n;
    tps[t] = tp;
    fps[t] = n - tp;
  }
}

// Threshold t of tally: true positives so far, precision and score of each detection that counts,
// at t * maxLen; returns the end of what it wrote (no arithmetic after the loop, see tally).
function curve(
  c: Curves,
  st: Uint8Array,
  slotRank: Int32Array,
  slotScore: Float64Array,
  s0: number,
  s1: number,
  maxDet: number,
  t: number,
): number {
  const { T, maxLen, tpAt, pr, ss } = c;
  let tp = 0;
  let fp = 0;
  let at = t * maxLen;
  for (let o = s0; o < s1; o++) {
    if ((slotRank[o] as number) >= maxDet) continue;
    const v = st[o * T + t];
    if (v === TRUE_POSITIVE) tp++;
    else if (v === FALSE_POSITIVE) fp++;
    else continue;
    tpAt[at] = tp;
    pr[at] = tp / (fp + tp + EPS);
    ss[at] = slotScore[o] as number;
    at++;
  }
  return at;
}

// Precision made monotone from the right over pr[off .. off + n) (a loop of its own, see tally).
function monotone(pr: Float64Array, off: number, n: number): void {
  for (let i = off + n - 1; i > off; i--)
    if ((pr[i] as number) > (pr[i - 1] as number)) pr[i - 1] = pr[i] as number;
}

// The score of the first slot in [s0, s1) whose rank is below maxDet (0 if none).
function firstKeptScore(
  slotRank: Int32Array,
  slotScore: Float64Array,
  s0: number,
  s1: number,
  maxDet: number,
) {
  for (let o = s0; o < s1; o++) if ((slotRank[o] as number) < maxDet) return slotScore[o] as number;
  return 0;
}

// Threshold t of the last tally: recall, precision made monotone from the right, and precision and
// score at each recall threshold (searchsorted), written at `out` with stride `rStride` over r.
function readOut(
  c: Curves,
  t: number,
  n: number,
  recThrs: readonly number[],
  precision: Float64Array,
  scores: Float64Array,
  out: number,
  rStride: number,
): void {
  const { maxLen, tpAt, pr, ss, nd } = c;
  const off = t * maxLen;
  const nc = c.cnt[t] as number;
  monotone(pr, off, nc);
  const R = recThrs.length;
  // q and ss start at 0; pycocotools stops filling at the first threshold past the end
  let r = 0;
  if (nd > 0) {
    for (; r < R; r++) {
      const thr = recThrs[r] as number;
      let q: number;
      let sv: number;
      if (thr <= 0) {
        // searchsorted gives full index 0: the best precision anywhere, the first score
        q = nc > 0 ? (pr[off] as number) : 0;
        sv = c.firstScore;
      } else {
        const idx = searchLeft(tpAt, n, off, off + nc, thr);
        if (idx >= off + nc) break;
        q = pr[idx] as number;
        sv = ss[idx] as number;
      }
      precision[out + r * rStride] = q;
      scores[out + r * rStride] = sv;
    }
  }
  for (; r < R; r++) {
    precision[out + r * rStride] = 0;
    scores[out + r * rStride] = 0;
  }
}

/**
 * pycocotools' `accumulate`: per category, area range and maxDets, the detections of every image
 * (each cut at maxDets) sorted by descending score (stable: image order, then rank), cumulative
 * true and false positives per threshold (reading the slots of {@link Cells} in order), precision
 * made monotone from the right, then read at each recall threshold (`searchsorted`); -1 where no
 * gt counts. `status[a]` holds the outcomes matchCell wrote, `npig[k * A + a]` the gts that count.
 */
export function accumulate(
  p: EvalParams,
  cells: Cells,
  status: Uint8Array[],
  npig: Float64Array,
): Accumulated {
  const T = p.iouThrs.length;
  const R = p.recThrs.length;
  const K = cells.K;
  const A = p.areaRng.length;
  const M = p.maxDets.length;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const { slotRank, slotScore } = cells;
  const c = new Curves(T, cells.dtList.length);
  const rStride = K * A * M;
  for (let k = 0; k < K; k++) {
    const s0 = cells.catStart[k] as number;
    const s1 = cells.catStart[k + 1] as number;
    for (let a = 0; a < A; a++) {
      const n = npig[k * A + a] as number;
      if (n === 0) continue;
      const st = status[a] as Uint8Array;
      // maxDets are sorted, so the detections kept for m are a subset of those for m + 1: when both
      // keep as many (common: few images have more than 10 detections of one category), the
      // outcome is the same and is copied instead of computed again.
      let prevKept = -1;
      for (let m = M - 1; m >= 0; m--) {
        const maxDet = p.maxDets[m] as number;
        let keptCount = 0;
        for (let o = s0; o < s1; o++) if ((slotRank[o] as number) < maxDet) keptCount++;
        if (keptCount === prevKept) {
          copyOutcome(precision, scores, recall, T, R, K, A, M, k, a, m);
          continue;
        }
        prevKept = keptCount;
        tally(c, st, slotRank, slotScore, s0, s1, maxDet);
        c.nd = keptCount;
        c.firstScore = firstKeptScore(slotRank, slotScore, s0, s1, maxDet);
        for (let t = 0; t < T; t++) {
          recall[((t * K + k) * A + a) * M + m] = c.nd ? (c.tps[t] as number) / n : 0;
          readOut(c, t, n, p.recThrs, precision, scores, ((t * R * K + k) * A + a) * M + m, rStride);
        }
      }
    }
  }
  return { precision, recall, scores };
}
