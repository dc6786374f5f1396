import { type Dataset, exportJson } from "@cocokit/core";
import { accumulate } from "./accumulate.js";
import { type CocoGroundTruth, indexGroundTruth } from "./ground-truth.js";
import { gtView } from "./gt-view.js";
import { loadResults } from "./load-results.js";
import { type EvalParams, type IouType, resolveParams } from "./params.js";
import { type CategoryMetrics, perCategory } from "./per-category.js";
import { prepareCells } from "./prepare.js";
import { evaluateCells } from "./run-cells.js";
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

/**
 * Where an evaluation's time went, in milliseconds, stage by stage as pycocotools times them (its
 * "DONE (t=…s)" lines), so that its `evaluate()` + `accumulate()` can be set against
 * `evaluate + accumulate` here. The stages follow each other; their sum is at most the whole call.
 */
export interface EvalTimings {
  /** Parsing (for text) and indexing the ground truth: what `COCO(annotation_file)` does. */
  index: number;
  /**
   * Parsing (for text) and checking the results, with their ids, areas and keypoints: `loadRes`.
   */
  loadResults: number;
  /**
   * pycocotools' `evaluate()`: the parameters made unique and sorted, `_prepare` (each image and
   * category's gts and detections, the gts' ignore flags, read here through the ground-truth
   * view as the cells are filled), the IoUs or OKS of every cell and `evaluateImg`'s matching.
   * Also the score order accumulate reads each category's detections in (pycocotools sorts in
   * `accumulate()`): matching writes its outcomes straight into that order.
   */
  evaluate: number;
  /** pycocotools' `accumulate()`: precision, recall and scores. */
  accumulate: number;
  /** `summarize()`'s numbers (`stats`) and the per-category AP; the text is {@link summarize}'s. */
  stats: number;
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
  /** How long each stage took (varies run to run; every other field is deterministic). */
  timings: EvalTimings;
}

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
  const t0 = performance.now();
  const gt = indexGroundTruth(parse(groundTruth));
  const t1 = performance.now();
  // params before the results (their checks need the sigmas' length), timed with evaluate, where
  // pycocotools makes its ids unique and sorted
  const p = resolveParams(options.iouType, options.params, gt.imageIds, gt.catIds);
  const summaryMaxDets = options.summaryMaxDets ?? "pycocotools";
  checkSummaryMaxDets(p, summaryMaxDets);
  const kpCount = p.kptOksSigmas.length;
  const t2 = performance.now();
  const dt = loadResults(parse(results), gt, p.iouType, kpCount);
  const t3 = performance.now();
  const view = gtView(gt, p.iouType, kpCount);
  const cells = prepareCells(gt, dt, p);
  const { status, npig, matches } = evaluateCells(p, cells, dt, view, options.matches === true);
  const evalImgs = matches?.flat();
  const t4 = performance.now();
  const acc = accumulate(p, cells, status, npig);
  const t5 = performance.now();
  const counts: EvalResult["counts"] = [
    p.iouThrs.length,
    p.recThrs.length,
    cells.K,
    p.areaRng.length,
    p.maxDets.length,
  ];
  const base = { params: p, counts, ...acc, summaryMaxDets };
  const names = new Map([...gt.categories].map(([id, c]) => [id, c.name]));
  const stats = computeStats(base);
  const categories = perCategory(p, counts, acc.precision, acc.recall, names);
  const timings: EvalTimings = {
    index: t1 - t0,
    loadResults: t3 - t2,
    evaluate: t2 - t1 + (t4 - t3),
    accumulate: t5 - t4,
    stats: performance.now() - t5,
  };
  const result: EvalResult = { ...base, stats, perCategory: categories, timings };
  if (evalImgs) result.matches = evalImgs;
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
