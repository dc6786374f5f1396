import { evalError } from "./errors.js";

/** What is compared: boxes, masks, or keypoints (by OKS). */
export type IouType = "bbox" | "segm" | "keypoints";

/** COCOeval's parameters, as pycocotools' `Params` names them (camelCase for `kpt_oks_sigmas`). */
export interface EvalParams {
  iouType: IouType;
  /** Image ids evaluated: sorted and unique (default: every image of the ground truth). */
  imgIds: number[];
  /** Category ids: sorted and unique when `useCats` (default: every category of the ground truth). */
  catIds: number[];
  /** IoU thresholds T (default 0.5:0.05:0.95, exactly numpy's `linspace`). */
  iouThrs: number[];
  /** Recall thresholds R (default 0:0.01:1). */
  recThrs: number[];
  /** Detections kept per image M, sorted ascending (default [1, 10, 100]; keypoints [20]). */
  maxDets: number[];
  /** Object area ranges A as [min, max], both inclusive. */
  areaRng: [number, number][];
  /** Names of the area ranges, used by the summary ("all", "small", "medium", "large"). */
  areaRngLbl: string[];
  /** False pools every category together, as in proposal scoring. */
  useCats: boolean;
  /** Per-keypoint OKS sigmas (default COCO's 17 person sigmas); keypoints only. */
  kptOksSigmas: number[];
}

/** numpy's `linspace(start, stop, num)`: `start + i * step`, the last value exactly `stop`. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(i * step + start);
  out[num - 1] = stop;
  return out;
}

/** COCO's 17 person keypoint sigmas (pycocotools divides the published values by 10). */
export const COCO_KEYPOINT_SIGMAS: readonly number[] = [
  0.26, 0.25, 0.25, 0.35, 0.35, 0.79, 0.79, 0.72, 0.72, 0.62, 0.62, 1.07, 1.07, 0.87, 0.87, 0.89, 0.89,
].map((s) => s / 10);

/** pycocotools' default parameters for an IoU type, without image and category ids. */
export function defaultParams(iouType: IouType): EvalParams {
  const keypoints = iouType === "keypoints";
  return {
    iouType,
    imgIds: [],
    catIds: [],
    // np.linspace(.5, 0.95, round((0.95 - .5) / .05) + 1): 10 values; (0.95 - 0.5) is the step source.
    iouThrs: linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1),
    recThrs: linspace(0, 1, Math.round(1 / 0.01) + 1),
    maxDets: keypoints ? [20] : [1, 10, 100],
    areaRng: keypoints
      ? [
          [0, 1e10],
          [32 ** 2, 96 ** 2],
          [96 ** 2, 1e10],
        ]
      : [
          [0, 1e10],
          [0, 32 ** 2],
          [32 ** 2, 96 ** 2],
          [96 ** 2, 1e10],
        ],
    areaRngLbl: keypoints ? ["all", "medium", "large"] : ["all", "small", "medium", "large"],
    useCats: true,
    kptOksSigmas: [...COCO_KEYPOINT_SIGMAS],
  };
}

function numbers(value: unknown, name: string, integers = false): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "number" && !Number.isNaN(v))) {
    throw evalError("invalid_params", "params", `/${name}`, "an array of numbers", value);
  }
  if (integers && !value.every((v) => Number.isInteger(v) && v > 0)) {
    throw evalError("invalid_params", "params", `/${name}`, "positive integers", value);
  }
  return [...value];
}

const ascending = (a: number, b: number) => a - b;
/** Sorted unique values. Ids usually come sorted already: then a copy (with a Set's -0 → 0), no sort. */
function unique(values: number[]): number[] {
  let sorted = true;
  for (let i = 1; i < values.length && sorted; i++)
    sorted = (values[i - 1] as number) < (values[i] as number);
  if (sorted) return values.map((v) => (v === 0 ? 0 : v));
  return [...new Set(values)].sort(ascending);
}

/**
 * The parameters an evaluation runs with: pycocotools' defaults for the IoU type, overridden by
 * `overrides`, then normalised as `COCOeval.evaluate` does (`imgIds` unique and sorted, `catIds` too
 * when `useCats`, `maxDets` sorted). `allImgIds`/`allCatIds` are the ground truth's, the defaults.
 */
export function resolveParams(
  iouType: IouType,
  overrides: Partial<Omit<EvalParams, "iouType">> | undefined,
  allImgIds: readonly number[],
  allCatIds: readonly number[],
): EvalParams {
  if (iouType !== "bbox" && iouType !== "segm" && iouType !== "keypoints") {
    throw evalError("invalid_params", "params", "/iouType", '"bbox", "segm" or "keypoints"', iouType);
  }
  const p = defaultParams(iouType);
  const o = overrides ?? {};
  const useCats = o.useCats === undefined ? true : o.useCats;
  if (typeof useCats !== "boolean")
    throw evalError("invalid_params", "params", "/useCats", "a boolean", useCats);
  const catIds = o.catIds === undefined ? unique([...allCatIds]) : numbers(o.catIds, "catIds");
  const areaRng = o.areaRng ?? p.areaRng;
  if (
    !Array.isArray(areaRng) ||
    !areaRng.every((r) => Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === "number"))
  ) {
    throw evalError("invalid_params", "params", "/areaRng", "an array of [min, max] pairs", areaRng);
  }
  const areaRngLbl = o.areaRngLbl ?? p.areaRngLbl;
  if (!Array.isArray(areaRngLbl) || !areaRngLbl.every((l) => typeof l === "string")) {
    throw evalError("invalid_params", "params", "/areaRngLbl", "an array of strings", areaRngLbl);
  }
  const maxDets = numbers(o.maxDets ?? p.maxDets, "maxDets", true).sort(ascending);
  if (maxDets.length === 0)
    throw evalError("invalid_params", "params", "/maxDets", "at least one value", maxDets);
  const iouThrs = numbers(o.iouThrs ?? p.iouThrs, "iouThrs");
  const recThrs = numbers(o.recThrs ?? p.recThrs, "recThrs");
  return {
    iouType,
    imgIds: unique(o.imgIds === undefined ? [...allImgIds] : numbers(o.imgIds, "imgIds")),
    // Like pycocotools, ids are made unique only when categories are used; pooled ids keep their order.
    catIds: useCats ? unique(catIds) : catIds,
    iouThrs,
    recThrs,
    maxDets,
    areaRng: areaRng.map((r) => [r[0], r[1]] as [number, number]),
    areaRngLbl: [...areaRngLbl],
    useCats,
    kptOksSigmas: numbers(o.kptOksSigmas ?? p.kptOksSigmas, "kptOksSigmas"),
  };
}
