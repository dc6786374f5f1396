import { CocokitError } from "../errors.js";
import { type JsonRecord, scanRecordBatches } from "../json/records.js";
import type { CocoFileSource, ImportOptions } from "./import-options.js";

/** The records of a file, in batches: streamed from its bytes, or taken from its parsed document. */
export function recordsOf(
  source: CocoFileSource,
  options: ImportOptions,
): AsyncIterable<JsonRecord[]> | Iterable<JsonRecord[]> {
  if (source.document !== undefined) return [[...documentRecords(source.document, source.name)]];
  return scanRecordBatches(source.open(), {
    file: source.name,
    ...(source.size === undefined ? {} : { totalBytes: source.size }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: (p) => options.onProgress?.({ ...p, file: source.name }) } : {}),
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
