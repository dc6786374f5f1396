/**
 * The top-level grammar of a COCO JSON document: one object whose values are read as records,
 * arrays split into their elements. Only this level is walked byte by byte here, as a state
 * machine that can stop at any chunk boundary and go on with the next chunk; what is inside a
 * record is left to `ValueReader`, which hands it to the native JSON.parse (far faster than any
 * event-based parser in JavaScript) or to one of its fast paths.
 */

import { CocokitError } from "../errors.js";
import {
  BACKSLASH,
  BOM,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isSpace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
  startsNonObjectValue,
} from "./bytes.js";
import { type ScanState, skipToArrayEnd } from "./element-bounds.js";
import { ReadContext } from "./read-context.js";
import { endOfChunk } from "./record-bytes.js";
import type { JsonRecord, ScanOptions } from "./records.js";
import { TopLevelKeys } from "./top-level-keys.js";
import { ValueReader } from "./value-reader.js";

// Where the grammar stands between two bytes (and between two chunks).
enum S {
  Start, // before the top-level '{'
  KeyOrEnd, // after '{' or a top-level ','
  Key, // inside a top-level key string
  Colon,
  ValueStart, // after ':'
  ElementStart, // after a ',' in a top-level array
  FirstElementOrEnd, // after a top-level '[': an element or ']'
  InValue, // inside a value or element: ValueReader's part
  Skipping, // in a `skip` array past its first element: only the array's end is looked for
  AfterElement,
  AfterValue,
  End, // after the top-level '}'
}

/**
 * `scanRecords`, yielding the records of each chunk together: one promise per chunk instead of
 * one per record, which a reader of 800k annotations notices. Throws what `scanRecords` throws,
 * after yielding the records read before the error (a lenient import keeps them).
 */
export async function* scanRecordBatches(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ScanOptions = {},
): AsyncGenerator<JsonRecord[]> {
  const ctx = new ReadContext(options.file);
  const keys = new TopLevelKeys();
  const values = new ValueReader();
  let state = S.Start;
  let escaped = false; // in S.Key: the last byte was a backslash
  let bytesRead = 0;
  const skip = options.skip;
  const skipScan: ScanState = { depth: 0, inString: false, escaped: false };
  // The `skip` keys of which an element has been yielded without problems: the rest is skipped.
  const kept = new Set<string>();
  for await (const chunk of source) {
    try {
      if (options.signal?.aborted) {
        throw new CocokitError("aborted", "the read was aborted", {
          ...ctx.file,
          cause: options.signal.reason,
        });
      }
      let i = 0;
      const n = chunk.length;
      if (bytesRead === 0 && n >= 3 && chunk[0] === BOM[0] && chunk[1] === BOM[1] && chunk[2] === BOM[2])
        i = 3;
      // Where the key or value being read starts in this chunk: 0 when it began in an earlier one.
      let valueFrom = (state as S) === S.InValue || (state as S) === S.Key ? 0 : -1;
      while (i < n) {
        if ((state as S) === S.InValue) {
          const next = values.read(ctx, chunk, i, valueFrom);
          if (next < 0) {
            i = n;
            break;
          }
          i = next; // the delimiter belongs to the next state
          state = ctx.index >= 0 ? S.AfterElement : S.AfterValue;
          if (skip?.has(ctx.key) && ctx.index >= 0 && !kept.has(ctx.key)) {
            const key = ctx.key;
            if (ctx.batch.some((r) => r.key === key && r.index >= 0 && r.problems === undefined))
              kept.add(key);
          }
          if (values.full) {
            yield ctx.batch;
            ctx.batch = [];
          }
          continue;
        }
        if ((state as S) === S.Skipping) {
          // To the array's end: no record, no parse, not even element ends (one byte scan).
          const end = skipToArrayEnd(chunk, i, skipScan);
          if (end < 0) {
            i = n;
            break;
          }
          i = end;
          state = S.AfterElement; // which takes the ']' (or reports a '}')
          continue;
        }
        const b = chunk[i] as number;
        if ((state as S) === S.Key) {
          // Keys are few and short: a byte at a time is fast enough.
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            ctx.record.push(chunk, valueFrom, i + 1);
            keys.read(ctx);
            values.reset();
            state = S.Colon;
          }
          i++;
          continue;
        }
        if (isSpace(b)) {
          i++;
          continue;
        }
        switch (state) {
          case S.Start:
            if (b !== OPEN_BRACE) {
              if (startsNonObjectValue(b))
                throw new CocokitError(
                  "invalid_type",
                  "expected a JSON object at the top level, found another JSON value",
                  { ...ctx.file, pointer: "" },
                );
              throw ctx.malformed("'{' to open the top-level object", chunk, i);
            }
            state = S.KeyOrEnd;
            break;
          case S.KeyOrEnd:
          case S.AfterValue:
            if (state === S.AfterValue && b === COMMA) {
              state = S.KeyOrEnd;
              // A comma must be followed by a key, not by '}'.
              ctx.index = -2;
              break;
            }
            if (b === CLOSE_BRACE && ctx.index !== -2) {
              state = S.End;
              break;
            }
            if (b !== QUOTE || state === S.AfterValue)
              throw ctx.malformed(
                state === S.AfterValue ? "',' or '}' after a top-level value" : "a key string",
                chunk,
                i,
              );
            ctx.record.begin(chunk, i, ctx.line, ctx.column);
            valueFrom = i;
            escaped = false;
            state = S.Key;
            break;
          case S.Colon:
            if (b !== COLON) throw ctx.malformed("':' after a top-level key", chunk, i);
            state = S.ValueStart;
            break;
          case S.ValueStart:
            if (b === OPEN_BRACKET) {
              ctx.index = 0;
              state = S.FirstElementOrEnd;
              break;
            }
            ctx.index = -1;
            ctx.record.begin(chunk, i, ctx.line, ctx.column);
            valueFrom = i;
            values.begin();
            state = S.InValue;
            continue;
          case S.FirstElementOrEnd:
          case S.ElementStart:
            if (b === CLOSE_BRACKET && state === S.FirstElementOrEnd) {
              // An empty array has no element to yield: yield it whole, so `licenses: []` survives a round trip.
              ctx.index = -1;
              if (!ctx.dropping) {
                ctx.records++;
                ctx.batch.push({ key: ctx.key, index: ctx.index, value: [] });
              }
              state = S.AfterValue;
              break;
            }
            if (b === CLOSE_BRACKET || b === COMMA || b === CLOSE_BRACE || b === COLON)
              throw ctx.malformed("an array element", chunk, i, ctx.pointer());
            if (kept.has(ctx.key)) {
              skipScan.depth = 0;
              skipScan.inString = false;
              skipScan.escaped = false;
              state = S.Skipping;
              continue;
            }
            ctx.record.begin(chunk, i, ctx.line, ctx.column);
            valueFrom = i;
            values.begin();
            state = S.InValue;
            continue;
          case S.AfterElement:
            if (b === COMMA) {
              ctx.index++;
              state = S.ElementStart;
            } else if (b === CLOSE_BRACKET) state = S.AfterValue;
            else throw ctx.malformed("',' or ']' after an array element", chunk, i, ctx.pointer());
            break;
          case S.End:
            throw ctx.malformed("nothing after the top-level object", chunk, i);
        }
        i++;
      }
      // The key or value goes on in the next chunk: keep this chunk's part of it.
      if ((state === S.InValue || state === S.Key) && valueFrom >= 0) ctx.record.push(chunk, valueFrom, n);
      ({ line: ctx.line, column: ctx.column } = endOfChunk(chunk, ctx.line, ctx.column));
      bytesRead += n;
      options.onProgress?.({
        bytesRead,
        ...(options.totalBytes === undefined ? {} : { totalBytes: options.totalBytes }),
        records: ctx.records,
      });
    } catch (error) {
      // Records read before the error still reach the reader (a lenient import keeps them).
      if (ctx.batch.length > 0) yield ctx.batch;
      throw error;
    }
    if (ctx.batch.length > 0) {
      yield ctx.batch;
      ctx.batch = [];
    }
  }
  if (state === S.Start)
    throw new CocokitError("empty_input", "expected a JSON object, found an empty input", ctx.file);
  if ((state as S) !== S.End) {
    throw new CocokitError(
      "malformed_json",
      `expected the rest of the document at line ${ctx.line}, column ${ctx.column}, found the end of input (truncated file?)`,
      { ...ctx.file, ...(ctx.index >= -1 && ctx.key !== "" ? { pointer: ctx.pointer() } : {}) },
    );
  }
}
