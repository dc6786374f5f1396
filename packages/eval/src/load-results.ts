import type { Bbox, Rle } from "@cocokit/rle";
import { Detections } from "./detections.js";
import { evalError } from "./errors.js";
import type { GroundTruth } from "./ground-truth.js";
import type { IouType } from "./params.js";

export type { Detections };

/** One detection in the standard COCO results format. */
export interface CocoResult {
  image_id: number;
  category_id: number;
  score: number;
  bbox?: number[];
  segmentation?: unknown;
  keypoints?: number[];
}

/** Which `loadRes` branch the results took (decided by the first result, as pycocotools does). */
export type ResultKind = "bbox" | "segm" | "keypoints";

const isNumber = (v: unknown): v is number => typeof v === "number";

/** True when every element is a number (a loop: `every` with a callback is slower on long lists). */
export function allNumbers(list: readonly unknown[]): boolean {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== "number") return false;
  return true;
}

function checkBox(v: unknown, i: number): void {
  if (!Array.isArray(v) || v.length !== 4 || !allNumbers(v)) {
    throw evalError("invalid_results", "results", `/${i}/bbox`, "[x, y, width, height]", v);
  }
}

function checkSegmentation(seg: unknown, i: number): void {
  if (Array.isArray(seg)) {
    if (seg.every((p) => Array.isArray(p) && p.every(isNumber))) return;
  } else if (typeof seg === "object" && seg !== null && "counts" in seg && "size" in seg) {
    return;
  }
  throw evalError(
    "invalid_results",
    "results",
    `/${i}/segmentation`,
    "polygons or an RLE {size, counts}",
    seg,
  );
}

/** The `loadRes` branch of a first result: bbox wins over segmentation, which wins over keypoints. */
function kindOf(first: Record<string, unknown>): ResultKind {
  if ("caption" in first) {
    throw evalError(
      "unsupported_results",
      "results",
      "/0",
      "detection results (captions are not evaluated)",
      first,
    );
  }
  const bbox = first.bbox;
  if (bbox !== undefined && !(Array.isArray(bbox) && bbox.length === 0)) return "bbox";
  if ("segmentation" in first) return "segm";
  if ("keypoints" in first) return "keypoints";
  throw evalError("invalid_results", "results", "/0", "a result with bbox, segmentation or keypoints", first);
}

const FIELD: Record<ResultKind, "bbox" | "segmentation" | "keypoints"> = {
  bbox: "bbox",
  segm: "segmentation",
  keypoints: "keypoints",
};

/** Copies a list into `out` from `at` while checking that every element is a number (false if not). */
export function copyNumbers(list: readonly unknown[], out: Float64Array, at: number): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== "number") return false;
    out[at + i] = v;
  }
  return true;
}

// np.min / np.max of the points' x and y in kp[at .. at + len): the area of `[x0, y0, x1 - x0, y1 - y0]`.
function extentArea(kp: Float64Array, at: number, len: number): number {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let j = at; j < at + len; j += 3) {
    const x = kp[j] as number;
    const y = kp[j + 1] as number;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return (x1 - x0) * (y1 - y0);
}

// Checks one result and records its ids, score and keypoints. A method called once per result,
// not the body of loadResults' loop: V8 optimises it as a function, and that code serves every
// later evaluation, where a loop optimised on the fly (OSR) is compiled again on each call.
class ResultChecker {
  readonly field: "bbox" | "segmentation" | "keypoints";
  constructor(
    readonly gt: GroundTruth,
    readonly iouType: IouType,
    readonly kind: ResultKind,
    readonly keypointCount: number,
    readonly kp: Float64Array | undefined,
    readonly imageId: Float64Array,
    readonly categoryId: Float64Array,
    readonly score: Float64Array,
  ) {
    this.field = FIELD[kind];
  }
  check(result: unknown, i: number): void {
    const { gt, iouType, kind, keypointCount, kp, field } = this;
    const kpLength = 3 * keypointCount;
    const r = result as Record<string, unknown>;
    if (typeof r !== "object" || r === null || Array.isArray(r)) {
      throw evalError("invalid_results", "results", `/${i}`, "a detection object", r);
    }
    const img = r.image_id;
    if (!isNumber(img)) throw evalError("invalid_results", "results", `/${i}/image_id`, "a number", img);
    if (!gt.images.has(img)) {
      throw evalError("unknown_image", "results", `/${i}/image_id`, "an image id of the ground truth", img);
    }
    if (!isNumber(r.category_id)) {
      throw evalError("invalid_results", "results", `/${i}/category_id`, "a number", r.category_id);
    }
    if (!isNumber(r.score)) throw evalError("invalid_results", "results", `/${i}/score`, "a number", r.score);
    if (!(field in r)) {
      throw evalError(
        "mixed_results",
        "results",
        `/${i}/${field}`,
        `a ${field} like the first result's`,
        undefined,
      );
    }
    if (kind === "bbox" || r.bbox !== undefined) checkBox(r.bbox, i);
    if (kind === "segm" || (iouType === "segm" && r.segmentation !== undefined))
      checkSegmentation(r.segmentation, i);
    if (kind === "keypoints" || iouType === "keypoints") {
      const k = r.keypoints;
      const length = iouType === "keypoints" ? 3 * keypointCount : undefined;
      if (
        !Array.isArray(k) ||
        k.length === 0 ||
        k.length % 3 !== 0 ||
        (length !== undefined && k.length !== length) ||
        !(kp === undefined ? allNumbers(k) : copyNumbers(k, kp, i * kpLength))
      ) {
        const expected =
          length === undefined ? "[x1, y1, v1, …]" : `${keypointCount} keypoints (${length} numbers)`;
        throw evalError("invalid_results", "results", `/${i}/keypoints`, expected, k);
      }
    }
    this.imageId[i] = img;
    this.categoryId[i] = r.category_id;
    this.score[i] = r.score;
  }
}

/**
 * Checks and indexes a results list with pycocotools' `loadRes` semantics. Throws `invalid_results`
 * (not a list, a missing or malformed field, with its pointer such as `/12/bbox`), `unknown_image`
 * (an image id the ground truth lacks: "Results do not correspond to current coco set"),
 * `mixed_results` (a result without the field the first one's kind needs) and
 * `unsupported_results` (captions). `keypointCount` is checked for keypoint evaluation.
 */
export function loadResults(
  results: unknown,
  gt: GroundTruth,
  iouType: IouType,
  keypointCount: number,
): Detections {
  if (!Array.isArray(results)) {
    throw evalError("invalid_results", "results", "", "a list of detections", results);
  }
  const n = results.length;
  const imageId = new Float64Array(n);
  const categoryId = new Float64Array(n);
  const score = new Float64Array(n);
  const kind: ResultKind = n === 0 ? (iouType === "segm" ? "segm" : iouType) : kindOf(results[0] ?? {});
  if (kind === "keypoints" && iouType === "segm") {
    throw evalError("invalid_results", "results", "/0/segmentation", "masks for segm evaluation", undefined);
  }
  const kp = iouType === "keypoints" ? new Float64Array(n * 3 * keypointCount) : undefined;
  const checker = new ResultChecker(gt, iouType, kind, keypointCount, kp, imageId, categoryId, score);
  for (let i = 0; i < n; i++) checker.check(results[i], i);
  const items = results as CocoResult[];
  const masks: (Rle | undefined)[] = new Array(n);
  const areas = new Float64Array(n).fill(Number.NaN);
  // keypoint results' areas, from the copied points (the same doubles, so the same areas)
  if (kp !== undefined && kind === "keypoints")
    for (let i = 0; i < n; i++) areas[i] = extentArea(kp, i * 3 * keypointCount, 3 * keypointCount);
  const boxes: (Bbox | undefined)[] = new Array(n);
  return new Detections(kind, items, gt, kp, imageId, categoryId, score, masks, areas, boxes);
}
