import { annotationsByTask } from "../coco/annotation-task.js";
import { groupCocoObjects } from "../coco/objects.js";
import { sourceFileOf, taskFileCategories } from "../coco/task-categories.js";
import { CocokitError } from "../errors.js";
import { checkForExport } from "../export/check-dataset.js";
import type { ExportOptions } from "../export/export-options.js";
import { isUnchanged, leaderOf } from "../export/instance.js";
import { annotationRecord, fileLevelMembers, imageRecord, relabelOf } from "../export/task-document.js";
import { writeDocument } from "../json/write-document.js";
import type { Annotation, CocoTask, Dataset, ImageInfo, Item } from "../model/types.js";
import type { DatasetHead } from "./record-batch.js";

/** The task file to write and what every file of the dataset shares. */
export interface TaskFileHead extends DatasetHead {
  task: CocoTask;
  subset: string;
  /**
   * Category ids the file's annotations use that no source file of its task declared (written
   * too, as `exportDataset` does); default none: imported categories are all declared.
   */
  usedCategoryIds?: ReadonlySet<number>;
}

/** Options of `writeTaskFile`: `exportDataset`'s per-record options (ids are kept: no `reindex`). */
export type WriteTaskFileOptions = Omit<
  ExportOptions,
  "reindex" | "saveMedia" | "mergeImages" | "tasks" | "subsets" | "maxIssues"
>;

/** The annotations of one image, or of one record of it: each group among them is one COCO annotation. */
export interface ImageAnnotations {
  imageId: number;
  annotations: readonly Annotation[];
}

/** What a write gave: counted as it goes. */
export interface WriteCounts {
  images: number;
  /** COCO annotations written (a group counts once). */
  annotations: number;
}

type Many<T> = AsyncIterable<readonly T[]> | Iterable<readonly T[]>;

/**
 * Writes one COCO task file (`instances_train.json`) as UTF-8 chunks from records, never holding
 * the dataset: `images` (items in order; their annotations are not read) are written first, then
 * `annotations`, given as images with their annotations (or one record of an image at a time), in
 * the order they are to be written. Each group of an image is one COCO annotation built by
 * `exportDataset`'s own code (CVAT's rules: the largest shape leads, a crowd is a mask), so records
 * read by `readCocoRecords` come back exactly as `exportDataset` writes them. Ids are kept: an
 * annotation without one (id 0, other than a file's single unchanged one) needs the whole file's
 * largest id and throws `export_failed` (export the Dataset instead), as does a panoptic file (its
 * PNGs). A new or edited
 * annotation is checked as `exportDataset` checks it (`export_failed`).
 * @example
 * const head = { task: "instances", subset: "train", categories, sourceFiles: [] };
 * for await (const chunk of writeTaskFile(head, [items], [items.map((i) => ({ imageId: i.id, annotations: i.annotations }))])) out.write(chunk);
 */
export async function* writeTaskFile(
  head: TaskFileHead,
  images: Many<Item>,
  annotations: Many<ImageAnnotations>,
  options: WriteTaskFileOptions = {},
  counts: WriteCounts = { images: 0, annotations: 0 },
): AsyncGenerator<Uint8Array> {
  if (head.task === "panoptic")
    throw needsDataset("a task file other than panoptic (its segments are PNGs beside the JSON)", head.task);
  const dataset: Dataset = { categories: head.categories, items: [], sourceFiles: head.sourceFiles };
  if (head.info) dataset.info = head.info;
  if (head.licenses) dataset.licenses = head.licenses;
  if (head.extra) dataset.extra = head.extra;
  const cvat = options.cvatDefaults === true;
  const relabel = relabelOf(dataset, false);
  const members = fileLevelMembers(dataset, cvat);
  const categories = taskFileCategories(dataset, head.task, head.subset, head.usedCategoryIds ?? new Set(), {
    relabel,
    cvatDefaults: cvat,
  });
  if (categories !== undefined) members.push({ key: "categories", records: categories });
  // The image sizes, by id: new shapes are rasterised at them.
  const sizes = new Map<number, ImageInfo>();
  members.push({
    key: "images",
    records: (async function* () {
      for await (const batch of images)
        for (const item of batch) {
          sizes.set(item.id, sizeOf(item.image));
          counts.images++;
          yield imageRecord(item, item.id, options);
        }
    })(),
  });
  const source = sourceFileOf(dataset, head.task, head.subset);
  if (!(head.task === "image_info" && source && !source.hasAnnotations))
    members.push({
      key: "annotations",
      records: annotationRecords(head, annotations, sizes, options, counts),
    });
  yield* writeDocument(members);
}

async function* annotationRecords(
  head: TaskFileHead,
  records: Many<ImageAnnotations>,
  sizes: ReadonlyMap<number, ImageInfo>,
  options: WriteTaskFileOptions,
  counts: WriteCounts,
): AsyncGenerator<unknown> {
  const relabel = relabelOf({ categories: head.categories, items: [] }, false);
  let zero = false;
  for await (const batch of records)
    for (const r of batch) {
      const item: Item = {
        id: r.imageId,
        subset: head.subset,
        image: sizes.get(r.imageId) ?? { fileName: "" },
        annotations: r.annotations as Annotation[],
        attributes: {},
      };
      // Imported records were checked when read; new or edited ones are checked as exportDataset does.
      if (!r.annotations.every((a) => a.unchanged === true)) checkItem(head, item);
      const mine = annotationsByTask(item).get(head.task) ?? [];
      for (const members of groupCocoObjects(mine)) {
        const leader = leaderOf(members);
        const id = leader.id;
        if (id === 0) {
          if (zero || !isUnchanged(members))
            throw needsDataset("annotation ids other than 0 (new ids follow the file's largest)", id);
          zero = true;
        }
        counts.annotations++;
        yield annotationRecord({ item, members, leader, id }, r.imageId, head.task, options, relabel);
      }
    }
}

function sizeOf(image: ImageInfo): ImageInfo {
  const out: ImageInfo = { fileName: image.fileName };
  if (image.width !== undefined) out.width = image.width;
  if (image.height !== undefined) out.height = image.height;
  return out;
}

function checkItem(head: TaskFileHead, item: Item): void {
  const check = checkForExport({ categories: head.categories, items: [item] });
  if (check.ok) return;
  const first = check.issues.find((i) => i.severity === "error");
  throw new CocokitError(
    "export_failed",
    `expected records that can be written as COCO, found ${check.errorCount} errors in image ${item.id} (first: ${first?.message})`,
    { issues: check.issues },
  );
}

// `export_failed` (no issue list): the records are fine, only not writable one at a time.
function needsDataset(expected: string, found: unknown): CocokitError {
  return new CocokitError(
    "export_failed",
    `expected ${expected} for a streamed export, found ${JSON.stringify(found)}; export the Dataset instead (exportDataset)`,
  );
}
