import { CocokitError } from "../errors.js";
import { NumberObjects, Stop } from "./number-objects.js";
import { type Position, RecordBytes } from "./record-bytes.js";

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
// Byte classes of the record-end scan: 0 nothing to do, then '"', '[' or '{', and ',' ']' '}'.
const CLASS_QUOTE = 1;
const CLASS_OPEN = 2;
const CLASS_CLOSE = 3;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[0x22] = CLASS_QUOTE;
BYTE_CLASS[0x5b] = CLASS_OPEN;
BYTE_CLASS[0x7b] = CLASS_OPEN;
BYTE_CLASS[0x2c] = CLASS_CLOSE;
BYTE_CLASS[0x5d] = CLASS_CLOSE;
BYTE_CLASS[0x7d] = CLASS_CLOSE;
const BACKSLASH = 0x5c;

/**
 * Yields the records of a COCO JSON document as it parses, never holding the whole file as one
 * string. Top-level arrays are split into their elements; other top-level values, and empty arrays,
 * are yielded whole (`index` -1).
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
    try {
      const text = decoder.decode(chunk.subarray(bounds[0], bounds[bounds.length - 1]));
      const values = JSON.parse(`[${text}]`) as unknown;
      if (Array.isArray(values) && values.length === count) return values;
    } catch {
      // fall through to one element at a time
    }
    const values: unknown[] = [];
    const first = index;
    for (let k = 0; k < count; k++) {
      index = first + k;
      record.begin(chunk, bounds[2 * k] as number, line, column);
      record.push(chunk, bounds[2 * k] as number, bounds[2 * k + 1] as number);
      values.push(parseRecord());
    }
    index = first;
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
    try {
      return JSON.parse(text);
    } catch (cause) {
      const at = errorPosition(text, (cause as Error).message, record.position(where));
      throw new CocokitError(
        "malformed_json",
        `expected a valid JSON value for ${pointer()} at line ${at.line}, column ${at.column}: ${(cause as Error).message.slice(0, 200)}`,
        { ...file, pointer: pointer(), cause },
      );
    }
  };

  const scan: ScanState = { depth: 0, inString: false, escaped: false };
  let optimistic = true;
  const numberObjects = new NumberObjects();
  let numbersFirst = true;
  let misses = 0; // elements in a row of the current array that NumberObjects could not read
  // The values of chunk[from, to) read as the elements of an array, or undefined when they are not.
  const parseRun = (chunk: Uint8Array, from: number, to: number): unknown[] | undefined => {
    try {
      const values = JSON.parse(`[${decoder.decode(chunk.subarray(from, to))}]`) as unknown;
      return Array.isArray(values) ? values : undefined;
    } catch {
      return undefined;
    }
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
              for (let k = 0; k < count; k++) {
                records++;
                batch.push({ key, index, value: values[k] });
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
                  records++;
                  batch.push({ key, index, value: values[k] });
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
                records++;
                batch.push({ key, index, value: values[k] });
                if (k < values.length - 1) index++;
              }
              i = bounds[bounds.length - 1] as number;
              state = S.AfterElement;
              continue;
            }
          }
          const value = parseRecord();
          records++;
          batch.push({ key, index, value });
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
              records++;
              batch.push({ key, index, value });
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
              records++;
              batch.push({ key, index, value: [] });
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

// V8 reports "at position N" (a UTF-16 offset in the record text); turn it into a file position.
function errorPosition(text: string, message: string, start: Position): Position {
  const match = /position (\d+)/.exec(message);
  if (!match) return start;
  const offset = Math.min(Number(match[1]), text.length);
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf("\n");
  if (lastNewline < 0) return { line: start.line, column: start.column + offset };
  let lines = 0;
  for (let i = before.indexOf("\n"); i >= 0; i = before.indexOf("\n", i + 1)) lines++;
  return { line: start.line + lines, column: offset - lastNewline };
}

/**
 * The line and column after a chunk. Newlines are found by the native `indexOf`, and only the part
 * after the last one is walked to count characters: a minified file (one line, hundreds of MB)
 * then costs nothing here, at the price of counting bytes, not characters, for the columns of a
 * line longer than a chunk (exact for ASCII, which such files almost always are).
 */
function endOfChunk(chunk: Uint8Array, line: number, column: number): { line: number; column: number } {
  let last = -1;
  for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) {
    line++;
    last = at;
  }
  if (last < 0) return { line, column: column + chunk.length };
  let c = 1;
  for (let i = last + 1; i < chunk.length; i++) if (((chunk[i] as number) & 0xc0) !== 0x80) c++;
  return { line, column: c };
}

// Records read by NumberObjects are handed on in batches of about this many.
const FLUSH_RECORDS = 256;

// Elements in a row that NumberObjects cannot read before an array is left to JSON.parse.
const MAX_MISSES = 8;

// At most this many elements are parsed in one call: large enough to amortise the call, small
// enough that the batch's text stays a small fraction of a chunk.
const BATCH_MAX = 4096;

// The text one JSON.parse call reads stays below this many bytes. V8 puts a longer string straight
// into its large-object space, where it outlives the young generation and waits for a full
// collection: a whole chunk's text per call let a 2.2 GB file's validation reach 1.1 GB at times,
// instead of about 0.5 GB.
const RUN_BYTES = 32 * 1024;

/**
 * The element ending at `end` (a ',' in `chunk`) and the complete elements that follow it in the
 * same chunk, as [start, end) pairs flattened: [start0, end0, start1, end1, …]. Stops at the first
 * element that is cut by the chunk's end, at anything that is not a plain next element (the state
 * machine then reads it and reports what is wrong) and after BATCH_MAX elements or RUN_BYTES.
 */
function followingElements(chunk: Uint8Array, start: number, end: number): number[] {
  const bounds = [start, end];
  const n = chunk.length;
  let e = end;
  while (bounds.length < 2 * BATCH_MAX && e - start < RUN_BYTES && chunk[e] === 0x2c) {
    let p = e + 1;
    while (p < n && isSpace(chunk[p] as number)) p++;
    if (p >= n) break;
    const b = chunk[p] as number;
    if (b === 0x2c || b === 0x5d || b === 0x7d || b === 0x3a) break;
    const next = endOfElement(chunk, p);
    if (next < 0) break;
    bounds.push(p, next);
    e = next;
  }
  return bounds;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Where the record-end scan stands when a chunk ends inside a record. */
interface ScanState {
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/**
 * The index of the ',' ']' or '}' that ends the current record (depth 0, outside strings), from
 * `from` on, or -1 when the chunk ends first; `state` carries depth and string state across
 * chunks. Locals and a byte-class table instead of the state machine's six compares a byte.
 */
function scanToEnd(chunk: Uint8Array, from: number, state: ScanState): number {
  let depth = state.depth;
  let str = state.inString;
  let esc = state.escaped;
  let end = -1;
  for (let i = from; i < chunk.length; i++) {
    const b = chunk[i] as number;
    if (str) {
      if (esc) esc = false;
      else if (b === BACKSLASH) esc = true;
      else if (b === QUOTE) str = false;
      continue;
    }
    const c = BYTE_CLASS[b] as number;
    if (c === 0) continue;
    if (c === CLASS_QUOTE) str = true;
    else if (c === CLASS_OPEN) depth++;
    else if (depth === 0) {
      end = i;
      break;
    } else if (b !== 0x2c) depth--;
  }
  state.depth = depth;
  state.inString = str;
  state.escaped = esc;
  return end;
}

/** The index of the ',' ']' or '}' that ends the element starting at `from`, or -1 at the chunk's end. */
function endOfElement(chunk: Uint8Array, from: number): number {
  return scanToEnd(chunk, from, { depth: 0, inString: false, escaped: false });
}

/** The index of the '}' of the last "},{" in `chunk` after `from` and within RUN_BYTES of it, or -1. */
function lastObjectBoundary(chunk: Uint8Array, from: number): number {
  const last = Math.min(chunk.length - 1, from + RUN_BYTES);
  for (let at = chunk.lastIndexOf(0x7b, last); at > from + 1; at = chunk.lastIndexOf(0x7b, at - 1)) {
    if (chunk[at - 1] === 0x2c && chunk[at - 2] === 0x7d) return at - 2;
  }
  return -1;
}
