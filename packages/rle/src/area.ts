import type { Rle } from "./types.js";

/**
 * Number of mask pixels: the sum of the 1-runs, wrapping mod 2^32 like pycocotools `area`.
 * @example area({ height: 7, width: 1, counts: new Uint32Array([2, 3, 1, 1]) }) // 4
 */
export function area(rle: Rle): number {
  const c = rle.counts;
  let a = 0;
  for (let i = 1; i < c.length; i += 2) a = (a + (c[i] as number)) >>> 0;
  return a;
}
