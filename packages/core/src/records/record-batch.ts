import type { Annotation, Category, CocoTask, Item, SourceRef, SourceTaskFile } from "../model/types.js";
import type { LayoutInfo } from "../read/read-options.js";
import type { Report } from "../report/report.js";

/** The dataset-level fields every task file of an export writes (the first file that has one defines it). */
export interface DatasetHead {
  info?: Record<string, unknown>;
  licenses?: unknown[];
  /** Other top-level fields, written back verbatim. */
  extra?: Record<string, unknown>;
  /** Every category of every file, in the order they were declared (`Dataset.categories`). */
  categories: Category[];
  /** The task files read, with the lists each had (`Dataset.sourceFiles`). */
  sourceFiles: SourceTaskFile[];
}

/** One COCO annotation record: the model annotations its shapes became (one group), and its image. */
export interface AnnotationRecord {
  /** The COCO `image_id`: the `id` of an item yielded before (same subset). */
  imageId: number;
  /** The record's shapes, sharing `id`, `group`, `categoryId`, `attributes`, `area` and `source`. */
  annotations: Annotation[];
  source: SourceRef;
}

/** Which task file a batch belongs to. */
export interface BatchFile {
  /** The file's path (in the archive) or name. */
  file: string;
  task: CocoTask;
  subset: string;
}

/**
 * What `readCocoRecords` yields, in this order: one `dataset` batch (the file-level fields and
 * categories of every file, read first), then per task file a `file` batch, its `images` batches
 * and its `annotations` batches (images always before annotations, whatever the file's order),
 * and last one `end` batch with the report of the whole read.
 */
export type RecordBatch =
  | ({ kind: "dataset"; layout: LayoutInfo } & DatasetHead)
  | (BatchFile & { kind: "file"; sourceFile: SourceTaskFile })
  | (BatchFile & { kind: "images"; records: Item[] })
  | (BatchFile & { kind: "annotations"; records: AnnotationRecord[] })
  | { kind: "end"; report: Report; layout: LayoutInfo };
