import { CocokitError } from "../errors.js";
import { type JsonRecord, scanRecordBatches } from "../json/records.js";
import type { ProgressReporter } from "../progress/progress.js";
import type { CocoFileSource, ImportOptions } from "./import-options.js";

/** Where the `parse` phase of a file stands among all the files of one import. */
export interface ParseProgress {
  reporter: ProgressReporter;
  /** Bytes of the files read before this one. */
  before: number;
  /** All files' bytes, when every size is known. */
  total?: number;
}

/**
 * The records of a file, in batches: streamed from its bytes, or taken from its parsed document.
 * The scanner's byte counts become `parse` events, counted over all files of the import.
 */
export function recordsOf(
  source: CocoFileSource,
  options: ImportOptions,
  progress?: ParseProgress,
): AsyncIterable<JsonRecord[]> | Iterable<JsonRecord[]> {
  if (source.document !== undefined) return [[...documentRecords(source.document, source.name)]];
  const file = source.name;
  const total = progress?.total;
  return scanRecordBatches(source.open(), {
    file,
    ...(source.size === undefined ? {} : { totalBytes: source.size }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(progress?.reporter.active
      ? {
          onProgress: (p) =>
            progress.reporter.report({
              phase: "parse",
              done: progress.before + p.bytesRead,
              unit: "bytes",
              file,
              ...(total === undefined ? {} : { total }),
            }),
        }
      : {}),
  });
}

/**
 * The records `scanRecords` would yield for a parsed document: each element of a non-empty
 * top-level array with its index, any other top-level value (an empty array too) whole.
 */
function* documentRecords(document: unknown, file: string): Generator<JsonRecord> {
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new CocokitError(
      "invalid_type",
      "expected a JSON object at the top level, found another JSON value",
      {
        file,
        pointer: "",
      },
    );
  for (const [key, value] of Object.entries(document)) {
    if (Array.isArray(value) && value.length > 0)
      for (let i = 0; i < value.length; i++) yield { key, index: i, value: value[i] };
    else yield { key, index: -1, value };
  }
}
