import { LABELLED_TASKS } from "../coco/tasks.js";
import { CocokitError } from "../errors.js";
import { type ParseProgress, recordsOf } from "../import/file-records.js";
import { type RecordWithProblems, reportProblems } from "../import/import-files.js";
import type { CocoFileSource, ImportOptions } from "../import/import-options.js";
import type { Importer } from "../import/importer.js";
import { panopticRecord } from "../import/panoptic-record.js";
import { readAnnotation } from "../import/read-annotation.js";
import { isObj } from "../import/record-fields.js";
import type { Item } from "../model/types.js";
import type { FileHead } from "./head-pass.js";
import type { AnnotationRecord, BatchFile, RecordBatch } from "./record-batch.js";

/**
 * The second pass over one file: its images and annotations, read by the importer's own code
 * (`Importer.image`, `readAnnotation`, `panopticRecord`) and yielded a chunk at a time as the model's
 * items and annotations. Every category is known by then, so an annotation's label is settled when
 * it is read. A file that lists annotations before images is scanned twice, images first, so an
 * annotation's image is always known and nothing waits in memory. What stays is what
 * cross-references need: a slim item per image id (id, size, source) and the annotation ids.
 */
export async function* mainPass(
  imp: Importer,
  source: CocoFileSource,
  head: FileHead,
  options: ImportOptions,
  progress?: ParseProgress,
): AsyncGenerator<RecordBatch> {
  const { state } = head;
  const where: BatchFile = { file: source.name, task: state.finalTask(), subset: source.subset };
  // A labelled file without categories: its annotations' labels stay unknown, which the first
  // pass reported once (`missing_field`); they are read for their other problems, then skipped.
  const noCategories =
    !state.members.has("categories") && state.members.has("annotations") && LABELLED_TASKS.has(where.task);
  imp.fileOpen = noCategories;
  const scans: (readonly string[])[] = head.annotationsFirst
    ? [["images"], ["annotations"]]
    : [["images", "annotations"]];
  try {
    for (const [scan, keys] of scans.entries()) {
      // Progress follows the last scan only, so `parse` counts each file's bytes once.
      const last = scan === scans.length - 1;
      for await (const batch of recordsOf(source, options, last ? progress : undefined)) {
        const images: Item[] = [];
        const annotations: AnnotationRecord[] = [];
        for (const rec of batch) {
          if (rec.index < 0 || !keys.includes(rec.key)) continue;
          if ((rec as RecordWithProblems).problems && reportProblems(imp, source.name, rec)) continue;
          if (rec.key === "images") {
            const item = newItem(imp, source, rec.index, rec.value);
            if (item) images.push(item);
            continue;
          }
          const v = rec.value;
          if (!head.readable) {
            // No `images`: objects were counted as skipped by the first pass; the rest are reported.
            if (!isObj(v)) readAnnotation(imp, state, rec.index, v);
            continue;
          }
          if (state.taskFor(v) === "panoptic") await panopticRecord(imp, source, rec.index, v, options);
          else readAnnotation(imp, state, rec.index, v);
          const read = takeAnnotations(imp, source.subset, v);
          if (read && !(noCategories && !imp.categories.has(read.annotations[0]?.categoryId as number)))
            annotations.push(read);
        }
        if (images.length > 0) yield { kind: "images", ...where, records: images };
        if (annotations.length > 0) yield { kind: "annotations", ...where, records: annotations };
      }
    }
  } catch (e) {
    // The records before the error have been read. The first pass stepped over images and
    // annotations unparsed: an error inside one is reported here.
    if (!(e instanceof CocokitError) || e.code === "aborted") throw e;
    if (!head.failed) imp.readError(e, source.name);
  }
  if (noCategories) imp.skipped += imp.categoryChecks.unresolved(imp.categories).length;
  imp.abandonFile();
}

/**
 * Reads one image record; returns the new item, and keeps in its place a slim one (id, size,
 * source) for the annotations that name it. Undefined for a bad record or an image another file
 * of the subset listed first (one item, as `importFiles` merges them).
 */
function newItem(imp: Importer, source: CocoFileSource, index: number, v: unknown): Item | undefined {
  const before = imp.itemOrder.length;
  imp.image(source.name, source.subset, index, v);
  if (imp.itemOrder.length === before) return undefined;
  const item = imp.itemOrder.pop() as Item;
  const image: Item["image"] = { fileName: item.image.fileName };
  if (item.image.width !== undefined) image.width = item.image.width;
  if (item.image.height !== undefined) image.height = item.image.height;
  const slim: Item = { id: item.id, subset: item.subset, image, annotations: [], attributes: {} };
  if (item.source) slim.source = item.source;
  imp.items.get(source.subset)?.set(item.id, slim);
  return item;
}

/** The shapes the importer just added to the image an annotation record names, taken off it. */
function takeAnnotations(imp: Importer, subset: string, v: unknown): AnnotationRecord | undefined {
  if (!isObj(v)) return undefined;
  const item = imp.items.get(subset)?.get(v.image_id as number);
  if (!item || item.annotations.length === 0) return undefined;
  const annotations = item.annotations;
  item.annotations = [];
  const first = annotations[0];
  if (!first?.source) return undefined;
  return { imageId: item.id, annotations, source: first.source };
}
