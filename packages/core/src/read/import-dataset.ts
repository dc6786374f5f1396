import { ProgressReporter } from "../progress/progress.js";
import { type DatasetInput, openInput } from "./open-input.js";
import type { ImportResult, ReadDatasetOptions, ValidationResult } from "./read-options.js";
import { importTree, validateTree } from "./read-tree.js";

/**
 * Reads a COCO dataset from a bare JSON file (any name; its task from the name or the content) or
 * a zip in any known layout (CVAT/Datumaro `annotations/<task>_<subset>.json` + `images/`, mmdet,
 * Roboflow), streaming the JSON and matching image files to items. Browser-safe: pass bytes, a
 * Blob/File, or a stream. Strict mode (default) throws `validation_failed` with every issue; also
 * throws `annotations_not_found`, `invalid_zip`, `zip_limit_exceeded`, `overlapping_zip_entries`,
 * `aborted`. Progress (`onProgress`, throttled) goes through phases: `read` (a streamed zip being
 * buffered), `unzip` (entries listed), `parse` (JSON bytes), `build` (panoptic PNGs), `media`
 * (items matched to image files, headers read); `signal` stops any of them within 100 ms. The
 * dataset is plain data; the image bytes are in `mediaFiles`. Damaged or misleading entries (`zip_crc_mismatch`, `zip_entry_mismatch`,
 * `duplicate_zip_entry`) are issues in the report, naming the entry.
 * @example
 * const { dataset, report, layout, media, mediaFiles } = await importDataset(file, {
 *   mode: "lenient",
 *   onProgress: (p) => bar(p.phase, p.done / (p.total ?? 1)),
 * });
 * console.log(layout.name, dataset.items.length, media?.missing.length, report.warningCount);
 * const bytes = await mediaFiles?.read(dataset.items[0].media.path);
 */
export async function importDataset(
  input: DatasetInput,
  options: ReadDatasetOptions = {},
): Promise<ImportResult> {
  const progress = new ProgressReporter(options.onProgress);
  return importTree(await openInput(input, options, progress), options, progress);
}

/**
 * Checks a COCO dataset (same inputs as `importDataset`) without building the model, returning
 * every problem found and the layout detected. Throws only when the input cannot be read at all
 * (`annotations_not_found`, `invalid_zip`, `zip_limit_exceeded`, `overlapping_zip_entries`, `aborted`).
 * @example
 * const report = await validateDataset(bytes, { name: "instances_val2017.json" });
 * if (!report.ok) for (const issue of report.issues) console.log(issue.pointer, issue.message);
 */
export async function validateDataset(
  input: DatasetInput,
  options: ReadDatasetOptions = {},
): Promise<ValidationResult> {
  const progress = new ProgressReporter(options.onProgress);
  return validateTree(await openInput(input, options, progress), options, progress);
}
