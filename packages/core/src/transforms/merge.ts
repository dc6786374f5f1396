import { annotationsByTask } from "../coco/annotation-task.js";
import { groupCocoObjects } from "../coco/objects.js";
import type { Annotation, Category, CocoTask, Dataset, Item } from "../model/types.js";
import { toPointer } from "../report/issue.js";
import { type Report, ReportBuilder } from "../report/report.js";

/** Options of {@link mergeDatasets}. */
export interface MergeOptions {
  /**
   * A name for each input (its path, say), in the order given: the `file` of the issues about it.
   * Default `input 1`, `input 2`, …
   */
  names?: readonly string[];
  /** Keep at most this many issues in the report (all are still counted). Default 10,000. */
  maxIssues?: number;
}

/**
 * The merged dataset and every clash found on the way, as warnings of a `Report` (the shape
 * validation uses): `duplicate_image_id` (the item got a new id), `duplicate_file_name` (both
 * items were kept), `duplicate_annotation_id` (the COCO object, every shape of it, got a new
 * annotation id). An issue's `file` names the input and its pointer points into that input's
 * `Dataset` (`/items/3/id`); the message gives the subset, the ids and what became of them.
 */
export interface MergeResult {
  dataset: Dataset;
  report: Report;
}

type MergeCode = "duplicate_image_id" | "duplicate_file_name" | "duplicate_annotation_id";

/** Reports a clash of the input `source` as a warning at `path` in that input's Dataset. */
type Conflicts = (code: MergeCode, source: number, path: (string | number)[], message: string) => void;

function conflictsInto(report: ReportBuilder, names: readonly string[] | undefined): Conflicts {
  return (code, source, path, message) =>
    report.add({
      code,
      severity: "warning",
      message,
      path,
      pointer: toPointer(path),
      file: names?.[source] ?? `input ${source + 1}`,
    });
}

/**
 * Merges datasets into one: categories are unified by name (the first dataset's ids win, new names
 * get the next free id) and annotations are pointed at the unified ids; items keep their subsets.
 * An image id already used in the same subset is replaced by the next free one, and a file name
 * seen twice in a subset is kept and reported. Likewise a COCO object whose annotation id is
 * already used in its task file (same subset and task) gets the next free id of that file, on all
 * its shapes. Every change is reported in `report`. `info` and `licenses` come from the first dataset.
 * @example
 * const { dataset, report } = mergeDatasets([a, b], { names: ["a.json", "b.zip"] });
 * for (const issue of report.issues) console.warn(issue.code, issue.file, issue.message);
 */
export function mergeDatasets(datasets: readonly Dataset[], options: MergeOptions = {}): MergeResult {
  const categories: Category[] = [];
  const byName = new Map<string, Category>();
  const takenIds = new Set<number>();
  let nextCategoryId = 1;
  const items: Item[] = [];
  const report = new ReportBuilder(options.maxIssues === undefined ? {} : { maxIssues: options.maxIssues });
  const conflict = conflictsInto(report, options.names);
  const idsBySubset = new Map<string, Set<number>>();
  const namesBySubset = new Map<string, Set<string>>();
  const nextIdBySubset = new Map<string, number>();
  const annotationIds = new AnnotationIds(datasets);
  for (const dataset of datasets) {
    for (const item of dataset.items) {
      const subset = subsetName(item);
      const next = nextIdBySubset.get(subset) ?? 1;
      nextIdBySubset.set(subset, Math.max(next, item.id + 1));
    }
  }

  datasets.forEach((dataset, source) => {
    for (const category of dataset.categories) nextCategoryId = Math.max(nextCategoryId, category.id + 1);
    const idMap = new Map<number, number>();
    for (const category of dataset.categories) {
      let unified = byName.get(category.name);
      if (unified === undefined) {
        unified = { ...category, id: takenIds.has(category.id) ? nextCategoryId++ : category.id };
        takenIds.add(unified.id);
        byName.set(category.name, unified);
        categories.push(unified);
      }
      idMap.set(category.id, unified.id);
    }

    for (const [index, item] of dataset.items.entries()) {
      const subset = subsetName(item);
      const ids = setFor(idsBySubset, subset);
      const names = setFor(namesBySubset, subset);
      let id = item.id;
      if (ids.has(id)) {
        id = nextIdBySubset.get(subset) ?? item.id + 1;
        nextIdBySubset.set(subset, id + 1);
        conflict(
          "duplicate_image_id",
          source,
          ["items", index, "id"],
          `image id ${item.id} (${item.image.fileName}) is already used in subset "${subset}"; it became ${id}`,
        );
      }
      if (names.has(item.image.fileName)) {
        conflict(
          "duplicate_file_name",
          source,
          ["items", index, "image", "fileName"],
          `file name "${item.image.fileName}" appears twice in subset "${subset}"; both images were kept`,
        );
      }
      ids.add(id);
      names.add(item.image.fileName);
      const newIds = annotationIds.claim(item, (path, message) =>
        conflict("duplicate_annotation_id", source, ["items", index, ...path], message),
      );
      const annotations = item.annotations.map((a) => {
        // A dangling category id (not in this dataset's categories) is left as it is, for validation to report.
        const categoryId = a.categoryId === undefined ? undefined : (idMap.get(a.categoryId) ?? a.categoryId);
        const annotationId = newIds?.get(a) ?? a.id;
        if (categoryId === a.categoryId && annotationId === a.id) return a;
        return { ...a, id: annotationId, ...(categoryId === undefined ? {} : { categoryId }) };
      });
      items.push({ ...item, id, annotations });
    }
  });

  const first = datasets[0];
  const dataset: Dataset = { categories, items };
  if (first?.info !== undefined) dataset.info = first.info;
  if (first?.licenses !== undefined) dataset.licenses = first.licenses;
  return { dataset, report: report.finish() };
}

/** The annotation ids taken so far in one task file, and its next free id. */
interface FileIds {
  taken: Set<number>;
  next: number;
}

/**
 * The annotation ids taken in each task file (subset and task) as items are merged in order, and
 * the next free id of each: above every id any input uses there, so a new id never clashes with an
 * object merged later.
 */
class AnnotationIds {
  private readonly files = new Map<string, Map<CocoTask, FileIds>>();

  constructor(datasets: readonly Dataset[]) {
    // Every shape of an object carries its id, so the largest id of any shape bounds the objects'.
    for (const dataset of datasets) {
      for (const item of dataset.items) {
        const subset = subsetName(item);
        for (const [task, annotations] of byTask(item)) {
          const file = this.file(subset, task);
          for (const a of annotations) if (a.id >= file.next) file.next = a.id + 1;
        }
      }
    }
  }

  /**
   * Takes the ids of an item's objects; returns the new id of each annotation whose object clashed,
   * and reports each clash at the path (within the item) of the object's first shape's id.
   */
  claim(
    item: Item,
    report: (path: (string | number)[], message: string) => void,
  ): Map<Annotation, number> | undefined {
    const subset = subsetName(item);
    let renamed: Map<Annotation, number> | undefined;
    for (const [task, annotations] of byTask(item)) {
      // Panoptic segment ids are unique per image (its PNG), not per file.
      if (task === "panoptic") continue;
      const file = this.file(subset, task);
      for (const members of groupCocoObjects(annotations)) {
        const id = members[0]?.id ?? 0;
        // Id 0 means "none": export gives it a free id.
        if (id === 0) continue;
        if (!file.taken.has(id)) {
          file.taken.add(id);
          continue;
        }
        const newId = file.next++;
        file.taken.add(newId);
        renamed ??= new Map();
        for (const member of members) renamed.set(member, newId);
        report(
          ["annotations", item.annotations.indexOf(members[0] as Annotation), "id"],
          `annotation id ${id} (image ${item.id}, ${item.image.fileName}) is already used in ${task}_${subset}; it became ${newId}`,
        );
      }
    }
    return renamed;
  }

  private file(subset: string, task: CocoTask): FileIds {
    let tasks = this.files.get(subset);
    if (tasks === undefined) {
      tasks = new Map();
      this.files.set(subset, tasks);
    }
    let file = tasks.get(task);
    if (file === undefined) {
      file = { taken: new Set(), next: 1 };
      tasks.set(task, file);
    }
    return file;
  }
}

/** An item's annotations by the task file export writes them to (`annotationsByTask`). */
function byTask(item: Item): [CocoTask, readonly Annotation[]][] {
  return [...annotationsByTask(item)];
}

// Export writes items without a subset to `default`, so their ids share that subset's.
function subsetName(item: Item): string {
  return item.subset === "" ? "default" : item.subset;
}

function setFor<T>(map: Map<string, Set<T>>, key: string): Set<T> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
