import type { CocoTask } from "../model/types.js";

/** Every COCO task, in the order export writes a subset's files. */
export const COCO_TASKS: readonly CocoTask[] = [
  "instances",
  "person_keypoints",
  "captions",
  "labels",
  "stuff",
  "panoptic",
  "image_info",
];

/** Tasks whose annotations name a category, so their files need a `categories` list. */
export const LABELLED_TASKS: ReadonlySet<CocoTask> = new Set([
  "instances",
  "person_keypoints",
  "labels",
  "stuff",
  "panoptic",
]);

// Task prefixes, longest first so `person_keypoints_x` is never read as another task.
const BY_PREFIX: readonly CocoTask[] = [...COCO_TASKS].sort((a, b) => b.length - a.length);

/**
 * Reads the task and subset from a COCO file name, as CVAT and Datumaro name them
 * (`<task>_<subset>.json`). Names that follow no task give `{ subset: "default" }`. The task is a
 * hint: the content decides (see `taskOfAnnotation`).
 *
 * @example
 * taskFromFileName("annotations/instances_train2017.json"); // { task: "instances", subset: "train2017" }
 */
export function taskFromFileName(name: string): { task?: CocoTask; subset: string } {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/\.json$/i, "");
  for (const task of BY_PREFIX) {
    if (base === task) return { task, subset: "default" };
    if (base.startsWith(`${task}_`) && base.length > task.length + 1) {
      return { task, subset: base.slice(task.length + 1) };
    }
  }
  return { subset: "default" };
}

/**
 * The task an annotation record belongs to, from its fields: `segments_info` → panoptic,
 * `keypoints` → person_keypoints, `caption` → captions, a `bbox` or `segmentation` → instances,
 * nothing of these → labels. Undefined for a record that is not an object.
 */
export function taskOfAnnotation(record: unknown): CocoTask | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return undefined;
  const r = record as Record<string, unknown>;
  if ("segments_info" in r) return "panoptic";
  if ("keypoints" in r) return "person_keypoints";
  if ("caption" in r) return "captions";
  if ("bbox" in r || "segmentation" in r) return "instances";
  // Nothing but ids: a label (a weak sign, which a file's name overrides).
  return "labels";
}

/**
 * The task of a file: its content's, with the name's as a hint. Stuff files are instances-shaped,
 * so an instances-shaped content keeps a `stuff` name; `segments_info`, `keypoints`, `caption`
 * and shapes are strong signs, a bare `category_id` a weak one. `conflict` is true when the name says
 * another task than the content (reported as a warning, never an error).
 */
export function decideTask(
  fromName: CocoTask | undefined,
  fromContent: CocoTask | undefined,
): { task: CocoTask; conflict: boolean } {
  if (fromContent === undefined) return { task: fromName ?? "image_info", conflict: false };
  if (fromName === undefined || fromName === fromContent) return { task: fromContent, conflict: false };
  // A bare category_id is a weak sign: a named file whose record lacks its shapes is still of its
  // name's task (and the record reports what it lacks). Shapes are weak beside a keypoints or
  // stuff name, whose records have shapes too.
  if (fromContent === "labels") return { task: fromName, conflict: false };
  if (fromContent === "instances" && (fromName === "person_keypoints" || fromName === "stuff"))
    return { task: fromName, conflict: false };
  // An image_info name over a file that has annotations: the annotations are what the user has.
  return { task: fromContent, conflict: true };
}
