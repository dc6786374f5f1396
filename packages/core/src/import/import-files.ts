import { taskFromFileName } from "../coco/tasks.js";
import { CocokitError, InternalError } from "../errors.js";
import type { JsonRecord } from "../json/records.js";
import type { CocoTask, Dataset } from "../model/types.js";
import { ProgressReporter, throwIfAborted } from "../progress/progress.js";
import type { IssueCode } from "../report/issue.js";
import type { Report } from "../report/report.js";
import { described } from "../validate/issue-sink.js";
import { type ParseProgress, recordsOf } from "./file-records.js";
import { FileState } from "./file-state.js";
import type { CocoFileSource, ImportOptions } from "./import-options.js";
import { Importer } from "./importer.js";
import { panopticRecord } from "./panoptic-record.js";
import { readAnnotation } from "./read-annotation.js";
import { isObj } from "./record-fields.js";

/**
 * Reads COCO JSON files into one `Dataset`, reporting every problem. Strict mode (default) throws
 * `CocokitError` `validation_failed` with `.issues` when any error is found; lenient mode skips the
 * records with errors and counts them in `report.skipped`.
 *
 * @example
 * const { dataset, report } = await importFiles([{ name: "instances_train.json", subset: "train", open: () => chunks }]);
 */
export async function importFiles(
  sources: readonly CocoFileSource[],
  options: ImportOptions = {},
): Promise<{ dataset: Dataset; report: Report }> {
  const imp = await readFiles(sources, options, true);
  const report = imp.report.finish();
  if (report.counts.not_coco === sources.length && sources.length > 0) {
    const first = report.issues.find((i) => i.code === "not_coco");
    throw new CocokitError("not_coco", first?.message ?? "expected a COCO file", {
      ...(first?.file === undefined ? {} : { file: first.file }),
      pointer: "",
      issues: report.issues,
    });
  }
  if (options.mode !== "lenient" && !report.ok) {
    throw new CocokitError(
      "validation_failed",
      `expected a valid COCO dataset, found ${report.errorCount} errors`,
      { issues: report.issues },
    );
  }
  const dataset: Dataset = {
    categories: [...imp.categories.values()],
    items: imp.itemOrder,
    sourceFiles: imp.sourceFiles,
  };
  if (imp.info) dataset.info = imp.info;
  if (imp.licenses) dataset.licenses = imp.licenses;
  if (imp.extra) dataset.extra = imp.extra;
  return { dataset, report: { ...report, skipped: imp.skipped } };
}

/**
 * Checks COCO JSON files in one streaming pass and returns every problem, without building the
 * model: annotations are checked and dropped, so memory holds the images and categories (for
 * cross-references) but not the annotations. The same checks as `importFiles`.
 *
 * @example
 * const report = await validateFiles([{ name: "instances_train2017.json", subset: "train2017", open: () => chunks }]);
 * console.log(report.ok, report.errorCount, report.counts);
 */
export async function validateFiles(
  sources: readonly CocoFileSource[],
  options: ImportOptions = {},
): Promise<Report> {
  const imp = await readFiles(sources, options, false);
  return { ...imp.report.finish(), skipped: imp.skipped };
}

const COCO_MEMBERS = ["images", "annotations", "categories"] as const;

async function readFiles(
  sources: readonly CocoFileSource[],
  options: ImportOptions,
  keep: boolean,
): Promise<Importer> {
  const imp = new Importer(options.maxIssues);
  imp.keep = keep;
  const reporter = new ProgressReporter(options.onProgress);
  const sizes = sources.map((s) => s.size);
  const parse: ParseProgress = { reporter, before: 0 };
  if (sizes.every((s) => s !== undefined)) parse.total = sizes.reduce<number>((a, s) => a + (s ?? 0), 0);
  for (const source of sources) {
    throwIfAborted(options.signal, source.name);
    const state = new FileState(
      source.name,
      source.subset,
      source.task ?? taskFromFileName(source.name).task,
    );
    const pending: { index: number; value: unknown }[] = [];
    const panoptic: { index: number; value: unknown }[] = [];
    const fields: FileFields = { extra: {} };
    try {
      imp.fileOpen = true;
      for await (const batch of recordsOf(source, options, parse))
        for (const rec of batch) {
          state.members.add(rec.key);
          if ((rec as RecordWithProblems).problems && reportProblems(imp, source.name, rec)) continue;
          if (rec.key === "images" && rec.index >= 0)
            imp.image(source.name, source.subset, rec.index, rec.value);
          else if (rec.key === "categories" && rec.index >= 0) imp.category(state, rec.index, rec.value);
          // Files usually list images and categories first; an annotation whose image has not been
          // seen yet waits for the end of its file (files may list them in any order).
          else if (rec.key === "annotations" && rec.index >= 0) {
            if (state.taskFor(rec.value) === "panoptic")
              panoptic.push({ index: rec.index, value: rec.value });
            else if (canResolve(imp, source.subset, rec.value))
              readAnnotation(imp, state, rec.index, rec.value);
            else pending.push({ index: rec.index, value: rec.value });
          } else fileLevelRecord(imp, source.name, rec, fields);
        }
    } catch (e) {
      if (!(e instanceof CocokitError) || e.code === "aborted") throw e;
      imp.readError(e, source.name);
      imp.abandonFile();
      parse.before += source.size ?? 0;
      continue;
    } finally {
      // The last progress event comes after the last chunk: an abort fired there stops here.
      throwIfAborted(options.signal, source.name);
    }
    parse.before += source.size ?? 0;
    if (!COCO_MEMBERS.some((k) => state.members.has(k))) {
      imp.notCoco(source.name, state.members);
      imp.abandonFile();
      continue;
    }
    if (!finishFile(imp, state, fields, pending.length + panoptic.length)) continue;
    await readPending(imp, state, pending, options.signal);
    for (let i = 0; i < panoptic.length; i++) {
      const a = panoptic[i] as { index: number; value: unknown };
      reporter.report({ phase: "build", done: i, total: panoptic.length, unit: "files", file: source.name });
      throwIfAborted(options.signal, source.name);
      await panopticRecord(imp, source, a.index, a.value, options);
    }
    if (panoptic.length > 0)
      reporter.report({
        phase: "build",
        done: panoptic.length,
        total: panoptic.length,
        unit: "files",
        file: source.name,
      });
  }
  return imp;
}

// A file that lists annotations before their images (Objects365) leaves them all to the end:
// hundreds of thousands read in one synchronous loop would hold off an abort, so it yields to
// the event loop every 50 ms.
async function readPending(
  imp: Importer,
  state: FileState,
  pending: readonly { index: number; value: unknown }[],
  signal: AbortSignal | undefined,
): Promise<void> {
  let since = Date.now();
  for (let i = 0; i < pending.length; i++) {
    const a = pending[i] as { index: number; value: unknown };
    readAnnotation(imp, state, a.index, a.value);
    if ((i & 1023) === 1023 && Date.now() - since >= 50) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      throwIfAborted(signal, state.name);
      since = Date.now();
    }
  }
}

/**
 * The end of a file read to its end (`Importer.endOfFile` and what the reader knows): a name that
 * disagrees with the content, the file-level fields kept, and one error for annotations that name
 * images of a file without `images`. False when the `waiting` annotations cannot be read (then
 * they are counted as skipped).
 */
export function finishFile(imp: Importer, state: FileState, fields: FileFields, waiting: number): boolean {
  const name = state.name;
  if (state.conflict)
    imp.issue(
      "task_mismatch",
      name,
      [],
      `a ${state.taskFromName} file, as its name says`,
      described(`${state.task} annotations (read as ${state.task}: the content decides)`),
      "warning",
    );
  keepFileFields(imp, fields);
  imp.endOfFile(state, waiting > 0 || state.members.has("annotations"));
  if (state.members.has("images") || waiting === 0) return true;
  // One error for the file, not one unknown_image per annotation.
  imp.issue("missing_field", name, ["images"], "an images list (the annotations name images)", undefined);
  imp.skipped += waiting;
  return false;
}

/** The file-level fields of one file (licenses, other top-level members), rebuilt per file. */
export interface FileFields {
  licenses?: unknown[];
  extra: Record<string, unknown>;
}

/**
 * A record that is not an element of `images`, `annotations` or `categories`: `info`, `licenses`,
 * any other top-level member (kept verbatim), or one of those three lists given whole (empty, or
 * not a list at all). Shared by `importFiles` and the record reader (`readCocoRecords`).
 */
export function fileLevelRecord(imp: Importer, file: string, rec: JsonRecord, fields: FileFields): void {
  const extra = fields.extra;
  if (rec.key === "images" || rec.key === "categories" || rec.key === "annotations") {
    // Yielded whole: an empty list (nothing to read) or not a list at all.
    if (!(Array.isArray(rec.value) && rec.value.length === 0))
      imp.issue("invalid_type", file, [rec.key], "an array", rec.value);
  } else if (rec.key === "info" && isObj(rec.value)) imp.info ??= rec.value;
  else if (rec.key === "licenses" && rec.index < 0 && !Array.isArray(rec.value)) {
    // No reader uses licenses (OneHand10K writes ""): kept verbatim, and said.
    imp.issue("invalid_type", file, ["licenses"], "a list of licenses (kept as it is)", rec.value, "warning");
    extra.licenses = rec.value;
  } else if (rec.key === "licenses") {
    fields.licenses ??= [];
    if (rec.index < 0) fields.licenses.push(...(rec.value as unknown[]));
    else fields.licenses.push(rec.value);
  } else if (rec.index < 0) extra[rec.key] = rec.value;
  else {
    // Elements of another top-level array: rebuild the array so it is written back verbatim.
    const list = extra[rec.key];
    if (Array.isArray(list)) list.push(rec.value);
    else extra[rec.key] = [rec.value];
  }
}

/** The end of a file read to its end: the first file that has a file-level field defines it for the dataset. */
export function keepFileFields(imp: Importer, fields: FileFields): void {
  if (fields.licenses) imp.licenses ??= fields.licenses;
  for (const [key, value] of Object.entries(fields.extra)) {
    imp.extra ??= {};
    if (!(key in imp.extra)) imp.extra[key] = value;
  }
}

// The reader's problems of a record's text (see `JsonRecord.problems`).
export type RecordWithProblems = JsonRecord & {
  problems?: { code: IssueCode; path: (string | number)[]; expected: string; found: string }[];
};

/** True when the image an annotation record names is already known (or the record is not an object). */
function canResolve(imp: Importer, subset: string, v: unknown): boolean {
  if (!isObj(v)) return true;
  return imp.items.get(subset)?.has(v.image_id as number) === true;
}

/** Problems the reader found in a record's text (duplicate keys, `__proto__`): each reported, the record skipped. */
export function reportProblems(imp: Importer, file: string, rec: RecordWithProblems): boolean {
  const problems = rec.problems ?? [];
  if (problems.length === 0) return false;
  const at = rec.index >= 0 ? [rec.key, rec.index] : [rec.key];
  for (const p of problems) imp.issue(p.code, file, [...at, ...p.path], p.expected, described(p.found));
  imp.skipped++;
  return true;
}

/**
 * Reads one already parsed COCO file (the result of `JSON.parse`) into a `Dataset`: the in-memory
 * counterpart of `importFiles`, with the same checks and the same result. Use it when the JSON is
 * already in memory; for files, `importFiles`/`importDataset` stream and need less memory.
 * @example
 * const { dataset, report } = await importJson(JSON.parse(text), { name: "instances_val.json", subset: "val" });
 */
export async function importJson(
  document: unknown,
  options: ImportOptions & { name?: string; subset?: string; task?: CocoTask } = {},
): Promise<{ dataset: Dataset; report: Report }> {
  const name = options.name ?? "dataset.json";
  const fromName = taskFromFileName(name);
  const task = options.task ?? fromName.task;
  const source: CocoFileSource = {
    name,
    subset: options.subset ?? fromName.subset ?? "default",
    ...(task ? { task } : {}),
    open: () => {
      throw new InternalError("a parsed document has no bytes to open");
    },
    document,
  };
  return importFiles([source], options);
}
