import type { Bbox, Rle } from "@cocokit/rle";

/** The seven COCO task files (`<task>_<subset>.json`). */
export type CocoTask =
  | "instances"
  | "person_keypoints"
  | "captions"
  | "labels"
  | "image_info"
  | "panoptic"
  | "stuff";

/** Fields of a COCO object that the model does not interpret, kept verbatim so a round trip loses nothing. */
export type ExtraFields = Record<string, unknown>;

/**
 * Where a model object came from: the file, the top-level list and the index of the COCO record
 * it was read from. Plain data (it survives `structuredClone` and `postMessage`); import shares
 * the `file` and `list` strings between records, so one per annotation stays cheap.
 * `sourcePointer(source)` gives its JSON pointer (`/annotations/12`).
 */
export interface SourceRef {
  file: string;
  /** The top-level array the record is in. */
  list: "images" | "annotations" | "categories" | (string & {});
  /** The record's index in that array. */
  index: number;
}

/** A COCO category. Ids are kept exactly as the file has them, 0 included. */
export interface Category {
  id: number;
  name: string;
  /** As the file has it; `null` is kept (LVIS and some exporters write it). */
  supercategory?: string | null;
  /** Keypoint names, in order (person_keypoints). */
  keypoints?: string[];
  /** Pairs of keypoint indices as the file writes them (COCO's are 1-based). */
  skeleton?: [number, number][];
  /** Other fields of the category object (`isthing`, `color`, …). */
  extra?: ExtraFields;
  /**
   * The task files that declared this category, each with the fields its record had, in order
   * (`{ instances: ["id", "name", "supercategory"], person_keypoints: ["id", "name", …, "skeleton"] }`).
   * Export writes the category into those files with those fields (and any field added since);
   * undefined for a category made in code, which goes to every file that needs it.
   */
  declaredIn?: Partial<Record<CocoTask, string[]>>;
}

/** The image an item stands for, as its COCO `images[]` entry describes it. */
export interface ImageInfo {
  /** COCO `file_name`: a relative path, directories kept. */
  fileName: string;
  width?: number;
  height?: number;
  /** Other fields of the image entry (`license`, `coco_url`, `flickr_url`, `date_captured`, …). */
  extra?: ExtraFields;
}

/**
 * The image file an item's bytes are in (found beside the annotations in a zip or a directory).
 * Plain data: the bytes come from a `MediaFiles` side table (`ImportResult.mediaFiles`), which
 * export takes as `ExportOptions.media`.
 */
export interface MediaRef {
  /** Path of the file inside the archive or directory it was found in: the key in `MediaFiles`. */
  path: string;
  /** Size in bytes, when known without reading. */
  size?: number;
}

/** One image with its annotations. */
export interface Item {
  /** The COCO image id. Unique within a subset; different subsets may reuse ids. */
  id: number;
  subset: string;
  image: ImageInfo;
  annotations: Annotation[];
  /** Free-form item attributes (not written to COCO files). */
  attributes: Record<string, unknown>;
  media?: MediaRef;
  source?: SourceRef;
}

/**
 * What every annotation has. One COCO annotation object can become several model annotations
 * (a bbox, one polygon per part, keypoints); they share `id`, `group`, `categoryId`, `attributes`
 * and `area`, and export merges a group back into one COCO annotation.
 */
export interface AnnotationBase {
  /** The COCO annotation id, 0 included (Roboflow numbers from 0); 0 for a new annotation or a record without one. */
  id: number;
  /** The COCO category id; undefined for an annotation without a label (captions). */
  categoryId?: number;
  /**
   * Shapes with the same non-zero group form one COCO object; 0 = on its own (see
   * `groupCocoObjects`). Import gives the shapes of each record a group of their own, unique in
   * the item; ids never group.
   */
  group: number;
  /** `is_crowd` (boolean), `score` (number), and the entries of the COCO `attributes` object. */
  attributes: Record<string, unknown>;
  /**
   * The object's area: the COCO `area` read from the file, or derived at import from the shapes
   * when the record had none (then `omitted` lists `"area"`). While it is set the annotation is
   * unchanged since import, and export writes the record back as it was read; code that changes
   * the geometry must delete it so export computes every derived field again.
   */
  area?: number;
  /**
   * COCO fields the source record did not have and that export could derive (`area`,
   * `num_keypoints`): an unchanged annotation is written back without them. Set by import.
   */
  omitted?: readonly ("area" | "num_keypoints")[];
  /**
   * Set by import: nothing has changed the annotation since it was read, so export writes the
   * record back as it was (same representation, same derived fields). Code that edits an
   * annotation's geometry or attributes deletes it, and export then derives everything again.
   */
  unchanged?: true;
  /** The task file it was read from, which export writes it back to by default. */
  task?: CocoTask;
  /** Other fields of the COCO annotation object, written back verbatim. */
  extra?: ExtraFields;
  source?: SourceRef;
}

/** An axis-aligned box `[x, y, width, height]` in pixels. */
export interface BboxAnnotation extends AnnotationBase {
  type: "bbox";
  bbox: Bbox;
}

/** One closed polygon, flat `[x0, y0, x1, y1, …]`, full precision. */
export interface PolygonAnnotation extends AnnotationBase {
  type: "polygon";
  points: number[];
}

/** A binary mask the size of its image, as RLE. */
export interface MaskAnnotation extends AnnotationBase {
  type: "mask";
  rle: Rle;
  /** How the source file stored the counts, so export can write them back the same way. */
  countsFormat?: "string" | "list";
}

/** Keypoints: flat `[x0, y0, …]` with one visibility per point (0 absent, 1 hidden, 2 visible). */
export interface PointsAnnotation extends AnnotationBase {
  type: "points";
  points: number[];
  visibility: number[];
}

/** A caption (captions task). */
export interface CaptionAnnotation extends AnnotationBase {
  type: "caption";
  caption: string;
}

/** An image-level label (labels task). */
export interface LabelAnnotation extends AnnotationBase {
  type: "label";
}

/** Every kind of annotation, told apart by `type`. */
export type Annotation =
  | BboxAnnotation
  | PolygonAnnotation
  | MaskAnnotation
  | PointsAnnotation
  | CaptionAnnotation
  | LabelAnnotation;

/** A COCO dataset: categories, items (images) in subsets, and the file-level fields kept for round trips. */
export interface Dataset {
  /** COCO `info`, verbatim; undefined when the source had none. */
  info?: Record<string, unknown>;
  /** COCO `licenses`, verbatim; undefined when the source had none. */
  licenses?: unknown[];
  categories: Category[];
  items: Item[];
  /** Other top-level fields of the source file, written back verbatim. */
  extra?: ExtraFields;
  /**
   * The task files the source had, with the top-level lists each had: export writes the same files
   * (an `image_info_<subset>.json` beside the others too), each with the same lists (COCO's
   * captions files have no `categories`). Undefined for a dataset made in code.
   */
  sourceFiles?: SourceTaskFile[];
}

/** One task file of an imported dataset's source: its task and subset, and which lists it had. */
export interface SourceTaskFile {
  task: CocoTask;
  subset: string;
  hasCategories: boolean;
  hasAnnotations: boolean;
}
