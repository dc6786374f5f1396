import { CocokitError } from "../errors.js";

/**
 * One record of a COCO JSON file: an element of a top-level array (`images[12]`), or a
 * top-level value that is not an array (`info`).
 */
export interface JsonRecord {
  /** Top-level key: `images`, `annotations`, `categories`, `info`, `licenses`, or any other. */
  key: string;
  /** Position in the top-level array, or -1 for a top-level value that is not an array. */
  index: number;
  value: unknown;
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
}

/**
 * Yields the records of a COCO JSON document as it parses, never holding the whole file as one
 * string. Top-level arrays are split into their elements; other top-level values are yielded whole.
 *
 * Throws `CocokitError` with code `empty_input`, `malformed_json` (message with line and column),
 * `invalid_encoding`, `invalid_type` (top level is not an object) or `aborted`.
 *
 * PLACEHOLDER: this version parses the whole document at once; the streaming scanner replaces it.
 */
export async function* scanRecords(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ScanOptions = {},
): AsyncGenerator<JsonRecord> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    options.signal?.throwIfAborted();
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  if (total === 0) throw new CocokitError("empty_input", "expected a JSON object, found an empty input", fileOf(options));
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new CocokitError("invalid_encoding", "expected UTF-8 text, found invalid byte sequences", {
      ...fileOf(options),
      cause,
    });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new CocokitError("malformed_json", `expected valid JSON: ${(cause as Error).message}`, {
      ...fileOf(options),
      cause,
    });
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new CocokitError("invalid_type", "expected a JSON object at the top level", { ...fileOf(options), pointer: "" });
  }
  let records = 0;
  for (const [key, value] of Object.entries(doc)) {
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        records++;
        yield { key, index, value: value[index] };
      }
    } else {
      records++;
      yield { key, index: -1, value };
    }
  }
  options.onProgress?.({ bytesRead: total, totalBytes: total, records });
}

function fileOf(options: ScanOptions): { file?: string } {
  return options.file === undefined ? {} : { file: options.file };
}
