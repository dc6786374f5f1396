// Pure geometry for the overlays: each model shape becomes SVG-ready data in image pixels.
// No React here, so the rules (keypoint visibility, skeleton indexing) are tested alone; masks are
// drawn as bitmaps (mask-bitmap.ts).
import type { Annotation, Category } from "@cocokit/core";
import type { Rle } from "@cocokit/rle";

export type Primitive =
  | { kind: "rect"; x: number; y: number; width: number; height: number }
  | { kind: "polygon"; points: string }
  | { kind: "mask"; rle: Rle }
  | { kind: "point"; x: number; y: number; filled: boolean; index: number }
  | { kind: "line"; x1: number; y1: number; x2: number; y2: number };

/**
 * Skeleton pairs as 0-based indices: COCO's are 1-based, some converters write 0-based; a pair
 * holding 0 means the whole skeleton is 0-based (core's `skeletonProblem` reads it the same way).
 */
export function skeletonPairs(skeleton: readonly (readonly number[])[] | undefined): [number, number][] {
  if (!skeleton?.length) return [];
  const zeroBased = skeleton.some((pair) => pair.includes(0));
  const shift = zeroBased ? 0 : 1;
  return skeleton.filter((p) => p.length === 2).map(([a, b]) => [a! - shift, b! - shift]);
}

/** Keypoints: v=0 is hidden (not drawn), v=1 hollow, v=2 filled; edges only between drawn points. */
export function keypointPrimitives(
  points: readonly number[],
  visibility: readonly number[],
  category?: Category,
): Primitive[] {
  const out: Primitive[] = [];
  const visible = (i: number) => (visibility[i] ?? 0) > 0 && i * 2 + 1 < points.length;
  for (const [a, b] of skeletonPairs(category?.skeleton)) {
    if (!visible(a) || !visible(b)) continue;
    out.push({
      kind: "line",
      x1: points[a * 2]!,
      y1: points[a * 2 + 1]!,
      x2: points[b * 2]!,
      y2: points[b * 2 + 1]!,
    });
  }
  for (let i = 0; i * 2 + 1 < points.length; i++) {
    if (!visible(i)) continue;
    out.push({
      kind: "point",
      x: points[i * 2]!,
      y: points[i * 2 + 1]!,
      filled: visibility[i] === 2,
      index: i,
    });
  }
  return out;
}

/** What to draw for one shape; captions and labels draw nothing. */
export function primitivesOf(shape: Annotation, category?: Category): Primitive[] {
  switch (shape.type) {
    case "bbox": {
      const [x, y, width, height] = shape.bbox;
      return [{ kind: "rect", x, y, width, height }];
    }
    case "polygon": {
      const pairs: string[] = [];
      for (let i = 0; i + 1 < shape.points.length; i += 2)
        pairs.push(`${shape.points[i]},${shape.points[i + 1]}`);
      return [{ kind: "polygon", points: pairs.join(" ") }];
    }
    case "mask":
      return shape.rle.width > 0 && shape.rle.height > 0 ? [{ kind: "mask", rle: shape.rle }] : [];
    case "points":
      return keypointPrimitives(shape.points, shape.visibility, category);
    default:
      return [];
  }
}
