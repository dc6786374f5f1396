import { fromCountsString, type Rle, RleError, area as rleArea } from "@cocokit/rle";
import { isObj, type Obj } from "../import/record-fields.js";
import type { Category, CocoTask, Item } from "../model/types.js";
import { described, type IssueSink } from "../validate/issue-sink.js";
import { polygonArea } from "./area.js";
import { allFiniteNumbers } from "./finite-numbers.js";

/** An annotation's own shape, before the fields it shares with the other shapes of its record. */
export type Shape =
  | { type: "caption"; caption: string }
  | { type: "bbox"; bbox: [number, number, number, number] }
  | { type: "polygon"; points: number[] }
  | { type: "mask"; rle: Rle; countsFormat: "string" | "list" }
  | { type: "points"; points: number[]; visibility: number[] }
  | { type: "label" };

// An area is "far" from the computed one beyond rasterisation noise: polygons' exact area differs
// from pycocotools' pixel count by about the perimeter, so small shapes get absolute slack.
function isFarFrom(area: number, computed: number): boolean {
  return Math.abs(area - computed) > Math.max(16, 0.2 * computed);
}

/**
 * The shapes of one annotation record (caption, bbox, polygons or mask, keypoints) without their
 * shared fields, reporting every problem found in them, plus the warnings that need the shapes:
 * a bbox outside the image, an `area` far from the shapes' area, `num_keypoints` disagreeing.
 */
export function shapesOf(
  sink: IssueSink,
  categories: ReadonlyMap<number, Category>,
  file: string,
  path: (string | number)[],
  v: Obj,
  item: Item,
  categoryId: number | undefined,
  task: CocoTask = "instances",
): { list: Shape[]; numKeypoints?: unknown; area?: number } {
  const list: Shape[] = [];
  let numKeypoints: unknown;
  if (typeof v.caption === "string") list.push({ type: "caption", caption: v.caption });
  // Only instances, stuff and keypoints records have shapes; other tasks keep such fields verbatim.
  if (task === "captions" || task === "labels") return { list };
  let bbox: [number, number, number, number] | undefined;
  if (v.bbox !== undefined) {
    const b = v.bbox;
    if (!Array.isArray(b) || b.length !== 4)
      sink.issue("invalid_bbox", file, [...path, "bbox"], "an array of 4 finite numbers", b);
    else if (!allFiniteNumbers(b))
      sink.issue(
        "invalid_bbox",
        file,
        [...path, "bbox", firstNotFinite(b)],
        "a finite number",
        b[firstNotFinite(b)],
      );
    else if ((b[2] as number) < 0 || (b[3] as number) < 0) {
      const at = (b[2] as number) < 0 ? 2 : 3;
      sink.issue(
        "invalid_bbox",
        file,
        [...path, "bbox", at],
        `a non-negative ${at === 2 ? "width" : "height"}`,
        b[at],
      );
    } else {
      bbox = b as [number, number, number, number];
      list.push({ type: "bbox", bbox });
      checkBboxInImage(sink, file, path, bbox, item);
    }
  }
  let shapeArea: number | undefined;
  const seg = v.segmentation;
  if (Array.isArray(seg)) {
    for (let p = 0; p < seg.length; p++) {
      const poly = seg[p];
      const shaped = Array.isArray(poly) && poly.length >= 6 && poly.length % 2 === 0;
      const polyArea = shaped ? polygonArea(poly) : -1;
      if (!shaped)
        sink.issue(
          "invalid_polygon",
          file,
          [...path, "segmentation", p],
          "an even count of at least 6 finite numbers",
          poly,
        );
      else if (polyArea < 0) {
        const at = firstNotFinite(poly);
        sink.issue("invalid_polygon", file, [...path, "segmentation", p, at], "a finite number", poly[at]);
      } else {
        list.push({ type: "polygon", points: poly as number[] });
        shapeArea = (shapeArea ?? 0) + polyArea;
      }
    }
  } else if (isObj(seg)) {
    const rle = rleOf(sink, file, [...path, "segmentation"], seg, item);
    if (rle) {
      list.push({ type: "mask", rle: rle.rle, countsFormat: rle.format });
      shapeArea = rleArea(rle.rle);
    }
  } else if (seg !== undefined)
    sink.issue("invalid_type", file, [...path, "segmentation"], "a list of polygons or an RLE object", seg);
  if (v.keypoints !== undefined) {
    const points = keypointsOf(sink, categories, file, path, v, categoryId);
    if (points) {
      list.push(points.shape);
      numKeypoints = points.numKeypoints;
    }
  }
  if (typeof v.area === "number") {
    const computed = shapeArea ?? (bbox && seg === undefined ? bbox[2] * bbox[3] : undefined);
    if (computed !== undefined && isFarFrom(v.area, computed))
      sink.issue(
        "area_mismatch",
        file,
        [...path, "area"],
        `about ${Math.round(computed)} (the area of the ${shapeArea === undefined ? "bbox" : "segmentation"})`,
        v.area,
        "warning",
      );
  }
  // The area export and stats use when the record has none: the shapes', else the box's.
  const area = shapeArea ?? (bbox ? bbox[2] * bbox[3] : undefined);
  const out: { list: Shape[]; numKeypoints?: unknown; area?: number } = { list };
  if (numKeypoints !== undefined) out.numKeypoints = numKeypoints;
  if (area !== undefined) out.area = area;
  return out;
}

function keypointsOf(
  sink: IssueSink,
  categories: ReadonlyMap<number, Category>,
  file: string,
  path: (string | number)[],
  v: Obj,
  categoryId: number | undefined,
): { shape: Shape; numKeypoints?: unknown } | undefined {
  const kp = v.keypoints;
  if (Array.isArray(kp) && !allFiniteNumbers(kp)) {
    const at = firstNotFinite(kp);
    sink.issue("invalid_keypoints", file, [...path, "keypoints", at], "a finite number", kp[at]);
    return undefined;
  }
  if (!Array.isArray(kp) || kp.length % 3 !== 0) {
    sink.issue("invalid_keypoints", file, [...path, "keypoints"], "a list of x, y, v triples", kp);
    return undefined;
  }
  const names = categoryId === undefined ? undefined : categories.get(categoryId)?.keypoints;
  // Datumaro's own files declare no keypoint names and still give points: nothing to check then.
  // A warning: pycocotools and COCOeval read the points whatever the names say (Human-Art writes
  // 17 points for 21 names), and the record is written back as read.
  if (names && names.length > 0 && kp.length !== 3 * names.length)
    keypointCountIssue(sink, file, path, names.length, kp.length);
  const points: number[] = [];
  const visibility: number[] = [];
  let ok = true;
  for (let k = 0; k < kp.length; k += 3) {
    const vis = kp[k + 2] as number;
    if (vis !== 0 && vis !== 1 && vis !== 2) {
      sink.issue("invalid_keypoint_visibility", file, [...path, "keypoints", k + 2], "0, 1 or 2", vis);
      ok = false;
    }
    points.push(kp[k] as number, kp[k + 1] as number);
    visibility.push(vis);
  }
  if (!ok) return undefined;
  const shape: Shape = { type: "points", points, visibility };
  const labelled = visibility.reduce((n, x) => n + (x > 0 ? 1 : 0), 0);
  if (v.num_keypoints === undefined || v.num_keypoints === labelled) return { shape };
  sink.issue(
    "num_keypoints_mismatch",
    file,
    [...path, "num_keypoints"],
    `${labelled} (labelled points)`,
    v.num_keypoints,
    "warning",
  );
  // Kept as the file had it, so the file is written back unchanged.
  return { shape, numKeypoints: v.num_keypoints };
}

/** Warns of keypoints whose count is not 3 per keypoint name of the category. */
export function keypointCountIssue(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  names: number,
  numbers: number,
): void {
  sink.issue(
    "keypoint_count_mismatch",
    file,
    [...path, "keypoints"],
    `${3 * names} numbers (3 for each of the category's ${names} keypoints)`,
    described(`${numbers} numbers`),
    "warning",
  );
}

function checkBboxInImage(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  [x, y, w, h]: [number, number, number, number],
  item: Item,
): void {
  const { width, height } = item.image;
  // Half a pixel of slack: exporters round coordinates, and COCO's own files overshoot by that much.
  const outside =
    x < -0.5 ||
    y < -0.5 ||
    (width !== undefined && x + w > width + 0.5) ||
    (height !== undefined && y + h > height + 0.5);
  if (outside)
    sink.issue(
      "bbox_out_of_bounds",
      file,
      [...path, "bbox"],
      `a box inside the ${width ?? "?"}x${height ?? "?"} image`,
      [x, y, w, h],
      "warning",
    );
}

function rleOf(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  seg: Obj,
  item: Item,
): { rle: Rle; format: "string" | "list" } | undefined {
  const size = seg.size;
  if (!Array.isArray(size) || size.length !== 2) {
    sink.issue("invalid_type", file, [...path, "size"], "[height, width]", size);
    return undefined;
  }
  const badSize = size.findIndex((x) => !(Number.isSafeInteger(x) && x >= 0));
  if (badSize >= 0) {
    sink.issue("invalid_type", file, [...path, "size", badSize], "a non-negative integer", size[badSize]);
    return undefined;
  }
  const [h, w] = size as [number, number];
  if (
    (item.image.height !== undefined && item.image.height !== h) ||
    (item.image.width !== undefined && item.image.width !== w)
  ) {
    sink.issue(
      "rle_size_mismatch",
      file,
      [...path, "size"],
      `[${item.image.height ?? "any height"}, ${item.image.width ?? "any width"}] (the image size)`,
      size,
    );
    return undefined;
  }
  const counts = seg.counts;
  if (typeof counts === "string") {
    try {
      return { rle: fromCountsString(counts, h, w), format: "string" };
    } catch (e) {
      if (!(e instanceof RleError)) throw e;
      sink.issue("invalid_rle_string", file, [...path, "counts"], "a valid compressed RLE string", counts);
      return undefined;
    }
  }
  const badRun = Array.isArray(counts) ? counts.findIndex((x) => !(Number.isSafeInteger(x) && x >= 0)) : -1;
  if (badRun >= 0) {
    sink.issue(
      "invalid_rle_counts",
      file,
      [...path, "counts", badRun],
      "a non-negative integer",
      (counts as unknown[])[badRun],
    );
    return undefined;
  }
  if (Array.isArray(counts)) {
    const sum = (counts as number[]).reduce((a, b) => a + b, 0);
    if (sum === h * w)
      return { rle: { height: h, width: w, counts: Uint32Array.from(counts as number[]) }, format: "list" };
    sink.issue(
      "invalid_rle_counts",
      file,
      [...path, "counts"],
      `counts adding up to ${h * w}`,
      described(`a sum of ${sum}`),
    );
    return undefined;
  }
  sink.issue(
    "invalid_rle_counts",
    file,
    [...path, "counts"],
    "a string or a list of non-negative integers",
    counts,
  );
  return undefined;
}

// Index of the first value that is not a finite number (the caller knows there is one).
function firstNotFinite(values: readonly unknown[]): number {
  return values.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
}
