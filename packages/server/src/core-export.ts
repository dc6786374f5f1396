/**
 * The streamed half of the core adapter: an export read from SQLite in image order, a batch at a
 * time, and written by core's record writer (`recordsZip`, CVAT's group and crowd rules per
 * image), so memory holds one batch and never the dataset. Which task files each subset gets is
 * core's rule (`subsetTaskFiles`); what cannot be written one record at a time falls back to the
 * whole-dataset export (`writeDatasetZip`), with the reason.
 */

import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  annotatedTasks,
  type CocoTask,
  exportSubsetName,
  type RecordBatch,
  type RecordsExportResult,
  recordsZip,
  type SourceTaskFile,
  subsetTaskFiles,
} from "@cocokit/core";
import { useNodeZlib } from "@cocokit/core/node";
import type { ExportParams, StepOptions } from "./core-adapter.js";
import type { AnnotationOrder, ExportRows, TaskSummary } from "./repositories/export-rows.js";

/** One task file of a streamed export: the stored subset it reads and the names it writes. */
interface PlannedFile {
  stored: string;
  subset: string;
  task: CocoTask;
  order: AnnotationOrder;
  images: number;
  /** Stored annotations read for it (its task's and those without a task), for progress. */
  annotations: number;
}

/** A streamed export, planned: its files, or why it needs the whole dataset. */
export type StreamPlan =
  | { streamed: true; files: PlannedFile[]; head: Awaited<ReturnType<ExportRows["head"]>> }
  | { streamed: false; reason: string };

/**
 * Decides the files of an export from SQL summaries (no record held), or says why only the
 * whole-dataset export can write it:
 * - `reindex` numbers images across the whole export and annotations per file, which core's
 *   record writer does not (it keeps ids);
 * - `save_images` writes media beside the JSON, which only the whole-dataset export reads;
 * - a panoptic file has PNGs beside its JSON, and annotations with id 0 get ids above their
 *   file's largest: both need the whole file (core throws `export_failed` for them);
 * - two stored subsets written as one (`""` and `default`), and annotations using a category
 *   their task's files did not declare, are planned over the whole dataset by core.
 */
export async function planStreamedExport(rows: ExportRows, params: ExportParams): Promise<StreamPlan> {
  const fallback = (reason: string): StreamPlan => ({ streamed: false, reason });
  if (params.reindex) return fallback("reindex numbers ids over the whole export");
  if (params.save_images) return fallback("save_images reads the media of the whole dataset");
  const head = await rows.head();
  const subsets = await rows.subsets();
  const names = subsets.map((s) => exportSubsetName(s.subset));
  if (new Set(names).size !== names.length) return fallback("two stored subsets are written as one");
  const summaries = await rows.taskSummaries();
  const wanted = params.subsets ? new Set(params.subsets) : undefined;
  const sourceFiles = (head.meta.sourceFiles ?? []) as SourceTaskFile[];
  const files: PlannedFile[] = [];
  for (const { subset: stored, images } of subsets) {
    const subset = exportSubsetName(stored);
    if (wanted && !wanted.has(subset)) continue;
    const mine = summaries.filter((s) => s.subset === stored);
    const annotated = new Set(mine.flatMap((s) => (s.task === null ? [] : [s.task as CocoTask])));
    // Annotations made without a task file: core places them by kind and group, image by image.
    const loose = mine.find((s) => s.task === null);
    const untasked = new Set<CocoTask>();
    if (loose)
      for await (const item of rows.untaskedItems(stored))
        for (const t of annotatedTasks(item)) untasked.add(t);
    // Their counts and sources are known for all of them together, not per task file.
    if (untasked.size > 1) return fallback("annotations without a task file go to several task files");
    for (const t of untasked) annotated.add(t);
    const tasks = subsetTaskFiles(subset, annotated, {
      ...(params.tasks ? { tasks: params.tasks as CocoTask[] } : {}),
      sourceFiles,
    });
    for (const task of tasks) {
      if (task === "panoptic") return fallback("a panoptic file has PNGs beside its JSON");
      const own: TaskSummary | undefined = mine.find((s) => s.task === task);
      const parts = [own, untasked.has(task) ? loose : undefined].filter((p) => p !== undefined);
      if (parts.some((p) => p.zeroIds > 0))
        return fallback("annotations with id 0 get ids above their file's largest");
      if (
        usesUndeclared(
          head.categories,
          task,
          parts.flatMap((p) => p.categoryIds),
        )
      )
        return fallback(`annotations of ${task} use a category its files did not declare`);
      // The whole-dataset export restores the order of a single source file; others keep image order.
      const oneSource = parts.length > 0 && parts.every((p) => p.oneSource && p.file === parts[0]?.file);
      files.push({
        stored,
        subset,
        task,
        images,
        annotations: task === "image_info" ? 0 : parts.reduce((n, p) => n + p.count, 0),
        order: !oneSource ? "image" : parts.length === 1 && own?.rowOrdered ? "rows" : "source",
      });
    }
  }
  return { streamed: true, files, head };
}

function usesUndeclared(
  categories: { id: number; declaredIn?: Partial<Record<string, string[]>> }[],
  task: CocoTask,
  used: readonly number[],
): boolean {
  const declared = new Set(categories.filter((c) => c.declaredIn?.[task] !== undefined).map((c) => c.id));
  return declared.size > 0 && used.some((id) => !declared.has(id));
}

/** The record stream core's writer reads: the head, then per file its images and its annotations. */
async function* recordBatches(
  rows: ExportRows,
  plan: Extract<StreamPlan, { streamed: true }>,
  onRecords: (count: number) => void,
): AsyncGenerator<RecordBatch> {
  const { meta, categories } = plan.head;
  const sourceFiles = (meta.sourceFiles ?? []) as SourceTaskFile[];
  yield {
    kind: "dataset",
    layout: { name: "coco", container: "zip", files: [] } as unknown as Extract<
      RecordBatch,
      { kind: "dataset" }
    >["layout"],
    categories,
    sourceFiles,
    ...(meta.info === undefined ? {} : { info: meta.info }),
    ...(meta.licenses === undefined ? {} : { licenses: meta.licenses }),
    ...(meta.extra === undefined ? {} : { extra: meta.extra }),
  };
  for (const f of plan.files) {
    const file = `annotations/${f.task}_${f.subset}.json`;
    const where = { file, task: f.task, subset: f.subset };
    const sourceFile = sourceFiles.find((s) => s.task === f.task && s.subset === f.subset) ?? {
      task: f.task,
      subset: f.subset,
      hasCategories: true,
      hasAnnotations: true,
    };
    yield { kind: "file", ...where, sourceFile };
    for await (const records of rows.images(f.stored)) {
      onRecords(records.length);
      yield { kind: "images", ...where, records };
    }
    if (f.task === "image_info") continue;
    for await (const batch of rows.annotations(f.stored, f.task, f.order)) {
      onRecords(batch.reduce((n, r) => n + r.annotations.length, 0));
      yield {
        kind: "annotations",
        ...where,
        records: batch.map((r) => ({
          ...r,
          source: r.annotations[0]?.source ?? { file, list: "annotations", index: 0 },
        })),
      };
    }
  }
}

/**
 * Writes a planned streamed export as a COCO zip at `target`, atomically: a temporary sibling
 * (`.job-1.zip.<random>.tmp`, which startup removes if the server dies meanwhile), then a rename.
 * An abort or a failure removes the temporary file and leaves nothing.
 */
export async function writeStreamedZip(
  rows: ExportRows,
  plan: Extract<StreamPlan, { streamed: true }>,
  target: string,
  params: ExportParams,
  options: StepOptions = {},
): Promise<{ files: string[] }> {
  await useNodeZlib();
  // Progress counts the rows read: each file's images, then its annotations.
  const total = plan.files.reduce((n, f) => n + f.images + f.annotations, 0);
  let done = 0;
  options.onProgress?.({ phase: "write", done, total, unit: "records" });
  const result: RecordsExportResult = { images: 0, annotations: 0, files: [] };
  const batches = recordBatches(rows, plan, (n) => {
    done += n;
    options.onProgress?.({ phase: "write", done, total, unit: "records" });
  });
  const chunks = recordsZip(
    batches,
    {
      ...(params.segmentation_mode === undefined ? {} : { segmentationMode: params.segmentation_mode }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    },
    result,
  );
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  // Opened before the first chunk: a cancel that comes first still finds the file to remove.
  const handle = await open(temp, "wx");
  try {
    await pipeline(
      Readable.from(chunks),
      handle.createWriteStream(),
      options.signal ? { signal: options.signal } : {},
    );
    options.signal?.throwIfAborted();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  } finally {
    // A writer that stopped early leaves the reads suspended; closing them ends their SQLite
    // statements, so the connection is free for the job's end (and can be closed).
    await batches.return(undefined);
  }
  return { files: result.files };
}
