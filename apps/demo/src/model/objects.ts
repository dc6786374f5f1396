// COCO objects of an image: core's model splits one COCO annotation into shapes sharing an id
// (a box beside its polygon); the page draws and counts whole objects, as the file lists them.
import { type Annotation, groupCocoObjects, type Item, isCrowdObject } from "@cocokit/core";

/** One COCO annotation of an image: its shapes and what the inspector shows. */
export interface CocoObject {
  /** The annotation id (the key of its overlay). */
  id: number;
  categoryId: number | undefined;
  shapes: readonly Annotation[];
  bbox: [number, number, number, number] | undefined;
  area: number | undefined;
  iscrowd: boolean;
  /** The detection `score`, when the record had one. */
  score: number | undefined;
  /** The other attributes (CVAT's `attributes` object), without `is_crowd` and `score`. */
  attributes: Record<string, unknown>;
}

/** The COCO objects of an image, in the order of their first shape. Captions and labels are not drawn. */
export function objectsOf(item: Item): CocoObject[] {
  return groupCocoObjects(item.annotations).map((shapes) => {
    const first = shapes[0]!;
    const box = shapes.find((s) => s.type === "bbox");
    return {
      id: first.id,
      categoryId: first.categoryId,
      shapes,
      bbox: box?.type === "bbox" ? [...box.bbox] : undefined,
      area: shapes.find((s) => s.area !== undefined)?.area,
      iscrowd: isCrowdObject(shapes),
      score: typeof first.attributes.score === "number" ? first.attributes.score : undefined,
      attributes: Object.fromEntries(
        Object.entries(first.attributes).filter(([name]) => name !== "is_crowd" && name !== "score"),
      ),
    };
  });
}
