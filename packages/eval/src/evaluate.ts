import { type Dataset, exportJson } from "@cocokit/core";
import { accumulate } from "./accumulate.js";
import { CellData, type CellMatches, MatchScratch, matchCell } from "./evaluate-image.js";
import { type CocoGroundTruth, indexGroundTruth } from "./ground-truth.js";
import { gtView } from "./gt-view.js";
import { cellIou } from "./iou-matrix.js";
import { loadResults } from "./load-results.js";
import { cellOks } from "./oks.js";
import { type EvalParams, type IouType, resolveParams } from "./params.js";
import { type CategoryMetrics, perCategory } from "./per-category.js";
import { prepareCells } from "./prepare.js";
import { checkSummaryMaxDets, computeStats, type SummaryMaxDets } from "./summarize.js";

/** How to evaluate: the IoU type, parameter overrides, and what to return. */
export interface EvaluateOptions {
  iouType: IouType;
  /** Overrides of pycocotools' default `Params` (ids, thresholds, maxDets, areaRng, useCats, sigmas). */
  params?: Partial<Omit<EvalParams, "iouType">>;
  /** Also return the per-image matches (pycocotools' `evalImgs`). */
  matches?: boolean;
  /** Which maxDets the summary reads (see {@link SummaryMaxDets}); default `"pycocotools"`. */
  summaryMaxDets?: SummaryMaxDets;
}

/** One entry of pycocotools' `evalImgs`: the matches of an image, category and area range. */
export interface ImageMatches {
  imageId: number;
  /** -1 without categories. */
  categoryId: number;
  areaRng: [number, number];
  maxDet: number;
  /** Detection ids (1-based positions in the results list), in score order. */
  dtIds: number[];
  /** Ground-truth ids, regular ones first. */
  gtIds: number[];
  /** [T][D]: id of the matched gt, 0 when unmatched. */
  dtMatches: number[][];
  /** [T][G]: id of the matched detection, 0 when unmatched. */
  gtMatches: number[][];
  dtScores: number[];
  gtIgnore: number[];
  dtIgnore: boolean[][];
}

/** The outcome of an evaluation: pycocotools' `stats`, `eval` arrays and params, plus per-category AP. */
export interface EvalResult {
  /** The parameters used, normalised as pycocotools does (sorted ids and maxDets). */
  params: EvalParams;
  /** [T, R, K, A, M]. */
  counts: [T: number, R: number, K: number, A: number, M: number];
  /** The summary numbers: 12 for bbox and segm, 10 for keypoints. */
  stats: number[];
  /** Row-major [T×R×K×A×M]; -1 where no ground truth counts. */
  precision: Float64Array;
  /** Row-major [T×K×A×M]. */
  recall: Float64Array;
  /** Row-major [T×R×K×A×M]: the score at which each precision value is reached. */
  scores: Float64Array;
  perCategory: CategoryMetrics[];
  summaryMaxDets: SummaryMaxDets;
  /** Present when `matches: true`, in pycocotools' order (category, area range, image). */
  matches?: ImageMatches[];
}

const NO_IOUS = new Float64Array(0);

function parse(input: unknown): unknown {
  return typeof input === "string" ? JSON.parse(input) : input;
}

/**
 * Evaluates detections against a parsed COCO ground truth (or its JSON text), synchronously, with
 * pycocotools' semantics: `loadRes`, `evaluate`, `accumulate` and `summarize`'s numbers.
 * @example
 * const result = evaluateCoco(gtJson, detections, { iouType: "bbox" });
 * result.stats[0]; // AP@[.50:.95], what pycocotools prints first
 */
export function evaluateCoco(
  groundTruth: CocoGroundTruth | string,
  results: unknown,
  options: EvaluateOptions,
): EvalResult {
  const gt = indexGroundTruth(parse(groundTruth));
  const p = resolveParams(options.iouType, options.params, gt.imageIds, gt.catIds);
  const summaryMaxDets = options.summaryMaxDets ?? "pycocotools";
  checkSummaryMaxDets(p, summaryMaxDets);
  const kpCount = p.kptOksSigmas.length;
  const dt = loadResults(parse(results), gt, p.iouType, kpCount);
  const view = gtView(gt, p.iouType, kpCount);
  const cells = prepareCells(gt, dt, p);
  const T = p.iouThrs.length;
  const A = p.areaRng.length;
  const K = cells.K;
  const status = p.areaRng.map(() => new Uint8Array(cells.dtList.length * T));
  const npig = new Float64Array(K * A);
  const scratch = new MatchScratch();
  const byKA: ImageMatches[][] | undefined = options.matches
    ? Array.from({ length: K * A }, () => [])
    : undefined;
  const maxDet = p.maxDets[p.maxDets.length - 1] as number;
  const cell = new CellData();
  const nCells = cells.images * K;
  for (let c = 0; c < nCells; c++) {
    const gs = cells.gtStart[c] as number;
    const ge = cells.gtStart[c + 1] as number;
    const ds = cells.dtStart[c] as number;
    const de = cells.dtStart[c + 1] as number;
    if (gs === ge && ds === de) continue; // pycocotools' evalImg is None
    const gts = cells.gtList.subarray(gs, ge);
    const dts = cells.dtList.subarray(ds, de);
    const G = ge - gs;
    const D = de - ds;
    cell.fit(G, D);
    for (let j = 0; j < G; j++) {
      const g = gts[j] as number;
      cell.gtBaseIgnore[j] = view.ignore(g) ? 1 : 0;
      cell.gtArea[j] = view.area(g);
      cell.gtCrowd[j] = view.crowd(g) ? 1 : 0;
      cell.gtId[j] = view.id(g);
    }
    for (let i = 0; i < D; i++) cell.dtArea[i] = dt.area(dts[i] as number);
    // pycocotools' computeOks reads _gts[img, -1] when categories are pooled, which is always empty:
    // pooled keypoint evaluation matches nothing. Kept for parity (documented in the README).
    if (p.iouType !== "keypoints") cell.ious = cellIou(p.iouType, dt, view, dts, gts);
    else cell.ious = p.useCats ? cellOks(dt, view, dts, gts, p.kptOksSigmas) : NO_IOUS;
    // every mask belongs to one cell: drop it now so masks never pile up for the garbage collector
    if (p.iouType === "segm" || dt.kind === "segm") {
      for (let i = 0; i < D; i++) dt.release(dts[i] as number);
      for (let j = 0; j < G; j++) view.release(gts[j] as number);
    }
    const k = c % K;
    for (let a = 0; a < A; a++) {
      const [lo, hi] = p.areaRng[a] as [number, number];
      const m: CellMatches | undefined = byKA
        ? { gtOrder: [], gtIgnore: [], dtMatch: [], gtMatch: [], dtIgnore: [] }
        : undefined;
      npig[k * A + a] =
        (npig[k * A + a] as number) +
        matchCell(cell, lo, hi, p.iouThrs, status[a] as Uint8Array, cells.slotOf, ds, scratch, m);
      if (byKA && m) {
        const gtIds = m.gtOrder.map((j) => cell.gtId[j] as number);
        const dtIds = Array.from(dts, (i) => i + 1);
        (byKA[k * A + a] as ImageMatches[]).push({
          imageId: p.imgIds[Math.floor(c / K)] as number,
          categoryId: p.useCats ? (p.catIds[k] as number) : -1,
          areaRng: [lo, hi],
          maxDet,
          dtIds,
          gtIds,
          dtMatches: m.dtMatch.map((row) => row.map((j) => (j === -1 ? 0 : (cell.gtId[j] as number)))),
          gtMatches: m.gtMatch.map((row) => row.map((d) => (d === -1 ? 0 : (dtIds[d] as number)))),
          dtScores: Array.from(dts, (i) => dt.score[i] as number),
          gtIgnore: m.gtIgnore,
          dtIgnore: m.dtIgnore,
        });
      }
    }
  }
  const acc = accumulate(p, cells, status, npig);
  const counts: EvalResult["counts"] = [T, p.recThrs.length, K, A, p.maxDets.length];
  const base = { params: p, counts, ...acc, summaryMaxDets };
  const names = new Map([...gt.categories].map(([id, c]) => [id, c.name]));
  const result: EvalResult = {
    ...base,
    stats: computeStats(base),
    perCategory: perCategory(p, counts, acc.precision, acc.recall, names),
  };
  if (byKA) result.matches = byKA.flat();
  return result;
}

function isDataset(value: unknown): value is Dataset {
  return typeof value === "object" && value !== null && Array.isArray((value as Dataset).items);
}

/**
 * Evaluates detections against a ground truth: a core `Dataset` (written to COCO JSON with core's
 * `exportJson`, task `instances` or `person_keypoints` by IoU type, so ids and areas are the
 * file's), a parsed COCO object, or COCO JSON as text or bytes. See {@link evaluateCoco}.
 * @example
 * const result = await evaluate(dataset, JSON.parse(resultsText), { iouType: "segm" });
 * console.log(summarize(result));
 */
export async function evaluate(
  groundTruth: Dataset | CocoGroundTruth | string | Uint8Array,
  results: unknown,
  options: EvaluateOptions & { subset?: string },
): Promise<EvalResult> {
  let gt: CocoGroundTruth | string;
  if (groundTruth instanceof Uint8Array) gt = new TextDecoder().decode(groundTruth);
  else if (isDataset(groundTruth)) {
    const task = options.iouType === "keypoints" ? "person_keypoints" : "instances";
    const chunks: Uint8Array[] = [];
    const exportOptions =
      options.subset === undefined
        ? { tasks: [task] as const }
        : { tasks: [task] as const, subsets: [options.subset] };
    for await (const chunk of exportJson(groundTruth, exportOptions)) chunks.push(chunk);
    gt = new TextDecoder().decode(concat(chunks));
  } else gt = groundTruth;
  return evaluateCoco(gt, results, options);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
