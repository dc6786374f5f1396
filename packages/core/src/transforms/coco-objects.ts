import type { Annotation } from "../model/types.js";

/**
 * Groups model annotations back into the COCO objects they came from: shapes sharing a non-zero
 * `group` (or, with group 0, the same `id`) form one object, as export merges them.
 */
export function groupCocoObjects(annotations: readonly Annotation[]): Annotation[][] {
  const objects = new Map<string, Annotation[]>();
  for (const annotation of annotations) {
    const key = annotation.group !== 0 ? `g${annotation.group}` : `a${annotation.id}`;
    const object = objects.get(key);
    if (object === undefined) objects.set(key, [annotation]);
    else object.push(annotation);
  }
  return [...objects.values()];
}

/**
 * The area of a COCO object: the `area` read from the file while it is set, otherwise the area of
 * its geometry (mask pixels, then polygon surface, then box), or undefined when it has no geometry.
 */
export function objectArea(object: readonly Annotation[]): number | undefined {
  const stored = object.find((a) => a.area !== undefined)?.area;
  if (stored !== undefined) return stored;
  let masks = 0;
  let polygons = 0;
  let box: number | undefined;
  for (const annotation of object) {
    if (annotation.type === "mask") masks += maskPixels(annotation.rle.counts);
    else if (annotation.type === "polygon") polygons += polygonArea(annotation.points);
    else if (annotation.type === "bbox") box = annotation.bbox[2] * annotation.bbox[3];
  }
  if (masks > 0) return masks;
  if (polygons > 0) return polygons;
  return box;
}

/** True when the object is marked `is_crowd`. */
export function isCrowdObject(object: readonly Annotation[]): boolean {
  return object.some((a) => a.attributes.is_crowd === true);
}

// Odd runs of an uncompressed RLE are the foreground (the first run counts zeros).
function maskPixels(counts: Uint32Array): number {
  let sum = 0;
  for (let i = 1; i < counts.length; i += 2) sum += counts[i] ?? 0;
  return sum;
}

// Shoelace formula on a flat [x0, y0, x1, y1, …] ring.
function polygonArea(points: readonly number[]): number {
  const n = Math.floor(points.length / 2);
  let twice = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    twice +=
      (points[2 * i] ?? 0) * (points[2 * j + 1] ?? 0) - (points[2 * j] ?? 0) * (points[2 * i + 1] ?? 0);
  }
  return Math.abs(twice) / 2;
}
