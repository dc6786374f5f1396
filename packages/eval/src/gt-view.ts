import { type Bbox, fromSegmentation, type Rle } from "@cocokit/rle";
import { evalError } from "./errors.js";
import type { CocoGtAnnotation, GroundTruth } from "./ground-truth.js";
import { allNumbers, copyNumbers } from "./load-results.js";
import type { IouType } from "./params.js";

/** The fields COCOeval reads from a ground-truth annotation, checked and cached on first use. */
export interface GtView {
  area(i: number): number;
  /** pycocotools' `ignore`: crowd, or (keypoints) `num_keypoints == 0`. */
  ignore(i: number): boolean;
  /** The crowd flag the IoU uses (`int(iscrowd)`); a missing `iscrowd` counts as 0. */
  crowd(i: number): boolean;
  id(i: number): number;
  box(i: number): Bbox;
  mask(i: number): Rle;
  /** Checks annotation i's keypoints (`3 * keypointCount` numbers) and copies them into `out`. */
  keypoints(i: number, out: Float64Array): void;
  /** Forgets the decoded mask of annotation i. */
  release(i: number): void;
}

function fail(i: number, field: string, expected: string, found: unknown, cause?: unknown): never {
  throw evalError(
    "invalid_ground_truth",
    "ground truth",
    `/annotations/${i}/${field}`,
    expected,
    found,
    cause,
  );
}

/** A view of the ground truth's annotations for one IoU type; `keypointCount` is the sigmas' length. */
export function gtView(gt: GroundTruth, iouType: IouType, keypointCount: number): GtView {
  const anns = gt.annotations;
  const masks: (Rle | undefined)[] = new Array(anns.length);
  const get = (i: number): CocoGtAnnotation => anns[i] as CocoGtAnnotation;
  return {
    area(i) {
      const a = get(i).area;
      if (typeof a !== "number") fail(i, "area", "a number", a);
      return a;
    },
    ignore(i) {
      const a = get(i);
      if (iouType === "keypoints") {
        if (typeof a.num_keypoints !== "number") fail(i, "num_keypoints", "a number", a.num_keypoints);
        if (a.num_keypoints === 0) return true;
      }
      return Boolean(a.iscrowd);
    },
    crowd(i) {
      return Boolean(get(i).iscrowd);
    },
    id(i) {
      return get(i).id;
    },
    box(i) {
      const b = get(i).bbox;
      if (!Array.isArray(b) || b.length !== 4 || !allNumbers(b)) {
        fail(i, "bbox", "[x, y, width, height]", b);
      }
      return b as Bbox;
    },
    mask(i) {
      let m = masks[i];
      if (m !== undefined) return m;
      const a = get(i);
      const seg = a.segmentation;
      if (seg === undefined || seg === null) fail(i, "segmentation", "polygons or an RLE", seg);
      const img = gt.images.get(a.image_id)!;
      try {
        m = fromSegmentation(seg as number[][], img.height ?? Number.NaN, img.width ?? Number.NaN);
      } catch (error) {
        fail(i, "segmentation", "a mask its image's size can hold", seg, error);
      }
      masks[i] = m;
      return m;
    },
    release(i) {
      masks[i] = undefined;
    },
    keypoints(i, out) {
      const k = get(i).keypoints;
      if (!Array.isArray(k) || k.length !== 3 * keypointCount || !copyNumbers(k, out, 0)) {
        fail(i, "keypoints", `${keypointCount} keypoints (${3 * keypointCount} numbers)`, k);
      }
    },
  };
}
