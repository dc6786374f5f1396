/**
 * What one `scanRecords` read shares between the top-level grammar and the ways of reading array
 * elements: where it is (key, index, line), the records made so far, and the one slow-but-always-
 * right way of parsing a record, which also names the record in every error.
 */

import { CocokitError } from "../errors.js";
import { NEWLINE, startsCharacter } from "./bytes.js";
import { findProblems } from "./find-problems.js";
import type { JsonProblem } from "./json-problem.js";
import { mayHideProblems } from "./problem-gate.js";
import { errorPosition, type Position, RecordBytes } from "./record-bytes.js";
import type { JsonRecord } from "./records.js";

/** The state of one read; the grammar and every fast path read and write it. */
export class ReadContext {
  /** Records made since the last yield. */
  batch: JsonRecord[] = [];
  /** The current top-level key. */
  key = "";
  /** Index of the current element in its top-level array; -1 for a value that is not an array, -2
   * right after a top-level ',' (where '}' is not allowed). */
  index = -1;
  /** Records made in all, for progress. */
  records = 0;
  /** The current top-level value's records are not yielded (its key repeats or is forbidden). */
  dropping = false;
  /** Problems of the values parsed last, one entry per value, or undefined when none has any. */
  problems: (JsonProblem[] | undefined)[] | undefined;
  /** Line and column of the current chunk's first byte. */
  line = 1;
  column = 1;
  /** The bytes of the record being read, which may span chunks. */
  readonly record = new RecordBytes();
  readonly decoder = new TextDecoder("utf-8", { fatal: true });
  /** `{ file }` for errors, or nothing when the read has no name. */
  readonly file: { file?: string };

  constructor(file: string | undefined) {
    this.file = file === undefined ? {} : { file };
  }

  /** The JSON pointer of the current record, for errors. */
  pointer(): string {
    const key = this.key.replace(/~/g, "~0").replace(/\//g, "~1");
    return `/${key}${this.index >= 0 ? `/${this.index}` : ""}`;
  }

  /** The position of `chunk[at]`, counted from `from` (by default the current chunk's start). */
  where(chunk: Uint8Array, at: number, from: Position = { line: this.line, column: this.column }): Position {
    let l = from.line;
    let c = from.column;
    for (let i = 0; i < at; i++) {
      if (chunk[i] === NEWLINE) {
        l++;
        c = 1;
      } else if (startsCharacter(chunk[i] as number)) c++;
    }
    return { line: l, column: c };
  }

  /** A `malformed_json` error: `expected` was expected at `chunk[at]` (or at the end of input). */
  malformed(
    expected: string,
    chunk: Uint8Array | undefined,
    at: number,
    recordPointer?: string,
  ): CocokitError {
    const pos = chunk ? this.where(chunk, at) : { line: this.line, column: this.column };
    const found =
      chunk && at < chunk.length ? `'${String.fromCharCode(chunk[at] as number)}'` : "the end of input";
    return new CocokitError(
      "malformed_json",
      `expected ${expected} at line ${pos.line}, column ${pos.column}, found ${found}`,
      { ...this.file, ...(recordPointer === undefined ? {} : { pointer: recordPointer }) },
    );
  }

  /**
   * The problems JSON.parse hid in `values`, read from `text` (bytes[from, to) decoded), or
   * undefined when the cheap gate clears them; only text the gate cannot clear is walked.
   */
  check(
    values: unknown[],
    text: string,
    bytes: Uint8Array,
    from: number,
    to: number,
  ): (JsonProblem[] | undefined)[] | undefined {
    return mayHideProblems(values, text) ? findProblems(bytes, from, to) : undefined;
  }

  /**
   * Parses the record gathered in `record` alone, setting `problems`. The path every other one
   * falls back to: it decodes and parses exactly one record, so its errors name that record and
   * the line and column of what is wrong in it.
   */
  parseRecord(): unknown {
    const bytes = this.record.take();
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch (cause) {
      throw new CocokitError(
        "invalid_encoding",
        `expected UTF-8 text in ${this.pointer()}, found invalid byte sequences`,
        { ...this.file, pointer: this.pointer(), cause },
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      const start = this.record.position((chunk, at, from) => this.where(chunk, at, from));
      const at = errorPosition(text, (cause as Error).message, start);
      throw new CocokitError(
        "malformed_json",
        `expected a valid JSON value for ${this.pointer()} at line ${at.line}, column ${at.column}: ${(cause as Error).message.slice(0, 200)}`,
        { ...this.file, pointer: this.pointer(), cause },
      );
    }
    this.problems = this.check([value], text, bytes, 0, bytes.length);
    return value;
  }
}

/** A record whose text hides problems: it is reported, not read. */
export function flagged(key: string, index: number, problems: JsonProblem[]): JsonRecord {
  return { key, index, value: undefined, problems };
}

/**
 * Hands on the values a fast path parsed together (`ctx.index` is the first one's index; it ends
 * at the last one's), each flagged with the problems `ctx.problems` found for it. Records are
 * made here by one literal, for the minified and scanned-batch paths alike (see number-run.ts).
 */
export function pushParsedRun(ctx: ReadContext, values: readonly unknown[]): void {
  const { batch, key, dropping, problems } = ctx;
  let { index, records } = ctx;
  for (let k = 0; k < values.length; k++) {
    const p = problems?.[k];
    if (!dropping) {
      records++;
      batch.push(p === undefined ? { key, index, value: values[k] } : flagged(key, index, p));
    }
    if (k < values.length - 1) index++;
  }
  ctx.index = index;
  ctx.records = records;
}
