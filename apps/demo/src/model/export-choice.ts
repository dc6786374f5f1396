// The page's export form as data: which task files, how new masks are stored, and whether the
// images go into the zip; turned into core's ExportOptions.
import { COCO_TASKS, type CocoTask, type Dataset, type ExportOptions } from "@cocokit/core";

export interface ExportChoice {
  /** Task files to write. */
  tasks: ReadonlySet<CocoTask>;
  segmentationMode: NonNullable<ExportOptions["segmentationMode"]>;
  /** Copy the images the dataset has into `images/<subset>/`. */
  saveImages: boolean;
}

/** The tasks an export writes by default: those the dataset has annotations of or came with files of. */
export function datasetTasks(dataset: Dataset): CocoTask[] {
  const found = new Set<CocoTask>();
  for (const file of dataset.sourceFiles ?? []) found.add(file.task);
  for (const item of dataset.items) for (const a of item.annotations) if (a.task) found.add(a.task);
  return COCO_TASKS.filter((task) => found.has(task));
}

/** The form as it opens: core's defaults (so an untouched form exports as the CLI would). */
export function defaultChoice(dataset: Dataset, hasMedia: boolean): ExportChoice {
  return { tasks: new Set(datasetTasks(dataset)), segmentationMode: "guess", saveImages: hasMedia };
}

/**
 * The export options of a choice. `tasks` is left out while it is the dataset's own set, so
 * core's rule (per subset, `image_info` when a subset has nothing) decides, as on the CLI.
 */
export function exportOptionsOf(choice: ExportChoice, dataset: Dataset): Omit<ExportOptions, "media"> {
  const own = datasetTasks(dataset);
  const same = own.length === choice.tasks.size && own.every((task) => choice.tasks.has(task));
  return {
    ...(same ? {} : { tasks: COCO_TASKS.filter((task) => choice.tasks.has(task)) }),
    segmentationMode: choice.segmentationMode,
    saveMedia: choice.saveImages,
  };
}
