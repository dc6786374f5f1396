/**
 * Fast path 1, tried first in every top-level array: elements that are objects of numbers only
 * (COCO's annotations: segmentation, area, bbox, ids) are read straight from the bytes by
 * `NumberObjects`, with no decoding to text and no `JSON.parse`. They are nearly all of a large
 * COCO file, and this reads them about 1.7× faster than the text path (see the design note,
 * docs/streaming-reader.md).
 */

import { NumberObjects, Stop } from "./number-objects.js";
import type { ReadContext } from "./read-context.js";

/** Records read by this path are handed on in batches of about this many. */
export const FLUSH_RECORDS = 256;

// Elements in a row that NumberObjects cannot read before an array is left to JSON.parse: an array
// of other objects (images, with their strings) stops trying after a few elements and costs nothing.
const MAX_MISSES = 8;

/** The number-objects path of one read; `reset` at each top-level key. */
export class NumberRun {
  /** False once the current array proved not to be made of number objects. */
  enabled = true;
  /** After a `read` that returned a position: the batch is due to be yielded now. */
  full = false;
  private readonly parser = new NumberObjects();
  private misses = 0; // elements in a row of the current array that NumberObjects could not read

  /** A new top-level value: try this path again. */
  reset(): void {
    this.enabled = true;
    this.misses = 0;
  }

  /**
   * Reads the run of number objects starting at `chunk[at]` (a '{' that starts an element) into
   * `ctx.batch`, leaving `ctx.index` at the last one. Returns the position after it, or -1 when the
   * first element is not of that shape (or is cut by the chunk's end): then it is read by another
   * path, and after MAX_MISSES such elements in a row this path is off for the rest of the array.
   */
  read(ctx: ReadContext, chunk: Uint8Array, at: number): number {
    const values: unknown[] = [];
    const count = this.parser.parseRun(chunk, at, values, FLUSH_RECORDS);
    if (count === 0) {
      if (this.parser.stop === Stop.Other && ++this.misses >= MAX_MISSES) this.enabled = false;
      return -1;
    }
    // NumberObjects reads nothing JSON.parse would hide: these have no problems. Records are made
    // here, by a literal of this path's own: one function that made the records of every path
    // made a read of W1 take 1.4× the time and 1.4× the memory.
    const { batch, key, dropping } = ctx;
    let { index, records } = ctx;
    for (let k = 0; k < count; k++) {
      if (!dropping) {
        records++;
        batch.push({ key, index, value: values[k] });
      }
      if (k < count - 1) index++;
    }
    ctx.index = index;
    ctx.records = records;
    this.misses = 0;
    // Handed on in small batches: records that wait for the whole chunk outlive the young
    // generation and fill the old one with garbage (2× the peak memory here).
    this.full = batch.length >= FLUSH_RECORDS;
    return this.parser.end;
  }
}
