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
 * only a `category_id` → labels. Undefined for a record that is not an object.
 */
export function taskOfAnnotation(record: unknown): CocoTask | undefined {
  if (typeof record !== "object" || record === null || Array.isArray(record)) return undefined;
  const r = record as Record<string, unknown>;
  if ("segments_info" in r) return "panoptic";
  if ("keypoints" in r) return "person_keypoints";
  if ("caption" in r) return "captions";
  if ("bbox" in r || "segmentation" in r) return "instances";
  return "category_id" in r ? "labels" : "instances";
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
  if (fromName === "stuff" && fromContent === "instances") return { task: "stuff", conflict: false };
  // A record with neither shapes nor keypoints or caption looks like a label, but in a file named
  // instances or stuff it is an instance that lacks its segmentation: the name decides.
  if (fromContent === "labels" && (fromName === "instances" || fromName === "stuff"))
    return { task: fromName, conflict: false };
  // An image_info name over a file that has annotations: the annotations are what the user has.
  return { task: fromContent, conflict: true };
}
