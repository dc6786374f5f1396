/**
 * Fast path 3, for array elements the first two paths do not take (a pretty-printed file, or one
 * whose "},{" boundaries the minified run could not use): once the scan found where one element
 * ends, the complete elements that follow it in the chunk are found by the same scan and parsed in
 * one `JSON.parse` call. A call per record costs about a third of the parse time on COCO's many
 * small annotations.
 *
 * If the batch fails to parse (bad bytes or bad JSON somewhere in it), each element is parsed
 * alone by `ReadContext.parseRecord`, so the error names the exact element, as it would without
 * this path.
 */

import { COMMA } from "./bytes.js";
import { followingElements } from "./element-bounds.js";
import type { JsonProblem } from "./json-problem.js";
import { pushParsedRun, type ReadContext } from "./read-context.js";

/**
 * Reads the element `chunk[start, end)` (`end` is the ',' after it, and the element started in
 * this chunk) and the complete elements after it into `ctx.batch`, leaving `ctx.index` at the last
 * one. Returns the position after them, or -1 when no element follows in this chunk (the caller
 * then parses the one element alone).
 */
export function readScannedBatch(ctx: ReadContext, chunk: Uint8Array, start: number, end: number): number {
  if (chunk[end] !== COMMA) return -1;
  const bounds = followingElements(chunk, start, end);
  if (bounds.length <= 2) return -1;
  ctx.record.take(); // the caller gathered the first element; it is parsed with the others
  const values = parseBatch(ctx, chunk, bounds);
  pushParsedRun(ctx, values);
  return bounds[bounds.length - 1] as number;
}

// Parses the elements [bounds[2k], bounds[2k+1]) of one chunk together, setting `ctx.problems`.
// If that fails, each is parsed alone, so the error names the exact element.
function parseBatch(ctx: ReadContext, chunk: Uint8Array, bounds: number[]): unknown[] {
  const count = bounds.length / 2;
  const from = bounds[0] as number;
  const to = bounds[bounds.length - 1] as number;
  try {
    const text = ctx.decoder.decode(chunk.subarray(from, to));
    const values = JSON.parse(`[${text}]`) as unknown;
    if (Array.isArray(values) && values.length === count) {
      ctx.problems = ctx.check(values, text, chunk, from, to);
      return values;
    }
  } catch {
    // fall through to one element at a time
  }
  const values: unknown[] = [];
  const found: (JsonProblem[] | undefined)[] = [];
  const first = ctx.index;
  for (let k = 0; k < count; k++) {
    ctx.index = first + k; // so that an error names this element
    ctx.record.begin(chunk, bounds[2 * k] as number, ctx.line, ctx.column);
    ctx.record.push(chunk, bounds[2 * k] as number, bounds[2 * k + 1] as number);
    values.push(ctx.parseRecord());
    found.push(ctx.problems?.[0]);
  }
  ctx.index = first;
  ctx.problems = found.some((p) => p !== undefined) ? found : undefined;
  return values;
}
