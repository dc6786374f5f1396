import { checkAnnotationFields, checkHasShape } from "../coco/annotation-fields.js";
import { shapesOf } from "../coco/annotation-shapes.js";
import { iscrowdOfRecord } from "../coco/crowd.js";
import { checkId, checkObject } from "../coco/ids.js";
import type { Annotation, CocoTask, SourceRef } from "../model/types.js";
import type { FileState } from "./file-state.js";
import type { Importer } from "./importer.js";
import { extraOf, isObj, type Obj } from "./record-fields.js";

const ANNOTATION_KEYS = new Set([
  "id",
  "image_id",
  "category_id",
  "bbox",
  "segmentation",
  "area",
  "iscrowd",
  "score",
  "attributes",
  "keypoints",
  "num_keypoints",
  "caption",
]);
// The fields a caption or label record's model holds; the rest (a bbox, say) stays verbatim.
const SIMPLE_KEYS = new Set(["id", "image_id", "category_id", "score", "attributes", "caption"]);

// Shared, so 800k records without `area` hold no list each.
const OMIT_AREA = Object.freeze(["area"] as const);
const OMIT_NUM_KEYPOINTS = Object.freeze(["num_keypoints"] as const);
const OMIT_BOTH = Object.freeze(["area", "num_keypoints"] as const);

/**
 * Checks one annotation record of an instances, person_keypoints, captions, labels or stuff
 * file and, when the model is kept, adds its shapes to the item it names. Every problem of the
 * record is reported before it is skipped. The shapes of one record share a group of their own,
 * its id (0 included), label, attributes and area; what the file did not have is remembered in
 * `omitted`, so an unchanged record is written back exactly as it was read.
 */
export function readAnnotation(imp: Importer, state: FileState, index: number, v: unknown): undefined {
  const file = state.name;
  const task = state.taskFor(v);
  const path = ["annotations", index];
  if (!checkObject(imp, file, path, v)) return void imp.skipped++;
  const item = imp.imageOf(file, state.subset, path, v);
  if (!item) return;
  const errorsBefore = imp.report.errorCount;
  // Captions may lack ids (some tools write none); every other task needs one.
  if (!(v.id === undefined && task === "captions")) {
    if (checkId(imp, file, path, v, "id", "an integer annotation id"))
      imp.uniqueAnnotationId(file, path, v.id as number);
  }
  const categoryId = categoryOf(imp, state, task, path, index, v);
  checkAnnotationFields(imp, file, path, v, task);
  const shapes = shapesOf(imp, imp.categories, file, path, v, item, categoryId, task);
  if (imp.report.errorCount === errorsBefore) checkHasShape(imp, file, path, v, task);
  if (imp.report.errorCount > errorsBefore) return void imp.skipped++;
  if (!imp.keep) return;
  const instanceLike = task !== "captions" && task !== "labels";
  const attributes: Obj = isObj(v.attributes) ? { ...v.attributes } : {};
  if (instanceLike && v.iscrowd !== undefined) attributes.is_crowd = iscrowdOfRecord(v.iscrowd);
  if (typeof v.score === "number") attributes.score = v.score;
  let extra = extraOf(v, instanceLike ? ANNOTATION_KEYS : SIMPLE_KEYS);
  // A caption's undeclared category_id is not a label: kept verbatim (COCO's files write 0).
  if (categoryId === undefined && v.category_id !== undefined)
    extra = { category_id: v.category_id, ...extra };
  if (shapes.numKeypoints !== undefined) extra = { ...extra, num_keypoints: shapes.numKeypoints };
  // What the model cannot tell apart is kept as the file wrote it: an empty `segmentation: []`
  // (a box-only annotation; without it the file had no segmentation) and an empty `attributes: {}`.
  if (Array.isArray(v.segmentation) && v.segmentation.length === 0) extra = { ...extra, segmentation: [] };
  // `iscrowd: false` (PoseTrack) means what 0 does; kept so the record is written back as read.
  if (typeof v.iscrowd === "boolean" && instanceLike) extra = { ...extra, iscrowd: v.iscrowd };
  if (isObj(v.attributes) && Object.keys(v.attributes).length === 0) extra = { ...extra, attributes: {} };
  const noArea = typeof v.area !== "number";
  const noNumKeypoints = v.keypoints !== undefined && v.num_keypoints === undefined;
  // Derived, never written while unchanged: stats, filters and export read one area for every object.
  const area = noArea ? (instanceLike ? (shapes.area ?? 0) : undefined) : (v.area as number);
  const omitted = noArea
    ? noNumKeypoints
      ? OMIT_BOTH
      : OMIT_AREA
    : noNumKeypoints
      ? OMIT_NUM_KEYPOINTS
      : undefined;
  const source: SourceRef = { file, list: "annotations", index };
  const id = Number.isInteger(v.id) ? (v.id as number) : 0;
  const group = imp.groupFor(item);
  const out = shapes.list;
  if (out.length === 0 && categoryId !== undefined) out.push({ type: "label" });
  for (const shape of out) {
    // Built field by field (not spread): one object layout for all annotations keeps this fast.
    const a = shape as Annotation;
    a.id = id;
    a.group = group;
    a.attributes = attributes;
    a.source = source;
    if (categoryId !== undefined) a.categoryId = categoryId;
    if (area !== undefined) a.area = area;
    if (omitted !== undefined && area !== undefined) a.omitted = omitted;
    a.task = task;
    a.unchanged = true;
    if (extra) a.extra = extra;
    item.annotations.push(a);
  }
}

/**
 * The label of a record: its `category_id`, checked against the categories known so far. COCO's
 * own files list categories after the annotations, so while the file is open an unknown id is
 * checked when it ends (`endOfFile`). A caption's undeclared category is no label (undefined).
 */
function categoryOf(
  imp: Importer,
  state: FileState,
  task: CocoTask,
  path: (string | number)[],
  index: number,
  v: Obj,
): number | undefined {
  if (v.category_id === undefined) {
    if (task !== "captions" && task !== "image_info")
      imp.issue("missing_field", state.name, [...path, "category_id"], "an integer category id", undefined);
    return undefined;
  }
  if (!checkId(imp, state.name, path, v, "category_id", "an integer category id")) return undefined;
  const id = v.category_id as number;
  if (imp.categories.has(id)) return id;
  if (task === "captions") return undefined;
  if (!imp.fileOpen) {
    imp.issue(
      "unknown_category",
      state.name,
      [...path, "category_id"],
      "the id of a category in the file",
      id,
    );
    return undefined;
  }
  // Keypoints that are not triples are reported now; the count check at the end is for triples.
  const kp = v.keypoints;
  imp.categoryChecks.add(id, index, Array.isArray(kp) && kp.length % 3 === 0 ? kp : undefined);
  return id;
}
