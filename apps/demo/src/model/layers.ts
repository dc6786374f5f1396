// What the image view draws: kinds of shape (B boxes, M masks and polygons, K keypoints), the
// categories switched off, and the fill opacity. Pure, so the toggles are tested without a page.
import type { Annotation } from "@cocokit/core";
import type { CocoObject } from "./objects.js";

export type ShapeKind = "boxes" | "masks" | "keypoints";

export const SHAPE_KINDS: readonly ShapeKind[] = ["boxes", "masks", "keypoints"];

/** The key that toggles each kind (the B, M, K). */
export const KIND_KEYS: Readonly<Record<string, ShapeKind>> = { b: "boxes", m: "masks", k: "keypoints" };

export interface Layers {
  /** Kinds drawn. */
  kinds: ReadonlySet<ShapeKind>;
  /** Category ids not drawn. */
  hiddenCategories: ReadonlySet<number>;
  /** Multiplies the fill opacity of polygons and masks, 0…1. */
  opacity: number;
}

export const ALL_LAYERS: Layers = { kinds: new Set(SHAPE_KINDS), hiddenCategories: new Set(), opacity: 1 };

/** The kind a shape is drawn as; captions and labels are not drawn. */
export function kindOf(shape: Annotation): ShapeKind | undefined {
  switch (shape.type) {
    case "bbox":
      return "boxes";
    case "polygon":
    case "mask":
      return "masks";
    case "points":
      return "keypoints";
    default:
      return undefined;
  }
}

/** The objects as drawn: hidden categories left out, and of the others only the shapes of drawn kinds. */
export function visibleObjects(objects: readonly CocoObject[], layers: Layers): CocoObject[] {
  const out: CocoObject[] = [];
  for (const object of objects) {
    if (object.categoryId !== undefined && layers.hiddenCategories.has(object.categoryId)) continue;
    const shapes = object.shapes.filter((shape) => {
      const kind = kindOf(shape);
      return kind !== undefined && layers.kinds.has(kind);
    });
    if (shapes.length > 0) out.push(shapes.length === object.shapes.length ? object : { ...object, shapes });
  }
  return out;
}

/** The set with `value` added when it was absent, removed when present. */
export function toggled<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (!next.delete(value)) next.add(value);
  return next;
}
