/**
 * The streaming reader of COCO JSON files: its public names. The reader itself is split by what
 * each part is for (see docs/streaming-reader.md):
 *
 * - top-level.ts — the grammar of the top-level object and its arrays, chunk by chunk;
 * - value-reader.ts — which way each value or array element is read, and the general way;
 * - number-run.ts, minified-run.ts, scanned-batch.ts — the fast paths, each with why it exists;
 * - read-context.ts — the state they share, errors, and parsing one record alone;
 * - top-level-keys.ts — repeated and forbidden top-level keys;
 * - bytes.ts — the bytes they look for.
 */

import type { JsonProblem } from "./json-problem.js";
import { scanRecordBatches } from "./top-level.js";

export type { JsonProblem } from "./json-problem.js";
export { scanRecordBatches } from "./top-level.js";

/**
 * One record of a COCO JSON file: an element of a top-level array (`images[12]`), or a
 * top-level value that is not an array (`info`).
 */
export interface JsonRecord {
  /** Top-level key: `images`, `annotations`, `categories`, `info`, `licenses`, or any other. */
  key: string;
  /** Position in the top-level array, or -1 for a top-level value that is not an array. */
  index: number;
  /** The parsed value; undefined when the record has `problems`. */
  value: unknown;
  /** Problems of the record's text that JSON.parse hides; the importer reports each and skips the record. */
  problems?: JsonProblem[];
}

/** How far a read has got. */
export interface ReadProgress {
  bytesRead: number;
  /** Total size when known (files, blobs); undefined for streams of unknown length. */
  totalBytes?: number;
  records: number;
}

/** Options shared by every long read. */
export interface ScanOptions {
  /** Name used in errors and issues. */
  file?: string;
  totalBytes?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
  /**
   * Top-level arrays whose elements are stepped over once one of them has been yielded without
   * problems (the first, mostly; a fast path may yield a few more with it): only where the array
   * ends is found (brackets and strings), so they are neither parsed nor yielded, and a syntax
   * error among them goes unnoticed (a truncated file is still reported). The records yielded still
   * show that the key is there, where, and what its first element is. For a pass that needs
   * everything but those arrays (the record reader's first pass skips `images` and `annotations`).
   */
  skip?: ReadonlySet<string>;
}

/**
 * Yields the records of a COCO JSON document as it parses, never holding the whole file as one
 * string. Top-level arrays are split into their elements; other top-level values, and empty arrays,
 * are yielded whole (`index` -1).
 *
 * What JSON.parse would hide is reported, not read: a record with a key repeated in one of its
 * objects, a key `__proto__`, `constructor` or `prototype`, nesting deeper than 512 levels or an
 * integer literal past 2^53 - 1 is yielded with `problems` and without its value. A top-level
 * key seen before (or a forbidden one) is yielded once, as `{ key, index: -1, value: undefined,
 * problems }` with a problem at path [], and its value is read (a syntax error in it still
 * throws) but none of its records are yielded: the first occurrence's records stand alone.
 *
 * Throws `CocokitError` with code `empty_input`, `malformed_json` (message with line and column),
 * `invalid_encoding`, `invalid_type` (top level is not an object) or `aborted`.
 * @example
 * for await (const { key, index, value } of scanRecords(chunksOf(blob))) if (key === "images") count++;
 */
export async function* scanRecords(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ScanOptions = {},
): AsyncGenerator<JsonRecord> {
  for await (const batch of scanRecordBatches(source, options)) yield* batch;
}
