import { evalError } from "./errors.js";

/** A COCO image as the evaluator reads it: its id, and its size for polygons. */
export interface CocoGtImage {
  id: number;
  width?: number;
  height?: number;
}

/** A COCO category as the evaluator reads it. */
export interface CocoGtCategory {
  id: number;
  name?: string;
  keypoints?: string[];
}

/** A ground-truth annotation: the fields COCOeval reads (extra fields are ignored). */
export interface CocoGtAnnotation {
  id: number;
  image_id: number;
  category_id: number;
  area: number;
  bbox?: number[];
  iscrowd?: number | boolean;
  segmentation?: unknown;
  keypoints?: number[];
  num_keypoints?: number;
}

/** A COCO ground-truth file (instances or person_keypoints), parsed: what pycocotools' `COCO` reads. */
export interface CocoGroundTruth {
  images: CocoGtImage[];
  annotations?: CocoGtAnnotation[];
  categories?: CocoGtCategory[];
}

/** The ground truth indexed as pycocotools' `COCO.createIndex` does. */
export interface GroundTruth {
  images: Map<number, CocoGtImage>;
  /** Image ids in file order (params default to them, sorted). */
  imageIds: number[];
  /** Category ids in file order. */
  catIds: number[];
  categories: Map<number, CocoGtCategory>;
  annotations: CocoGtAnnotation[];
  /**
   * For ids used more than once only: the index of the last annotation with that id. pycocotools
   * looks annotations up by id (`anns[id]`), so the last one stands in for all of them.
   */
  lastById: Map<number, number> | undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Indexes a parsed COCO ground-truth file. Checks the structure every evaluation needs (images with
 * ids, annotations with `id`, `image_id`, `category_id`); the fields an IoU type needs are checked
 * when an annotation is evaluated.
 */
export function indexGroundTruth(gt: unknown): GroundTruth {
  if (!isObject(gt)) throw evalError("invalid_ground_truth", "ground truth", "", "a COCO object", gt);
  const images = gt.images;
  if (!Array.isArray(images)) {
    throw evalError("invalid_ground_truth", "ground truth", "/images", "an array of images", images);
  }
  const imageMap = new Map<number, CocoGtImage>();
  const imageIds: number[] = [];
  for (let i = 0; i < images.length; i++) {
    const img = images[i] as CocoGtImage;
    if (!isObject(img) || typeof img.id !== "number") {
      throw evalError(
        "invalid_ground_truth",
        "ground truth",
        `/images/${i}/id`,
        "a number",
        (img as { id?: unknown })?.id,
      );
    }
    if (!imageMap.has(img.id)) imageIds.push(img.id);
    imageMap.set(img.id, img);
  }
  const categories = gt.categories ?? [];
  if (!Array.isArray(categories)) {
    throw evalError(
      "invalid_ground_truth",
      "ground truth",
      "/categories",
      "an array of categories",
      categories,
    );
  }
  const catMap = new Map<number, CocoGtCategory>();
  const catIds: number[] = [];
  for (let i = 0; i < categories.length; i++) {
    const c = categories[i] as CocoGtCategory;
    if (!isObject(c) || typeof c.id !== "number") {
      throw evalError(
        "invalid_ground_truth",
        "ground truth",
        `/categories/${i}/id`,
        "a number",
        (c as { id?: unknown })?.id,
      );
    }
    if (!catMap.has(c.id)) catIds.push(c.id);
    catMap.set(c.id, c);
  }
  const annotations = gt.annotations ?? [];
  if (!Array.isArray(annotations)) {
    throw evalError(
      "invalid_ground_truth",
      "ground truth",
      "/annotations",
      "an array of annotations",
      annotations,
    );
  }
  // ids almost always come in increasing order, and then none repeats: the map of seen ids is only
  // built when they do not
  let ascending = true;
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < annotations.length; i++) {
    const a = annotations[i] as CocoGtAnnotation;
    if (!isObject(a))
      throw evalError("invalid_ground_truth", "ground truth", `/annotations/${i}`, "an object", a);
    // three plain tests: a literal key list here would allocate once per annotation
    if (typeof a.id !== "number" || typeof a.image_id !== "number" || typeof a.category_id !== "number") {
      const key =
        typeof a.id !== "number" ? "id" : typeof a.image_id !== "number" ? "image_id" : "category_id";
      throw evalError("invalid_ground_truth", "ground truth", `/annotations/${i}/${key}`, "a number", a[key]);
    }
    if (ascending) {
      if (a.id > previous) previous = a.id;
      else ascending = false;
    }
  }
  return {
    images: imageMap,
    imageIds,
    catIds,
    categories: catMap,
    annotations: annotations as CocoGtAnnotation[],
    lastById: ascending ? undefined : reusedIds(annotations as CocoGtAnnotation[]),
  };
}

// For each id used more than once, the index of its last annotation (undefined if none repeats).
function reusedIds(annotations: CocoGtAnnotation[]): Map<number, number> | undefined {
  const seen = new Set<number>();
  let lastById: Map<number, number> | undefined;
  for (let i = 0; i < annotations.length; i++) {
    const id = (annotations[i] as CocoGtAnnotation).id;
    if (seen.has(id)) {
      lastById ??= new Map();
      lastById.set(id, i);
    }
    seen.add(id);
  }
  return lastById;
}
