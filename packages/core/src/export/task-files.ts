import { annotationsByTask } from "../coco/annotation-task.js";
import { COCO_TASKS } from "../coco/tasks.js";
import type { CocoTask, Item, SourceTaskFile } from "../model/types.js";

/**
 * The subset name an export writes an item's subset as: an empty subset is `default`, as CVAT and
 * Datumaro write it.
 * @example exportSubsetName("") // "default"
 */
export function exportSubsetName(subset: string): string {
  return subset === "" ? "default" : subset;
}

/**
 * The tasks an item has annotations of, by the task file each annotation is written to (the file
 * it was read from, else by its kind). A streamed export tallies these per subset and hands them
 * to `subsetTaskFiles`, without holding the dataset.
 * @example annotatedTasks(item) // ["instances", "person_keypoints"]
 */
export function annotatedTasks(item: Item): CocoTask[] {
  return [...annotationsByTask(item).keys()];
}

/** What `subsetTaskFiles` decides from besides the subset's annotated tasks. */
export interface SubsetTaskFilesOptions {
  /** The tasks asked for (`ExportOptions.tasks`): exactly these files are written. */
  tasks?: readonly CocoTask[];
  /** The task files the dataset was read from (`Dataset.sourceFiles`). */
  sourceFiles?: readonly SourceTaskFile[];
}

/**
 * The task files an export writes for one subset, in the order it writes them: the `tasks` asked
 * for; without them, each task the subset has annotations of and each task file the source had
 * for the subset, or `image_info` when there is none. This is `exportDataset`'s own rule, for
 * writers that stream records (`writeTaskFile`) and must name the files before the records.
 * @example subsetTaskFiles("val", new Set(["instances"]), { sourceFiles }) // ["instances", "captions"]
 */
export function subsetTaskFiles(
  subset: string,
  annotated: ReadonlySet<CocoTask>,
  options: SubsetTaskFilesOptions = {},
): CocoTask[] {
  const tasks =
    options.tasks ??
    COCO_TASKS.filter(
      (t) =>
        annotated.has(t) || options.sourceFiles?.some((f) => f.task === t && f.subset === subset) === true,
    );
  const chosen: readonly CocoTask[] = tasks.length > 0 ? tasks : ["image_info"];
  return COCO_TASKS.filter((t) => chosen.includes(t));
}
