import { taskFromFileName } from "../coco/tasks.js";
import { CocokitError } from "../errors.js";
import { recordsOf } from "../import/file-records.js";
import { FileState } from "../import/file-state.js";
import {
  type FileFields,
  fileLevelRecord,
  finishFile,
  type RecordWithProblems,
  reportProblems,
} from "../import/import-files.js";
import type { CocoFileSource, ImportOptions } from "../import/import-options.js";
import type { Importer } from "../import/importer.js";
import { isObj } from "../import/record-fields.js";
import { type JsonRecord, scanRecordBatches } from "../json/records.js";

const COCO_MEMBERS = ["images", "annotations", "categories"] as const;
// Read by the second pass: here only their first elements are parsed (members, order, task).
const SECOND_PASS = new Set(["images", "annotations"]);

/** What the first pass over a file found, for its second. */
export interface FileHead {
  state: FileState;
  /** False for a file that is not COCO: its records are not read again. */
  coco: boolean;
  /** Annotation records that are objects (counted as skipped when the file has no `images`). */
  annotationObjects: number;
  /** The file lists `annotations` before `images`: the second pass reads them in two scans. */
  annotationsFirst: boolean;
  /** The annotations can be read: the file has `images` (or no annotations). */
  readable: boolean;
  /**
   * This pass stopped at a read error, and reported it. The pass steps over the elements of
   * `images` and `annotations` unparsed, so an error inside one is the second pass's to report.
   */
  failed: boolean;
}

/**
 * The file's records for this pass: elements of `images` and `annotations` after the first are
 * stepped over by the scanner (`skip`), which saves parsing most of the file twice.
 */
function headRecords(
  source: CocoFileSource,
  options: ImportOptions,
): AsyncIterable<JsonRecord[]> | Iterable<JsonRecord[]> {
  if (source.document !== undefined) return recordsOf(source, options);
  return scanRecordBatches(source.open(), {
    file: source.name,
    ...(source.size === undefined ? {} : { totalBytes: source.size }),
    ...(options.signal ? { signal: options.signal } : {}),
    skip: SECOND_PASS,
  });
}

/** Annotation records that are objects, all read: only a file without `images` needs the count. */
async function annotationObjectsOf(source: CocoFileSource, options: ImportOptions): Promise<number> {
  let n = 0;
  for await (const batch of recordsOf(source, options))
    for (const rec of batch)
      if (rec.key === "annotations" && rec.index >= 0 && !(rec as RecordWithProblems).problems?.length)
        if (isObj(rec.value)) n++;
  return n;
}

/**
 * The first pass over one file: everything but the elements of `images` and `annotations`, which
 * are stepped over unparsed but for the first (the first annotation decides the task, as in
 * `importFiles`). Categories,
 * `info`, `licenses` and other members go through the importer's own code, so a later pass, and
 * any writer, knows every category and file-level field before the first image.
 */
export async function headPass(
  imp: Importer,
  source: CocoFileSource,
  options: ImportOptions,
): Promise<FileHead> {
  const state = new FileState(source.name, source.subset, source.task ?? taskFromFileName(source.name).task);
  const fields: FileFields = { extra: {} };
  let annotationObjects = 0;
  const head = (coco: boolean, readable: boolean, failed = false): FileHead => ({
    state,
    failed,
    coco,
    annotationObjects,
    readable,
    annotationsFirst: [...state.members].indexOf("annotations") < [...state.members].indexOf("images"),
  });
  try {
    imp.fileOpen = true;
    for await (const batch of headRecords(source, options))
      for (const rec of batch) {
        state.members.add(rec.key);
        const problems = (rec as RecordWithProblems).problems;
        if (rec.index >= 0 && (rec.key === "images" || rec.key === "annotations")) {
          // Read in the second pass; its problems are reported there.
          if (rec.key === "annotations" && !problems?.length) {
            state.taskFor(rec.value);
            if (isObj(rec.value)) annotationObjects++;
          }
          continue;
        }
        if (problems && reportProblems(imp, source.name, rec)) continue;
        if (rec.key === "categories" && rec.index >= 0) imp.category(state, rec.index, rec.value);
        else fileLevelRecord(imp, source.name, rec, fields);
      }
    // Annotations that wait for images that never come are counted as skipped: all of them.
    if (source.document === undefined && state.members.has("annotations") && !state.members.has("images"))
      annotationObjects = await annotationObjectsOf(source, options);
  } catch (e) {
    if (!(e instanceof CocokitError) || e.code === "aborted") throw e;
    imp.readError(e, source.name);
    imp.abandonFile();
    // The records before the error are still read, as `importFiles` keeps them.
    return head(true, state.members.has("images"), true);
  }
  if (!COCO_MEMBERS.some((k) => state.members.has(k))) {
    imp.notCoco(source.name, state.members);
    imp.abandonFile();
    return head(false, false);
  }
  const readable = finishFile(imp, state, fields, annotationObjects);
  return head(true, readable);
}
