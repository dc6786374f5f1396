import { type Bbox, fromSegmentation, type Rle } from "@cocokit/rle";
import { evalError } from "./errors.js";
import type { CocoGtAnnotation, GroundTruth } from "./ground-truth.js";
import { allNumbers, copyNumbers } from "./load-results.js";
import type { IouType } from "./params.js";

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

/**
 * The fields COCOeval reads from a ground-truth annotation, checked and cached on first use. A
 * class, not an object of closures: its methods are the same functions in every evaluation, so
 * the code V8 optimised for one evaluation serves the next.
 */
export class GtView {
  private readonly anns: readonly CocoGtAnnotation[];
  private readonly masks: (Rle | undefined)[];
  constructor(
    private readonly gt: GroundTruth,
    private readonly iouType: IouType,
    /** The sigmas' length. */
    private readonly keypointCount: number,
  ) {
    this.anns = gt.annotations;
    this.masks = new Array(gt.annotations.length);
  }
  area(i: number): number {
    const a = (this.anns[i] as CocoGtAnnotation).area;
    if (typeof a !== "number") fail(i, "area", "a number", a);
    return a;
  }
  /** pycocotools' `ignore`: crowd, or (keypoints) `num_keypoints == 0`. */
  ignore(i: number): boolean {
    const a = this.anns[i] as CocoGtAnnotation;
    if (this.iouType === "keypoints") {
      if (typeof a.num_keypoints !== "number") fail(i, "num_keypoints", "a number", a.num_keypoints);
      if (a.num_keypoints === 0) return true;
    }
    return Boolean(a.iscrowd);
  }
  /** The crowd flag the IoU uses (`int(iscrowd)`); a missing `iscrowd` counts as 0. */
  crowd(i: number): boolean {
    return Boolean((this.anns[i] as CocoGtAnnotation).iscrowd);
  }
  id(i: number): number {
    return (this.anns[i] as CocoGtAnnotation).id;
  }
  box(i: number): Bbox {
    const b = (this.anns[i] as CocoGtAnnotation).bbox;
    if (!Array.isArray(b) || b.length !== 4 || !allNumbers(b)) fail(i, "bbox", "[x, y, width, height]", b);
    return b as Bbox;
  }
  mask(i: number): Rle {
    let m = this.masks[i];
    if (m !== undefined) return m;
    const a = this.anns[i] as CocoGtAnnotation;
    const seg = a.segmentation;
    if (seg === undefined || seg === null) fail(i, "segmentation", "polygons or an RLE", seg);
    const img = this.gt.images.get(a.image_id)!;
    try {
      m = fromSegmentation(seg as number[][], img.height ?? Number.NaN, img.width ?? Number.NaN);
    } catch (error) {
      fail(i, "segmentation", "a mask its image's size can hold", seg, error);
    }
    this.masks[i] = m;
    return m;
  }
  /** Forgets the decoded mask of annotation i. */
  release(i: number): void {
    this.masks[i] = undefined;
  }
  /** Checks annotation i's keypoints (`3 * keypointCount` numbers) and copies them into `out`. */
  keypoints(i: number, out: Float64Array): void {
    const k = (this.anns[i] as CocoGtAnnotation).keypoints;
    const n = this.keypointCount;
    if (!Array.isArray(k) || k.length !== 3 * n || !copyNumbers(k, out, 0)) {
      fail(i, "keypoints", `${n} keypoints (${3 * n} numbers)`, k);
    }
  }
}

/** A view of the ground truth's annotations for one IoU type; `keypointCount` is the sigmas' length. */
export function gtView(gt: GroundTruth, iouType: IouType, keypointCount: number): GtView {
  return new GtView(gt, iouType, keypointCount);
}
