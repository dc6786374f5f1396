/**
 * Reads one top-level value or array element (the grammar's InValue state), choosing the way:
 *
 * 1. `NumberRun` — at the start of an element that is an object: a run of number-only objects is
 *    read straight from the bytes. Tried first in each array, off after a few misses in a row.
 * 2. `MinifiedRun` — at the start of an element, once path 1 is off for the array: everything up
 *    to the chunk's last "},{" is parsed in one call, unscanned. Off after its first failure.
 * 3. The general path: the byte scan finds where the element ends (depth 0, outside strings),
 *    across chunks if need be; then, if the element began in this chunk and path 1 is off,
 * 4. `readScannedBatch` parses it together with the complete elements after it in the chunk;
 *    otherwise it is parsed alone by `ReadContext.parseRecord`.
 *
 * Only the general path is needed for a correct read; every other path must give exactly the
 * records it would give (the tests compare them with JSON.parse on random splits of random input).
 */

import { OPEN_BRACE } from "./bytes.js";
import { type ScanState, scanToEnd } from "./element-bounds.js";
import { MinifiedRun } from "./minified-run.js";
import { NumberRun } from "./number-run.js";
import { flagged, type ReadContext } from "./read-context.js";
import { readScannedBatch } from "./scanned-batch.js";

/** The value-reading half of one read. */
export class ValueReader {
  /** After a `read` that returned a position: the batch is due to be yielded now. */
  full = false;
  private readonly numbers = new NumberRun();
  private readonly minified = new MinifiedRun();
  // Where the scan stands when a chunk ends inside a value.
  private readonly scan: ScanState = { depth: 0, inString: false, escaped: false };

  /** A new top-level key: its value may suit every path again. */
  reset(): void {
    this.numbers.reset();
    this.minified.reset();
  }

  /** A value or element starts: the scan is at depth 0, outside strings. */
  begin(): void {
    this.scan.depth = 0;
    this.scan.inString = false;
    this.scan.escaped = false;
  }

  /**
   * Reads on in the value that `chunk[valueFrom]` starts (`valueFrom` is 0 when it started in an
   * earlier chunk), from `chunk[at]`, into `ctx.batch`. Returns the position of the delimiter
   * after the last record read (it belongs to the grammar), or -1 when the chunk ended first.
   */
  read(ctx: ReadContext, chunk: Uint8Array, at: number, valueFrom: number): number {
    this.full = false;
    const elementStart = ctx.index >= 0 && at === valueFrom && ctx.record.isEmpty();
    if (elementStart && this.numbers.enabled && chunk[at] === OPEN_BRACE) {
      const next = this.numbers.read(ctx, chunk, at);
      if (next >= 0) {
        this.full = this.numbers.full;
        return next;
      }
    }
    if (elementStart && !this.numbers.enabled && this.minified.enabled) {
      const next = this.minified.read(ctx, chunk, at);
      if (next >= 0) return next;
    }
    // Hottest loop: find the end of one record (a ',' ']' or '}' at depth 0 outside strings).
    const end = scanToEnd(chunk, at, this.scan);
    if (end < 0) return -1;
    const fromThisChunk = ctx.record.isEmpty();
    ctx.record.push(chunk, valueFrom, end);
    // Not while path 1 is on: its next try is at the next element, which a batch would swallow.
    if (ctx.index >= 0 && fromThisChunk && !this.numbers.enabled) {
      const next = readScannedBatch(ctx, chunk, valueFrom, end);
      if (next >= 0) return next;
    }
    const value = ctx.parseRecord();
    const p = ctx.problems?.[0];
    if (!ctx.dropping) {
      ctx.records++;
      // Made here, by a literal of this path's own (see number-run.ts).
      const { key, index } = ctx;
      ctx.batch.push(p === undefined ? { key, index, value } : flagged(key, index, p));
    }
    return end;
  }
}
