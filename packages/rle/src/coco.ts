import { toCountsString } from "./counts-string.js";
import type { CocoRle, Rle } from "./types.js";

/** Options of {@link toCoco}. */
export interface ToCocoOptions {
  /** Write the compressed counts string (default) or the list of run lengths. */
  compressed?: boolean;
}

/**
 * Converts an RLE to its COCO JSON form `{size: [h, w], counts}`.
 * @example toCoco({ height: 7, width: 1, counts: new Uint32Array([2, 3, 1, 1]) }) // {size: [7, 1], counts: "231N"}
 */
export function toCoco(rle: Rle, options?: ToCocoOptions): CocoRle {
  const size: [number, number] = [rle.height, rle.width];
  if (options?.compressed === false) return { size, counts: Array.from(rle.counts) };
  return { size, counts: toCountsString(rle) };
}
