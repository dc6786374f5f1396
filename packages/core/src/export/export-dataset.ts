import { CocokitError } from "../errors.js";
import { writeDocument } from "../json/write-document.js";
import type { Dataset, Item } from "../model/types.js";
import { ProgressReporter, throwIfAborted } from "../progress/progress.js";
import { toPointer } from "../report/issue.js";
import { ReportBuilder } from "../report/report.js";
import { checkForExport } from "./check-dataset.js";
import type { ExportFile, ExportOptions, ExportResult } from "./export-options.js";
import { panopticPng, panopticPngName } from "./panoptic.js";
import { type PlannedAnnotation, planExport } from "./plan.js";
import { fileNameOf, taskDocument } from "./task-document.js";

/** A path that stays inside the output: relative, no `..`, no empty or backslash segments. */
export function isSafePath(path: string): boolean {
  return (
    !path.includes("\\") &&
    path.split("/").every((s) => s !== "" && s !== "." && s !== "..") &&
    !/^[A-Za-z]:/.test(path)
  );
}

async function* guarded(
  chunks: AsyncIterable<Uint8Array>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    throwIfAborted(signal);
    yield chunk;
  }
}

/**
 * Plans a COCO export of a dataset: one JSON file per task and subset
 * (`annotations/<task>_<subset>.json`), panoptic PNGs (`annotations/panoptic_<subset>/…`) and,
 * with `saveMedia`, the images (`images/<subset>/<file_name>`). Every file is generated as it is
 * read, so nothing holds a whole JSON document in memory.
 *
 * The dataset is checked first and every problem reported: when any is an error, this throws
 * `CocokitError` `export_failed` with `.issues` and no file is produced. Checking and planning
 * run here, once (phases `validate` and `build`); the files' bytes are made when they are opened
 * (phase `write`).
 * @example
 * const { files } = exportDataset(dataset);
 * for (const file of files) for await (const chunk of file.open()) write(file.path, chunk);
 */
export function exportDataset(dataset: Dataset, options: ExportOptions = {}): ExportResult {
  return exportWith(dataset, options, new ProgressReporter(options.onProgress));
}

/** `exportDataset` reporting to a reporter the caller shares with later phases (a zip's `compress`). */
export function exportWith(
  dataset: Dataset,
  options: ExportOptions,
  progress: ProgressReporter,
): ExportResult {
  const signal = options.signal;
  const check = checkForExport(dataset, options.maxIssues, { progress, ...(signal ? { signal } : {}) });
  if (!check.ok)
    throw new CocokitError(
      "export_failed",
      `expected a dataset that can be written as COCO, found ${check.errorCount} errors (first: ${check.issues.find((i) => i.severity === "error")?.message})`,
      { issues: check.issues },
    );
  const warnings = new ReportBuilder(options.maxIssues === undefined ? {} : { maxIssues: options.maxIssues });
  for (const issue of check.issues) warnings.add(issue);
  const plan = planExport(dataset, options, progress);
  const files: ExportFile[] = [];
  for (const file of plan.files) {
    const path = `annotations/${file.task}_${file.subset}.json`;
    files.push({
      path,
      task: file.task,
      subset: file.subset,
      open: () =>
        guarded(
          writeDocument(taskDocument(dataset, file, plan.imageIds, options, { reporter: progress, path })),
          signal,
        ),
    });
    if (file.task !== "panoptic") continue;
    const byItem = new Map<Item, PlannedAnnotation[]>();
    for (const p of file.annotations) {
      const list = byItem.get(p.item);
      if (list) list.push(p);
      else byItem.set(p.item, [p]);
    }
    for (const [item, segments] of byItem) {
      files.push({
        path: `annotations/panoptic_${file.subset}/${panopticPngName(item)}`,
        subset: file.subset,
        open: async function* () {
          throwIfAborted(signal);
          yield panopticPng(item, segments, options.reindex === true);
        },
      });
    }
  }
  if (options.saveMedia) {
    const seen = new Set<string>();
    dataset.items.forEach((item, index) => {
      if (!plan.imageIds.has(item)) return;
      const subset = item.subset === "" ? "default" : item.subset;
      const path = `images/${options.mergeImages ? "" : `${subset}/`}${fileNameOf(item, options.imageExt)}`;
      const media = item.media;
      const mediaFiles = options.media;
      if (media && !isSafePath(path)) {
        const where = ["items", index, "image", "fileName"];
        const pointer = toPointer(where);
        warnings.add({
          code: "unsafe_zip_entry",
          severity: "warning",
          message: `${pointer}: expected a relative file name inside the output, found ${JSON.stringify(item.image.fileName)}; the image is listed but not saved`,
          path: where,
          pointer,
          expected: "a relative path without '..'",
          found: item.image.fileName,
        });
        return;
      }
      if (!media || !mediaFiles) {
        const where = ["items", index, "media"];
        const pointer = toPointer(where);
        warnings.add({
          code: "missing_image_file",
          severity: "warning",
          message: `${pointer}: expected media for ${item.image.fileName} to save${media ? " and the media files to read it from (options.media)" : ""}, found none; the image is listed but not saved`,
          path: where,
          pointer,
          expected: "the item's media",
          found: "none",
        });
        return;
      }
      if (seen.has(path)) return;
      seen.add(path);
      files.push({
        path,
        subset,
        open: async function* () {
          throwIfAborted(signal);
          yield await mediaFiles.read(media.path, signal);
        },
      });
    });
  }
  return { files, report: warnings.finish() };
}

/**
 * The one file of a single-JSON output: the export must give exactly one task file and nothing
 * else. Throws `export_needs_archive` for panoptic annotations (their PNGs need a zip or a
 * directory) and `export_ambiguous` for none or several task files.
 */
export function singleJsonFile(files: readonly ExportFile[]): ExportFile {
  const json = files.filter((f) => f.path.endsWith(".json"));
  const panoptic = json.filter((f) => f.task === "panoptic").map((f) => f.path);
  if (panoptic.length > 0)
    throw new CocokitError(
      "export_needs_archive",
      `expected annotations that fit one JSON file, found panoptic annotations (${panoptic.join(", ")}): their segment PNGs need a .zip or directory output`,
    );
  if (json.length === 0)
    throw new CocokitError(
      "export_ambiguous",
      "expected one task file for a single JSON output, found none: the dataset has no items (in the chosen subsets)",
    );
  if (json.length !== 1 || files.length !== 1)
    throw new CocokitError(
      "export_ambiguous",
      `expected one task file for a single JSON output, found ${json.length}: ${json
        .slice(0, 10)
        .map((f) => f.path)
        .join(", ")}; choose one with the tasks and subsets options, or write a .zip or directory`,
    );
  return json[0] as ExportFile;
}

/**
 * Writes a dataset as one COCO JSON document (streamed as UTF-8 chunks). The dataset must give
 * exactly one task file: use `tasks` and `subsets` to pick one, otherwise this throws
 * `CocokitError` `export_ambiguous` listing the files it would write.
 * @example
 * for await (const chunk of exportJson(dataset, { tasks: ["instances"], subsets: ["train"] })) out.write(chunk);
 */
export function exportJson(dataset: Dataset, options: ExportOptions = {}): AsyncIterable<Uint8Array> {
  return singleJsonFile(exportDataset(dataset, { ...options, saveMedia: false }).files).open();
}
