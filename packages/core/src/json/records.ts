import { CocokitError } from "../errors.js";
import { followingElements, lastObjectBoundary, type ScanState, scanToEnd } from "./element-bounds.js";
import { findProblems } from "./find-problems.js";
import { type JsonProblem, topLevelKeyProblem } from "./json-problem.js";
import { NumberObjects, Stop } from "./number-objects.js";
import { mayHideProblems } from "./problem-gate.js";
import { endOfChunk, errorPosition, type Position, RecordBytes } from "./record-bytes.js";

export type { JsonProblem } from "./json-problem.js";

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
}

// Top-level grammar states; everything inside a record is only bracket-counted here and parsed
// by the native JSON.parse, which is far faster than any event-based parser in JavaScript.
enum S {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  ValueStart,
  ElementStart,
  FirstElementOrEnd,
  InValue,
  AfterElement,
  AfterValue,
  End,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

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

/**
 * `scanRecords`, yielding the records of each chunk together: one promise per chunk instead of
 * one per record, which a reader of 800k annotations notices.
 */
export async function* scanRecordBatches(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ScanOptions = {},
): AsyncGenerator<JsonRecord[]> {
  let batch: JsonRecord[] = [];
  const file = options.file === undefined ? {} : { file: options.file };
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const record = new RecordBytes();
  let state = S.Start;
  let key = "";
  let index = -1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let bytesRead = 0;
  let records = 0;
  let line = 1; // line of the current chunk's start
  let column = 1; // column of the current chunk's start
  const topLevelKeys = new Map<string, number>(); // how often each was seen
  let dropping = false; // the current top-level value's records are not yielded (its key repeats)
  // Problems of the values parsed last, one entry per value, or undefined when none has any.
  let problems: (JsonProblem[] | undefined)[] | undefined;
  // `text` is bytes[from, to) decoded, which JSON.parse read as `values`.
  const check = (values: unknown[], text: string, bytes: Uint8Array, from: number, to: number) =>
    mayHideProblems(values, text) ? findProblems(bytes, from, to) : undefined;
  // Records are made where they are pushed, one object literal per way of reading: one function
  // that pushed for all of them made a read of W1 take 1.4× the time and 1.4× the memory.

  const pointer = () => `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}${index >= 0 ? `/${index}` : ""}`;
  const where = (chunk: Uint8Array, at: number, from: Position = { line, column }): Position => {
    let l = from.line;
    let c = from.column;
    for (let i = 0; i < at; i++) {
      if (chunk[i] === 0x0a) {
        l++;
        c = 1;
      } else if (((chunk[i] as number) & 0xc0) !== 0x80) c++;
    }
    return { line: l, column: c };
  };
  const malformed = (expected: string, chunk: Uint8Array | undefined, at: number, recordPointer?: string) => {
    const pos = chunk ? where(chunk, at) : { line, column };
    const found =
      chunk && at < chunk.length ? `'${String.fromCharCode(chunk[at] as number)}'` : "the end of input";
    return new CocokitError(
      "malformed_json",
      `expected ${expected} at line ${pos.line}, column ${pos.column}, found ${found}`,
      { ...file, ...(recordPointer === undefined ? {} : { pointer: recordPointer }) },
    );
  };
  // Parses the elements [bounds[2k], bounds[2k+1]) of one chunk together. If that fails (bad
  // bytes or bad JSON somewhere), each is parsed alone, so the error names the exact element.
  const parseBatch = (chunk: Uint8Array, bounds: number[]): unknown[] => {
    const count = bounds.length / 2;
    const from = bounds[0] as number;
    const to = bounds[bounds.length - 1] as number;
    try {
      const text = decoder.decode(chunk.subarray(from, to));
      const values = JSON.parse(`[${text}]`) as unknown;
      if (Array.isArray(values) && values.length === count) {
        problems = check(values, text, chunk, from, to);
        return values;
      }
    } catch {
      // fall through to one element at a time
    }
    const values: unknown[] = [];
    const found: (JsonProblem[] | undefined)[] = [];
    const first = index;
    for (let k = 0; k < count; k++) {
      index = first + k;
      record.begin(chunk, bounds[2 * k] as number, line, column);
      record.push(chunk, bounds[2 * k] as number, bounds[2 * k + 1] as number);
      values.push(parseRecord());
      found.push(problems?.[0]);
    }
    index = first;
    problems = found.some((p) => p !== undefined) ? found : undefined;
    return values;
  };
  const parseRecord = (): unknown => {
    const bytes = record.take();
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch (cause) {
      throw new CocokitError(
        "invalid_encoding",
        `expected UTF-8 text in ${pointer()}, found invalid byte sequences`,
        {
          ...file,
          pointer: pointer(),
          cause,
        },
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      const at = errorPosition(text, (cause as Error).message, record.position(where));
      throw new CocokitError(
        "malformed_json",
        `expected a valid JSON value for ${pointer()} at line ${at.line}, column ${at.column}: ${(cause as Error).message.slice(0, 200)}`,
        { ...file, pointer: pointer(), cause },
      );
    }
    problems = check([value], text, bytes, 0, bytes.length);
    return value;
  };

  const scan: ScanState = { depth: 0, inString: false, escaped: false };
  let optimistic = true;
  const numberObjects = new NumberObjects();
  let numbersFirst = true;
  let misses = 0; // elements in a row of the current array that NumberObjects could not read
  // The values of chunk[from, to) read as the elements of an array, or undefined when they are not.
  const parseRun = (chunk: Uint8Array, from: number, to: number): unknown[] | undefined => {
    let text: string;
    let values: unknown;
    try {
      text = decoder.decode(chunk.subarray(from, to));
      values = JSON.parse(`[${text}]`);
    } catch {
      return undefined;
    }
    if (!Array.isArray(values)) return undefined;
    problems = check(values, text, chunk, from, to);
    return values;
  };
  for await (const chunk of source) {
    try {
      if (options.signal?.aborted) {
        throw new CocokitError("aborted", "the read was aborted", { ...file, cause: options.signal.reason });
      }
      let i = 0;
      const n = chunk.length;
      if (bytesRead === 0 && n >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
      let valueFrom = (state as S) === S.InValue || (state as S) === S.Key ? 0 : -1;
      while (i < n) {
        if ((state as S) === S.InValue) {
          if (numbersFirst && index >= 0 && i === valueFrom && record.isEmpty() && chunk[i] === 0x7b) {
            // Objects of numbers only (COCO's annotations) are read straight from the bytes.
            const values: unknown[] = [];
            const count = numberObjects.parseRun(chunk, i, values, FLUSH_RECORDS);
            if (count > 0) {
              // NumberObjects reads nothing JSON.parse would hide: these have no problems.
              for (let k = 0; k < count; k++) {
                if (!dropping) {
                  records++;
                  batch.push({ key, index, value: values[k] });
                }
                if (k < count - 1) index++;
              }
              misses = 0;
              i = numberObjects.end;
              state = S.AfterElement;
              // Handed on in small batches: records that wait for the whole chunk outlive the
              // young generation and fill the old one with garbage (2× the peak memory here).
              if (batch.length >= FLUSH_RECORDS) {
                yield batch;
                batch = [];
              }
              continue;
            }
            // This element is read below, alone, and the next one is tried again; an array where
            // this keeps failing (images, with their strings) is left to JSON.parse.
            if (numberObjects.stop === Stop.Other && ++misses >= MAX_MISSES) numbersFirst = false;
          }
          if (optimistic && !numbersFirst && index >= 0 && i === valueFrom && record.isEmpty()) {
            // Minified files separate object elements with "},{": try to parse everything from this
            // element to the last such boundary of the chunk in one call, without scanning it. A
            // prefix that parses as a list of values must end at an element boundary (a cut inside
            // a string or a nested value cannot balance), so a success is exact; a failure falls
            // back to the scan, and stops these attempts for the rest of this array.
            const cut = lastObjectBoundary(chunk, i);
            if (cut > i) {
              const values = parseRun(chunk, i, cut + 1);
              if (values) {
                for (let k = 0; k < values.length; k++) {
                  const p = problems?.[k];
                  if (!dropping) {
                    records++;
                    batch.push(p === undefined ? { key, index, value: values[k] } : flagged(key, index, p));
                  }
                  if (k < values.length - 1) index++;
                }
                i = cut + 1;
                state = S.AfterElement;
                continue;
              }
              optimistic = false;
            }
          }
          // Hottest loop: find the end of one record (a ',' ']' or '}' at depth 0 outside strings).
          scan.depth = depth;
          scan.inString = inString;
          scan.escaped = escaped;
          const end = scanToEnd(chunk, i, scan);
          depth = scan.depth;
          inString = scan.inString;
          escaped = scan.escaped;
          i = end < 0 ? n : end;
          if (end < 0) break;
          const fromThisChunk = record.isEmpty();
          record.push(chunk, valueFrom, end);
          if (index >= 0 && fromThisChunk && chunk[end] === 0x2c && !numbersFirst) {
            // The elements that follow in this chunk are parsed in one JSON.parse call: a call per
            // record costs about a third of the parse time on COCO's many small annotations.
            const bounds = followingElements(chunk, valueFrom, end);
            if (bounds.length > 2) {
              record.take();
              const values = parseBatch(chunk, bounds);
              for (let k = 0; k < values.length; k++) {
                const p = problems?.[k];
                if (!dropping) {
                  records++;
                  batch.push(p === undefined ? { key, index, value: values[k] } : flagged(key, index, p));
                }
                if (k < values.length - 1) index++;
              }
              i = bounds[bounds.length - 1] as number;
              state = S.AfterElement;
              continue;
            }
          }
          const value = parseRecord();
          const p = problems?.[0];
          if (!dropping) {
            records++;
            batch.push(p === undefined ? { key, index, value } : flagged(key, index, p));
          }
          state = index >= 0 ? S.AfterElement : S.AfterValue;
          continue; // the delimiter belongs to the next state
        }
        const b = chunk[i] as number;
        if ((state as S) === S.Key) {
          // Hot loop: bracket counting inside one record.
          if (inString) {
            if (escaped) escaped = false;
            else if (b === BACKSLASH) escaped = true;
            else if (b === QUOTE) {
              inString = false;
              if (state === S.Key) {
                record.push(chunk, valueFrom, i + 1);
                const bytes = record.take();
                try {
                  key = JSON.parse(decoder.decode(bytes)) as string;
                } catch (cause) {
                  if (cause instanceof TypeError)
                    throw new CocokitError(
                      "invalid_encoding",
                      `expected UTF-8 text in a top-level key near line ${line}, found invalid byte sequences`,
                      { ...file, pointer: "", cause },
                    );
                  throw new CocokitError(
                    "malformed_json",
                    `expected a valid top-level key string near line ${line}`,
                    {
                      ...file,
                      cause,
                    },
                  );
                }
                const seen = (topLevelKeys.get(key) ?? 0) + 1;
                topLevelKeys.set(key, seen);
                const problem = topLevelKeyProblem(key, seen);
                dropping = problem !== undefined;
                if (problem) {
                  records++;
                  batch.push(flagged(key, -1, [problem]));
                }
                state = S.Colon;
                optimistic = true;
                numbersFirst = true;
                misses = 0;
              }
            }
          } else if (b === QUOTE) inString = true;
          else if (b === 0x5b || b === 0x7b) depth++;
          else if (b === 0x5d || b === 0x7d || b === 0x2c) {
            if (depth === 0) {
              record.push(chunk, valueFrom, i);
              const value = parseRecord();
              const p = problems?.[0];
              if (!dropping) {
                records++;
                batch.push(p === undefined ? { key, index, value } : flagged(key, index, p));
              }
              state = index >= 0 ? S.AfterElement : S.AfterValue;
              continue; // the delimiter belongs to the next state
            }
            if (b !== 0x2c) depth--;
          }
          i++;
          continue;
        }
        if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
          i++;
          continue;
        }
        switch (state) {
          case S.Start:
            if (b !== 0x7b) {
              const startsValue =
                b === 0x5b ||
                b === QUOTE ||
                b === 0x2d ||
                (b >= 0x30 && b <= 0x39) ||
                b === 0x74 ||
                b === 0x66 ||
                b === 0x6e;
              if (startsValue)
                throw new CocokitError(
                  "invalid_type",
                  "expected a JSON object at the top level, found another JSON value",
                  { ...file, pointer: "" },
                );
              throw malformed("'{' to open the top-level object", chunk, i);
            }
            state = S.KeyOrEnd;
            break;
          case S.KeyOrEnd:
          case S.AfterValue:
            if (state === S.AfterValue && b === 0x2c) {
              state = S.KeyOrEnd;
              // A comma must be followed by a key, not by '}'.
              index = -2;
              break;
            }
            if (b === 0x7d && index !== -2) {
              state = S.End;
              break;
            }
            if (b !== QUOTE || state === S.AfterValue)
              throw malformed(
                state === S.AfterValue ? "',' or '}' after a top-level value" : "a key string",
                chunk,
                i,
              );
            record.begin(chunk, i, line, column);
            valueFrom = i;
            inString = true;
            escaped = false;
            state = S.Key;
            break;
          case S.Colon:
            if (b !== 0x3a) throw malformed("':' after a top-level key", chunk, i);
            state = S.ValueStart;
            break;
          case S.ValueStart:
            if (b === 0x5b) {
              index = 0;
              state = S.FirstElementOrEnd;
              break;
            }
            index = -1;
            record.begin(chunk, i, line, column);
            valueFrom = i;
            depth = 0;
            state = S.InValue;
            continue;
          case S.FirstElementOrEnd:
          case S.ElementStart:
            if (b === 0x5d && state === S.FirstElementOrEnd) {
              // An empty array has no element to yield: yield it whole, so `licenses: []` survives a round trip.
              index = -1;
              if (!dropping) {
                records++;
                batch.push({ key, index, value: [] });
              }
              state = S.AfterValue;
              break;
            }
            if (b === 0x5d || b === 0x2c || b === 0x7d || b === 0x3a)
              throw malformed("an array element", chunk, i, pointer());
            record.begin(chunk, i, line, column);
            valueFrom = i;
            depth = 0;
            state = S.InValue;
            continue;
          case S.AfterElement:
            if (b === 0x2c) {
              index++;
              state = S.ElementStart;
            } else if (b === 0x5d) state = S.AfterValue;
            else throw malformed("',' or ']' after an array element", chunk, i, pointer());
            break;
          case S.End:
            throw malformed("nothing after the top-level object", chunk, i);
        }
        i++;
      }
      if ((state === S.InValue || state === S.Key) && valueFrom >= 0) record.push(chunk, valueFrom, n);
      ({ line, column } = endOfChunk(chunk, line, column));
      bytesRead += n;
      options.onProgress?.({
        bytesRead,
        ...(options.totalBytes === undefined ? {} : { totalBytes: options.totalBytes }),
        records,
      });
    } catch (error) {
      // Records read before the error still reach the reader (a lenient import keeps them).
      if (batch.length > 0) yield batch;
      throw error;
    }
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (state === S.Start)
    throw new CocokitError("empty_input", "expected a JSON object, found an empty input", file);
  if ((state as S) !== S.End) {
    throw new CocokitError(
      "malformed_json",
      `expected the rest of the document at line ${line}, column ${column}, found the end of input (truncated file?)`,
      { ...file, ...(index >= -1 && key !== "" ? { pointer: pointer() } : {}) },
    );
  }
}

// A record whose text hides problems: it is reported, not read.
function flagged(key: string, index: number, problems: JsonProblem[]): JsonRecord {
  return { key, index, value: undefined, problems };
}

// Records read by NumberObjects are handed on in batches of about this many.
const FLUSH_RECORDS = 256;

// Elements in a row that NumberObjects cannot read before an array is left to JSON.parse.
const MAX_MISSES = 8;
