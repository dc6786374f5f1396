import { type Bbox, fromSegmentation, type Rle, area as rleArea, toBbox } from "@cocokit/rle";
import { evalError } from "./errors.js";
import type { GroundTruth } from "./ground-truth.js";
import type { CocoResult, ResultKind } from "./load-results.js";

/** np.min / np.max of the points' x and y: `[x0, y0, x1 - x0, y1 - y0]` into `out`. */
function keypointExtent(k: number[], out: Float64Array): void {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < k.length; j += 3) {
    const x = k[j] as number;
    const y = k[j + 1] as number;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  out[0] = x0;
  out[1] = y0;
  out[2] = x1 - x0;
  out[3] = y1 - y0;
}

/**
 * Detections as pycocotools' `loadRes` leaves them: ids 1..n in list order, `area` and `bbox`
 * assigned by kind, masks decoded on first use. A class, not an object of closures, so that the
 * code V8 optimised for its methods in one evaluation serves the next.
 */
export class Detections {
  readonly count: number;
  private readonly ext = new Float64Array(4);
  constructor(
    readonly kind: ResultKind,
    readonly items: readonly CocoResult[],
    private readonly gt: GroundTruth,
    /**
     * Every result's keypoints, `3 * keypointCount` numbers each (`[x0, y0, v0, x1, …]` at
     * `i * 3 * keypointCount`), copied once from the JSON arrays when evaluating keypoints: OKS
     * then reads one typed array instead of thousands of small ones.
     */
    readonly keypoints: Float64Array | undefined,
    readonly imageId: Float64Array,
    readonly categoryId: Float64Array,
    readonly score: Float64Array,
    private readonly masks: (Rle | undefined)[],
    /** Known areas, NaN until computed. */
    private readonly areas: Float64Array,
    private readonly boxes: (Bbox | undefined)[],
  ) {
    this.count = items.length;
  }
  /** The mask: the segmentation (polygons rasterised at the image's size), or the box as a polygon. */
  mask(i: number): Rle {
    let m = this.masks[i];
    if (m !== undefined) return m;
    const r = this.items[i] as CocoResult;
    const image = this.gt.images.get(r.image_id)!;
    let seg = r.segmentation;
    if (seg === undefined) {
      // loadRes gives box results the box as a polygon: (x1,y1),(x1,y2),(x2,y2),(x2,y1).
      const [x, y, w, h] = r.bbox as number[] as Bbox;
      seg = [[x, y, x, y + h, x + w, y + h, x + w, y]];
    }
    try {
      m = fromSegmentation(seg as number[][], image.height ?? Number.NaN, image.width ?? Number.NaN);
    } catch (error) {
      throw evalError("invalid_results", "results", `/${i}/segmentation`, "a valid mask", seg, error);
    }
    this.masks[i] = m;
    return m;
  }
  /** `area` as loadRes assigns it (mask area for segm results, box area for boxes). */
  area(i: number): number {
    const a = this.areas[i] as number;
    if (!Number.isNaN(a)) return a;
    const r = this.items[i] as CocoResult;
    let v: number;
    if (this.kind === "bbox") {
      const b = r.bbox as number[];
      v = (b[2] as number) * (b[3] as number);
    } else if (this.kind === "segm") {
      v = rleArea(this.mask(i));
    } else {
      // the box's area without making the box: keypoint evaluation never reads detection boxes
      keypointExtent(r.keypoints as number[], this.ext);
      v = (this.ext[2] as number) * (this.ext[3] as number);
    }
    this.areas[i] = v;
    return v;
  }
  /** The box: given, or the mask's `toBbox`, or the keypoints' extent. */
  box(i: number): Bbox {
    let b = this.boxes[i];
    if (b !== undefined) return b;
    const r = this.items[i] as CocoResult;
    if (this.kind !== "keypoints" && r.bbox !== undefined) b = r.bbox as number[] as Bbox;
    else if (this.kind === "segm") b = toBbox(this.mask(i));
    else {
      // keypoints (loadRes overwrites any given bbox): the extent of every point, visible or not
      const ext = this.ext;
      keypointExtent(r.keypoints as number[], ext);
      b = [ext[0] as number, ext[1] as number, ext[2] as number, ext[3] as number];
    }
    this.boxes[i] = b;
    return b;
  }
  /** Forgets the decoded mask of detection i (its area and box stay known). */
  release(i: number): void {
    this.masks[i] = undefined;
  }
}
