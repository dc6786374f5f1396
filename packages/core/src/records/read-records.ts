import { CocokitError } from "../errors.js";
import type { ParseProgress } from "../import/file-records.js";
import type { ImportOptions } from "../import/import-options.js";
import { Importer } from "../import/importer.js";
import { detectLayout } from "../layouts/detect-layout.js";
import type { FileTree } from "../layouts/file-tree.js";
import { panopticPngReader } from "../panoptic/panoptic-pngs.js";
import { ProgressReporter, throwIfAborted } from "../progress/progress.js";
import { mergeReports } from "../read/merge-reports.js";
import { type DatasetInput, openInput } from "../read/open-input.js";
import type { ReadDatasetOptions } from "../read/read-options.js";
import { layoutInfo, sourcesOf, treeIssues } from "../read/read-tree.js";
import { type FileHead, headPass } from "./head-pass.js";
import { mainPass } from "./main-pass.js";
import type { RecordBatch } from "./record-batch.js";

/** Options of `readCocoRecords`: those of `importDataset` (media matching aside: records carry none). */
export type ReadRecordsOptions = Omit<ReadDatasetOptions, "media" | "readImageSizes">;

/**
 * Streams the records of a COCO dataset (a bare JSON file or a zip in any layout `importDataset`
 * reads) as the model's objects, checked by the same rules as `importDataset`, without building a
 * `Dataset`: memory holds the categories, a slim entry per image id and the annotation ids, never
 * the images or annotations read so far. Yields, in order, one `dataset` batch (categories and
 * file-level fields of every file), then per task file a `file` batch, its `images` and its
 * `annotations` (each annotation record as the shapes it became, one group), and an `end` batch
 * with the report: the same issues as `importDataset` (in another order: categories and file-level
 * problems first). Records with errors are skipped and counted in `report.skipped`; strict mode
 * (default) then throws `validation_failed` with `.issues` after the `end` batch's records, so a
 * consumer discards what it wrote.
 *
 * Each file is read twice (first its categories and file-level fields, then its images and
 * annotations; three times when it lists annotations before images), so the input must be
 * readable again: bytes, a Blob (Node: `fs.openAsBlob(path)`, read from disk) or a zip. A one-shot
 * stream of JSON is gathered into a Blob first.
 * @example
 * for await (const batch of readCocoRecords(await openAsBlob("instances_train2017.json"), { name: "instances_train2017.json" }))
 *   if (batch.kind === "annotations") count += batch.records.length;
 *   else if (batch.kind === "end") console.log(batch.report.errorCount);
 */
export async function* readCocoRecords(
  input: DatasetInput,
  options: ReadRecordsOptions = {},
): AsyncGenerator<RecordBatch> {
  const reporter = new ProgressReporter(options.onProgress);
  yield* readTreeRecords(await openInput(await gathered(input), options, reporter), options, reporter);
}

/** `readCocoRecords` over a file tree (the Node path helpers' zip or directory, say). */
export async function* readTreeRecords(
  tree: FileTree,
  options: ReadRecordsOptions = {},
  reporter: ProgressReporter = new ProgressReporter(options.onProgress),
): AsyncGenerator<RecordBatch> {
  const layout = detectLayout(tree);
  const readPanopticPng = panopticPngReader(tree, layout.files, options.signal);
  const json: ImportOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(readPanopticPng ? { readPanopticPng } : {}),
  };
  const sources = sourcesOf(layout);
  // Categories and file-level fields of every file first: a task file's output lists the
  // dataset's categories and the first file's `info`, whichever file they came from.
  const first = new Importer(options.maxIssues);
  const heads: FileHead[] = [];
  for (const source of sources) heads.push(await headPass(first, source, json));
  if (heads.length > 0 && heads.every((h) => !h.coco)) {
    // As `importFiles`: input of which no file is COCO is not a dataset with issues.
    const issue = first.report.finish().issues.find((i) => i.code === "not_coco");
    throw new CocokitError("not_coco", issue?.message ?? "expected a COCO file", {
      ...(issue?.file === undefined ? {} : { file: issue.file }),
      pointer: "",
      issues: first.report.finish().issues,
    });
  }
  const info = layoutInfo(layout);
  yield {
    kind: "dataset",
    layout: info,
    categories: [...first.categories.values()],
    sourceFiles: first.sourceFiles,
    ...(first.info ? { info: first.info } : {}),
    ...(first.licenses ? { licenses: first.licenses } : {}),
    ...(first.extra ? { extra: first.extra } : {}),
  };
  const second = new Importer(options.maxIssues);
  // Progress over the second passes of all files, as importDataset's over its one.
  const sizes = sources.map((s) => s.size);
  const total = sizes.every((s) => s !== undefined)
    ? sizes.reduce<number>((a, s) => a + (s ?? 0), 0)
    : undefined;
  const parse: ParseProgress = { reporter, before: 0, ...(total === undefined ? {} : { total }) };
  for (const [i, source] of sources.entries()) {
    const head = heads[i] as FileHead;
    if (!head.coco) continue;
    // The categories known when `importFiles` reads this file: its own and those of the files before.
    for (const { id } of head.state.declared) {
      const category = first.categories.get(id);
      if (category && !second.categories.has(id)) second.categories.set(id, category);
    }
    const task = head.state.finalTask();
    const sourceFile = first.sourceFiles.find((f) => f.task === task && f.subset === source.subset) ?? {
      task,
      subset: source.subset,
      hasCategories: head.state.members.has("categories"),
      hasAnnotations: head.state.members.has("annotations"),
    };
    yield { kind: "file", file: source.name, task, subset: source.subset, sourceFile };
    yield* mainPass(second, source, head, json, parse);
    parse.before += source.size ?? 0;
  }
  throwIfAborted(options.signal, tree.name);
  const main = second.report.finish();
  const firstReport = first.report.finish();
  const joined = mergeReports(main, [...firstReport.issues, ...treeIssues(tree)], [], options.maxIssues);
  const report = { ...joined, skipped: first.skipped + second.skipped };
  yield { kind: "end", report, layout: info };
  if (options.mode !== "lenient" && !report.ok)
    throw new CocokitError(
      "validation_failed",
      `expected a valid COCO dataset, found ${report.errorCount} errors (first: ${report.issues.find((x) => x.severity === "error")?.message ?? "?"})`,
      { issues: report.issues },
    );
}

/** A one-shot stream, gathered into a Blob so each file can be read twice. */
async function gathered(input: DatasetInput): Promise<DatasetInput> {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer || input instanceof Blob) return input;
  // Only streams are gathered: anything else (a path string, say) goes on to openInput, which
  // refuses it as importDataset does (`unsupported_input`), instead of being read as JSON text.
  const stream =
    input instanceof ReadableStream ||
    (typeof input === "object" && input !== null && Symbol.asyncIterator in input);
  if (!stream) return input;
  const parts: BlobPart[] = [];
  for await (const chunk of input as AsyncIterable<Uint8Array>) parts.push(chunk as BlobPart);
  return new Blob(parts);
}
