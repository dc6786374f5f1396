import type { Obj } from "../import/record-fields.js";
import type { Category, CocoTask, Dataset, SourceTaskFile } from "../model/types.js";
import { categoryFields } from "./category-record.js";
import { LABELLED_TASKS } from "./tasks.js";

/** How export writes a category: its id mapped (`reindex`), CVAT's empty supercategory on request. */
export interface CategoryWriteOptions {
  relabel: (id: number) => number;
  cvatDefaults: boolean;
}

/**
 * The `categories` member of one task file, or undefined when the file must not have one. The
 * rules, in one place:
 * - a task file the source had without `categories` (COCO's captions) is written without it (a
 *   subset the source did not have follows the source's files of the same task);
 * - captions files of a dataset made in code get none either: pycocotools indexes every
 *   annotation's `category_id` once a `categories` key exists, and captions have none;
 * - a file lists the categories its source file declared, each with the fields that file gave,
 *   plus any category its annotations use that it did not declare; image_info files list what
 *   they declared (often nothing);
 * - without declarations (a dataset made in code, or a task the source did not have), labelled
 *   tasks list every category of the dataset, image_info files none.
 */
export function taskFileCategories(
  dataset: Dataset,
  task: CocoTask,
  subset: string,
  usedIds: ReadonlySet<number>,
  options: CategoryWriteOptions,
): Obj[] | undefined {
  const source = sourceFileOf(dataset, task, subset);
  if (source && !source.hasCategories) return undefined;
  if (task === "captions" && !source) return undefined;
  const declared = dataset.categories.some((c) => c.declaredIn?.[task] !== undefined);
  if (!declared && LABELLED_TASKS.has(task))
    return dataset.categories.map((c) => categoryRecord(c, task, options));
  return dataset.categories
    .filter((c) => c.declaredIn?.[task] !== undefined || usedIds.has(c.id))
    .map((c) => categoryRecord(c, task, options));
}

/**
 * One category as a task file writes it: declared in that file, with the fields it had there (in
 * its order) and any field no file declared (added in code since); otherwise with all its fields.
 */
function categoryRecord(c: Category, task: CocoTask, options: CategoryWriteOptions): Obj {
  const fields = categoryFields(c);
  const keys = c.declaredIn?.[task];
  let out: Obj;
  if (keys === undefined) out = fields;
  else {
    out = {};
    for (const k of keys) if (k in fields) out[k] = fields[k];
    const elsewhere = new Set(Object.values(c.declaredIn ?? {}).flat());
    for (const k in fields) if (!(k in out) && !elsewhere.has(k)) out[k] = fields[k];
  }
  out.id = options.relabel(c.id);
  if (options.cvatDefaults && out.supercategory === undefined) out.supercategory = "";
  return out;
}

/**
 * The source file a task file stands for: the same task and subset, else (a subset made since, by
 * a split) the source's files of that task, which had a list if any of them had it.
 */
export function sourceFileOf(dataset: Dataset, task: CocoTask, subset: string): SourceTaskFile | undefined {
  const files = dataset.sourceFiles?.filter((f) => f.task === task);
  if (!files || files.length === 0) return undefined;
  return (
    files.find((f) => f.subset === subset) ?? {
      task,
      subset,
      hasCategories: files.some((f) => f.hasCategories),
      hasAnnotations: files.some((f) => f.hasAnnotations),
    }
  );
}
