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

const COCO_MEMBERS = ["images", "annotations", "categories"] as const;

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
}

/**
 * The first pass over one file: everything but the elements of `images` and `annotations`, which
 * are only counted (and the first annotation decides the task, as in `importFiles`). Categories,
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
  const head = (coco: boolean, readable: boolean): FileHead => ({
    state,
    coco,
    annotationObjects,
    readable,
    annotationsFirst: [...state.members].indexOf("annotations") < [...state.members].indexOf("images"),
  });
  try {
    imp.fileOpen = true;
    for await (const batch of recordsOf(source, options))
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
  } catch (e) {
    if (!(e instanceof CocokitError) || e.code === "aborted") throw e;
    imp.readError(e, source.name);
    imp.abandonFile();
    // The records before the error are still read, as `importFiles` keeps them.
    return head(true, state.members.has("images"));
  }
  if (!COCO_MEMBERS.some((k) => state.members.has(k))) {
    imp.notCoco(source.name, state.members);
    imp.abandonFile();
    return head(false, false);
  }
  const readable = finishFile(imp, state, fields, annotationObjects);
  return head(true, readable);
}
