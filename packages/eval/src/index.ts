/**
 * @cocokit/eval: COCO evaluation with pycocotools' numbers.
 * @module
 */

export type { EvalErrorCode } from "./errors.js";
export {
  type EvalResult,
  type EvalTimings,
  type EvaluateOptions,
  evaluate,
  evaluateCoco,
  type ImageMatches,
} from "./evaluate.js";
export type { CocoGroundTruth, CocoGtAnnotation, CocoGtCategory, CocoGtImage } from "./ground-truth.js";
export type { CocoResult } from "./load-results.js";
export { COCO_KEYPOINT_SIGMAS, defaultParams, type EvalParams, type IouType } from "./params.js";
export type { CategoryMetrics } from "./per-category.js";
export { type SummaryInput, type SummaryMaxDets, summarize } from "./summarize.js";
