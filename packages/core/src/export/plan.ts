import { annotationsByTask } from "../coco/annotation-task.js";
import { groupCocoObjects } from "../coco/objects.js";
import type { Annotation, CocoTask, Dataset, Item } from "../model/types.js";
import { type ProgressReporter, throwIfAborted } from "../progress/progress.js";
import { isUnchanged, leaderOf } from "./instance.js";
import { exportSubsetName, subsetTaskFiles } from "./task-files.js";

/**
 * One COCO annotation to write: the model annotations it is made of, the member that leads it
 * (its label, attributes and id; chosen once, here) and the id it gets.
 */
export interface PlannedAnnotation {
  item: Item;
  members: Annotation[];
  leader: Annotation;
  id: number;
}

/** One `<task>_<subset>.json` file: the items of the subset and the annotations of the task. */
export interface PlannedFile {
  task: CocoTask;
  subset: string;
  items: Item[];
  annotations: PlannedAnnotation[];
}

/** The whole export: files in order, and the image id of every item. */
export interface ExportPlan {
  files: PlannedFile[];
  imageIds: Map<Item, number>;
}

/** Options the planner needs. */
export interface PlanOptions {
  tasks?: readonly CocoTask[];
  subsets?: readonly string[];
  reindex?: boolean;
  signal?: AbortSignal;
}

/** Items with an empty subset are written to `default`, as CVAT and Datumaro do. */
export function subsetName(item: Item): string {
  return exportSubsetName(item.subset);
}

/** Splits an item's annotations into COCO annotations per task, each task's by `groupCocoObjects`. */
function groupsOf(item: Item): Map<CocoTask, Annotation[][]> {
  const out = new Map<CocoTask, Annotation[][]>();
  for (const [task, annotations] of annotationsByTask(item)) out.set(task, groupCocoObjects(annotations));
  return out;
}

/** The index of the `annotations` record an annotation was read from, or undefined. */
function sourceIndex(a: Annotation): number | undefined {
  const source = a.source;
  if (!source) return undefined;
  return source.list === "annotations" ? source.index : undefined;
}

/**
 * When every annotation of a file was read from one source file, writes them in that file's order
 * (images may list annotations in any order), so an unchanged file comes back as it was.
 */
function sortBySource(annotations: PlannedAnnotation[]): void {
  const first = annotations[0]?.members[0]?.source?.file;
  if (first === undefined) return;
  const keys: number[] = [];
  let sorted = true;
  for (const p of annotations) {
    const a = p.members[0] as Annotation;
    const n = sourceIndex(a);
    if (n === undefined || a.source?.file !== first) return;
    if (keys.length > 0 && n < (keys[keys.length - 1] as number)) sorted = false;
    keys.push(n);
  }
  if (sorted) return; // the usual case: images list their annotations in file order
  const order = annotations.map((p, i) => ({ p, n: keys[i] as number }));
  order.sort((x, y) => x.n - y.n);
  order.forEach((o, i) => {
    annotations[i] = o.p;
  });
}

/**
 * Ids kept, or 1…N with `reindex`. Id 0 means "no id" (new annotations), which gets an id above the
 * file's largest (Datumaro starts at the largest itself and can duplicate it) — except an
 * unchanged annotation that is the file's only id 0 (Roboflow numbers from 0), which keeps it.
 */
function assignIds(annotations: PlannedAnnotation[], reindex: boolean): void {
  if (reindex) {
    annotations.forEach((p, i) => {
      p.id = i + 1;
    });
    return;
  }
  let max = 0;
  let zeros = 0;
  for (const p of annotations) {
    max = Math.max(max, p.id);
    if (p.id === 0) zeros++;
  }
  for (const p of annotations) {
    if (p.id !== 0) continue;
    if (zeros === 1 && isUnchanged(p.members)) continue;
    p.id = ++max;
  }
}

/**
 * Decides which files an export writes and what goes into each: subsets in order of first
 * appearance, tasks in a fixed order, every item of a subset in every file of that subset.
 * Without `tasks`, a subset gets a file per task that has annotations, or `image_info` when none has.
 * Reports phase `build` (items planned) and stops on `signal`.
 */
export function planExport(dataset: Dataset, options: PlanOptions, progress?: ProgressReporter): ExportPlan {
  const subsets = new Map<string, { items: Item[]; byTask: Map<CocoTask, PlannedAnnotation[]> }>();
  const wanted = options.subsets ? new Set(options.subsets) : undefined;
  const imageIds = new Map<Item, number>();
  const total = dataset.items.length;
  let done = 0;
  for (const item of dataset.items) {
    // Every item: a check is a property read, and one item's groups take far less than 100 ms.
    throwIfAborted(options.signal);
    if (progress?.active) progress.report({ phase: "build", done, total, unit: "items" });
    done++;
    const name = subsetName(item);
    if (wanted && !wanted.has(name)) continue;
    imageIds.set(item, options.reindex ? imageIds.size + 1 : item.id);
    let subset = subsets.get(name);
    if (!subset) {
      subset = { items: [], byTask: new Map() };
      subsets.set(name, subset);
    }
    subset.items.push(item);
    for (const [task, groups] of groupsOf(item)) {
      let list = subset.byTask.get(task);
      if (!list) {
        list = [];
        subset.byTask.set(task, list);
      }
      for (const members of groups) {
        const leader = leaderOf(members);
        list.push({ item, members, leader, id: leader.id });
      }
    }
  }
  progress?.report({ phase: "build", done: total, total, unit: "items" });
  const files: PlannedFile[] = [];
  for (const [subset, { items, byTask }] of subsets) {
    const annotated = new Set<CocoTask>();
    for (const [task, list] of byTask) if (list.length > 0) annotated.add(task);
    const chosen = subsetTaskFiles(subset, annotated, {
      ...(options.tasks ? { tasks: options.tasks } : {}),
      ...(dataset.sourceFiles ? { sourceFiles: dataset.sourceFiles } : {}),
    });
    for (const task of chosen) {
      const annotations = task === "image_info" ? [] : (byTask.get(task) ?? []);
      sortBySource(annotations);
      if (task !== "panoptic") assignIds(annotations, options.reindex === true);
      files.push({ task, subset, items, annotations });
    }
  }
  return { files, imageIds };
}
