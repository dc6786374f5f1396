import type { ImageMatches } from "./evaluate.js";
import { CellData, type CellMatches, MatchScratch, matchCell } from "./evaluate-image.js";
import type { GtView } from "./gt-view.js";
import { cellIou } from "./iou-matrix.js";
import type { Detections } from "./load-results.js";
import { cellOks, OksScratch } from "./oks.js";
import type { EvalParams } from "./params.js";
import type { Cells } from "./prepare.js";

const NO_IOUS = new Float64Array(0);

/** What matching every cell leaves for accumulate (and the per-image matches on request). */
export interface CellOutcomes {
  /** Per area range: each slot's outcome per threshold, `[slot * T + t]`. */
  status: Uint8Array[];
  /** Gts that count, per category and area range (`k * A + a`). */
  npig: Float64Array;
  /** pycocotools' `evalImgs` per `k * A + a`, when asked for. */
  matches?: ImageMatches[][];
}

// Loads cell c (gt fields, detection areas, the IoU matrix) into `cell`. A function of its own, called
// once per cell, so V8 optimises it early instead of running one long loop nest cold.
function fillCell(
  cell: CellData,
  cells: Cells,
  c: number,
  dt: Detections,
  view: GtView,
  p: EvalParams,
  oks: OksScratch,
): void {
  const gs = cells.gtStart[c] as number;
  const ge = cells.gtStart[c + 1] as number;
  const ds = cells.dtStart[c] as number;
  const de = cells.dtStart[c + 1] as number;
  const gl = cells.gtList;
  const dl = cells.dtList;
  const G = ge - gs;
  const D = de - ds;
  cell.fit(G, D);
  for (let j = 0; j < G; j++) {
    const g = gl[gs + j] as number;
    cell.gtBaseIgnore[j] = view.ignore(g) ? 1 : 0;
    cell.gtArea[j] = view.area(g);
    cell.gtCrowd[j] = view.crowd(g) ? 1 : 0;
    cell.gtId[j] = view.id(g);
  }
  for (let i = 0; i < D; i++) cell.dtArea[i] = dt.area(dl[ds + i] as number);
  // pycocotools' computeOks reads _gts[img, -1] when categories are pooled, which is always empty:
  // pooled keypoint evaluation matches nothing. Kept for parity (documented in the README).
  if (p.iouType !== "keypoints") cell.setIous(cellIou(p.iouType, dt, view, dl, ds, de, gl, gs, ge));
  else cell.setIous(p.useCats ? cellOks(dt, view, dl, ds, de, gl, gs, ge, oks) : NO_IOUS);
  // every mask belongs to one cell: drop it now so masks never pile up for the garbage collector
  if (p.iouType === "segm" || dt.kind === "segm") {
    for (let i = ds; i < de; i++) dt.release(dl[i] as number);
    for (let j = gs; j < ge; j++) view.release(gl[j] as number);
  }
}

// pycocotools' evalImgs entry of cell c and one area range, from the matches matchCell recorded.
function imageMatches(
  p: EvalParams,
  cells: Cells,
  cell: CellData,
  dt: Detections,
  c: number,
  k: number,
  lo: number,
  hi: number,
  m: CellMatches,
): ImageMatches {
  const dts = cells.dtList.subarray(cells.dtStart[c] as number, cells.dtStart[c + 1] as number);
  const dtIds = Array.from(dts, (i) => i + 1);
  return {
    imageId: p.imgIds[Math.floor(c / cells.K)] as number,
    categoryId: p.useCats ? (p.catIds[k] as number) : -1,
    areaRng: [lo, hi],
    maxDet: p.maxDets[p.maxDets.length - 1] as number,
    dtIds,
    gtIds: m.gtOrder.map((j) => cell.gtId[j] as number),
    dtMatches: m.dtMatch.map((row) => row.map((j) => (j === -1 ? 0 : (cell.gtId[j] as number)))),
    gtMatches: m.gtMatch.map((row) => row.map((d) => (d === -1 ? 0 : (dtIds[d] as number)))),
    dtScores: Array.from(dts, (i) => dt.score[i] as number),
    gtIgnore: m.gtIgnore,
    dtIgnore: m.dtIgnore,
  };
}

/**
 * pycocotools' `evaluate` after `_prepare`: the IoUs of every (image, category) cell, computed
 * once, and `evaluateImg`'s matching at every area range and threshold.
 */
export function evaluateCells(
  p: EvalParams,
  cells: Cells,
  dt: Detections,
  view: GtView,
  wantMatches: boolean,
): CellOutcomes {
  const T = p.iouThrs.length;
  const A = p.areaRng.length;
  const K = cells.K;
  const status = p.areaRng.map(() => new Uint8Array(cells.dtList.length * T));
  const npig = new Float64Array(K * A);
  const scratch = new MatchScratch();
  const byKA: ImageMatches[][] | undefined = wantMatches
    ? Array.from({ length: K * A }, () => [])
    : undefined;
  const cell = new CellData();
  const oks = new OksScratch(p.kptOksSigmas);
  const nCells = cells.images * K;
  for (let c = 0; c < nCells; c++) {
    const ds = cells.dtStart[c] as number;
    if (cells.gtStart[c] === cells.gtStart[c + 1] && ds === cells.dtStart[c + 1]) continue; // pycocotools' evalImg is None
    fillCell(cell, cells, c, dt, view, p, oks);
    const k = c % K;
    for (let a = 0; a < A; a++) {
      const range = p.areaRng[a] as [number, number];
      const lo = range[0];
      const hi = range[1];
      const m: CellMatches | undefined = byKA
        ? { gtOrder: [], gtIgnore: [], dtMatch: [], gtMatch: [], dtIgnore: [] }
        : undefined;
      npig[k * A + a] =
        (npig[k * A + a] as number) +
        matchCell(cell, lo, hi, p.iouThrs, status[a] as Uint8Array, cells.slotOf, ds, scratch, m);
      if (byKA && m)
        (byKA[k * A + a] as ImageMatches[]).push(imageMatches(p, cells, cell, dt, c, k, lo, hi, m));
    }
  }
  return byKA ? { status, npig, matches: byKA } : { status, npig };
}
