/**
 * Fast path 2, for arrays the number-objects path gave up on (images, categories, annotations with
 * strings): a minified file separates object elements with "},{", so everything from the current
 * element to the last such boundary in the chunk is handed to one `JSON.parse` call without
 * scanning it byte by byte first. The scan is most of the cost on such arrays, and one call for
 * many elements saves the per-call cost as well.
 *
 * A prefix that parses as a list of values must end at an element boundary (a cut inside a string
 * or a nested value cannot balance), so a success is exact. A failure (a pretty-printed file, a
 * boundary inside a string, bad JSON) falls back to the scan and stops these attempts for the rest
 * of the array, so a file where it never works pays for one failed parse per array.
 */

import { lastObjectBoundary } from "./element-bounds.js";
import { pushParsedRun, type ReadContext } from "./read-context.js";

/** The minified-run path of one read; `reset` at each top-level key. */
export class MinifiedRun {
  /** False once a run failed to parse in the current array. */
  enabled = true;

  /** A new top-level value: try this path again. */
  reset(): void {
    this.enabled = true;
  }

  /**
   * Reads the elements from `chunk[at]` (the start of one) to the chunk's last "},{" (within
   * RUN_BYTES) into `ctx.batch`, leaving `ctx.index` at the last one. Returns the position after
   * them, or -1 when there is no such boundary or the run does not parse.
   */
  read(ctx: ReadContext, chunk: Uint8Array, at: number): number {
    const cut = lastObjectBoundary(chunk, at);
    if (cut <= at) return -1;
    const values = parseRun(ctx, chunk, at, cut + 1);
    if (!values) {
      this.enabled = false;
      return -1;
    }
    pushParsedRun(ctx, values);
    return cut + 1;
  }
}

// The values of chunk[from, to) read as the elements of an array (setting `ctx.problems`), or
// undefined when they are not.
function parseRun(ctx: ReadContext, chunk: Uint8Array, from: number, to: number): unknown[] | undefined {
  let text: string;
  let values: unknown;
  try {
    text = ctx.decoder.decode(chunk.subarray(from, to));
    values = JSON.parse(`[${text}]`);
  } catch {
    return undefined;
  }
  if (!Array.isArray(values)) return undefined;
  ctx.problems = ctx.check(values, text, chunk, from, to);
  return values;
}
