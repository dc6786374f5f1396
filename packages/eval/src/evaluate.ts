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
  const { status, npig, matches } = evaluateCells(p, cells, dt, view, options.matches === true);
  const acc = accumulate(p, cells, status, npig);
  const counts: EvalResult["counts"] = [
    p.iouThrs.length,
    p.recThrs.length,
    cells.K,
    p.areaRng.length,
    p.maxDets.length,
  ];
  const base = { params: p, counts, ...acc, summaryMaxDets };
  const names = new Map([...gt.categories].map(([id, c]) => [id, c.name]));
  const result: EvalResult = {
    ...base,
    stats: computeStats(base),
    perCategory: perCategory(p, counts, acc.precision, acc.recall, names),
  };
  if (matches) result.matches = matches.flat();
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
