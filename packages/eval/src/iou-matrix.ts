import { type Bbox, bboxIou, iou, type Rle } from "@cocokit/rle";
import type { GtView } from "./gt-view.js";
import type { Detections } from "./load-results.js";

/**
 * IoU of a cell's detections `dts[ds..de)` (rows, in score order) against its ground truths `gts[gs..ge)` (columns, in cell
 * order), row-major D × G, as pycocotools' `computeIoU`: boxes or masks through `@cocokit/rle`
 * (crowd gts divide by the detection's area). Empty when either side is empty.
 */
export function cellIou(
  type: "bbox" | "segm",
  dt: Detections,
  gt: GtView,
  dts: Int32Array,
  ds: number,
  de: number,
  gts: Int32Array,
  gs: number,
  ge: number,
): Float64Array {
  const D = de - ds;
  const G = ge - gs;
  if (D === 0 || G === 0) return new Float64Array(0);
  const crowd: boolean[] = new Array(G);
  for (let j = 0; j < G; j++) crowd[j] = gt.crowd(gts[gs + j] as number);
  if (type === "bbox") {
    const d: Bbox[] = new Array(D);
    const g: Bbox[] = new Array(G);
    for (let i = 0; i < D; i++) d[i] = dt.box(dts[ds + i] as number);
    for (let j = 0; j < G; j++) g[j] = gt.box(gts[gs + j] as number);
    return bboxIou(d, g, crowd);
  }
  const d: Rle[] = new Array(D);
  const g: Rle[] = new Array(G);
  for (let i = 0; i < D; i++) d[i] = dt.mask(dts[ds + i] as number);
  for (let j = 0; j < G; j++) g[j] = gt.mask(gts[gs + j] as number);
  return iou(d, g, crowd);
}
