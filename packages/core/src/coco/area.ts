import { area as rleArea } from "@cocokit/rle";
import type { Annotation } from "../model/types.js";
import { allFiniteNumbers } from "./finite-numbers.js";

/**
 * Shoelace area of a polygon `[x0, y0, x1, y1, …]` of an even count of at least 6 values, or -1
 * when a value is not a finite number: the check and the area in one pass, because validation
 * runs it over every coordinate of a file. A polygon whose finite coordinates overflow the sum
 * gives Infinity (it is valid; only non-finite coordinates are not).
 */
export function polygonArea(xy: readonly unknown[]): number {
  const n = xy.length;
  let twice = 0;
  for (let i = 0; i < n; i += 2) {
    const x = xy[i];
    const y = xy[i + 1];
    if (typeof x !== "number" || typeof y !== "number") return -1;
    const j = i + 2 < n ? i + 2 : 0;
    twice += x * (xy[j + 1] as number) - (xy[j] as number) * y;
  }
  if (twice - twice !== 0) return allFiniteNumbers(xy) ? Number.POSITIVE_INFINITY : -1;
  return Math.abs(twice) / 2;
}

/** Geometric area of one shape: box w·h, polygon shoelace, mask pixel count; 0 for other kinds. */
export function shapeArea(a: Annotation): number {
  if (a.type === "bbox") return a.bbox[2] * a.bbox[3];
  if (a.type === "mask") return rleArea(a.rle);
  if (a.type === "polygon") return Math.max(0, polygonArea(a.points));
  return 0;
}

/**
 * The area of a COCO object: the `area` it carries (read from the file, or derived at import when
 * the file had none) while it is set, otherwise that of its geometry (mask pixels, then polygon
 * surface, then box), or undefined when it has no geometry.
 */
export function objectArea(object: readonly Annotation[]): number | undefined {
  const stored = object.find((a) => a.area !== undefined)?.area;
  if (stored !== undefined) return stored;
  let masks = 0;
  let polygons = 0;
  let box: number | undefined;
  for (const a of object) {
    if (a.type === "mask") masks += shapeArea(a);
    else if (a.type === "polygon") polygons += shapeArea(a);
    else if (a.type === "bbox") box = shapeArea(a);
  }
  if (masks > 0) return masks;
  if (polygons > 0) return polygons;
  return box;
}

/**
 * The area of a COCO annotation record without building its shapes (streaming stats): its
 * `area` when it has one, else its polygons' (shoelace), an uncompressed RLE's pixel count, or its
 * box's; undefined when it has none of these.
 */
export function recordArea(record: Record<string, unknown>): number | undefined {
  const area = record.area;
  if (typeof area === "number" && Number.isFinite(area)) return area;
  const seg = record.segmentation;
  if (Array.isArray(seg) && seg.length > 0) {
    let sum = 0;
    for (const p of seg) sum += Array.isArray(p) ? Math.max(0, polygonArea(p)) : 0;
    return sum;
  }
  if (typeof seg === "object" && seg !== null && Array.isArray((seg as { counts?: unknown }).counts)) {
    const counts = (seg as { counts: unknown[] }).counts;
    let sum = 0;
    for (let i = 1; i < counts.length; i += 2)
      sum += typeof counts[i] === "number" ? (counts[i] as number) : 0;
    return sum;
  }
  const bbox = record.bbox;
  if (Array.isArray(bbox) && typeof bbox[2] === "number" && typeof bbox[3] === "number")
    return bbox[2] * bbox[3];
  return undefined;
}
