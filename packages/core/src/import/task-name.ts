import type { CocoTask } from "../model/types.js";

/** Task prefixes, longest first so `person_keypoints_x` is never read as another task. */
const TASKS: readonly CocoTask[] = [
  "person_keypoints",
  "image_info",
  "instances",
  "captions",
  "panoptic",
  "labels",
  "stuff",
];

/**
 * Reads the task and subset from a COCO file name, as CVAT and Datumaro name them
 * (`<task>_<subset>.json`). Names that follow no task give `{ subset: "default" }`.
 *
 * @example
 * taskFromFileName("annotations/instances_train2017.json"); // { task: "instances", subset: "train2017" }
 */
export function taskFromFileName(name: string): { task?: CocoTask; subset: string } {
  const base = (name.split(/[\\/]/).pop() ?? "").replace(/\.json$/i, "");
  for (const task of TASKS) {
    if (base === task) return { task, subset: "default" };
    if (base.startsWith(`${task}_`) && base.length > task.length + 1) {
      return { task, subset: base.slice(task.length + 1) };
    }
  }
  return { subset: "default" };
}
