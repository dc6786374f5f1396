import { RleError } from "./errors.js";
import { checkSize } from "./size.js";
import type { Rle } from "./types.js";

/**
 * Decodes an RLE into a column-major mask of 0/1 bytes.
 * Throws `counts_sum_mismatch` when the runs do not add up to height*width (pycocotools raises on
 * overflow and returns uninitialised memory on underflow; we reject both).
 * @example decode({ height: 7, width: 1, counts: new Uint32Array([2, 3, 1, 1]) }) // [0,0,1,1,1,0,1]
 */
export function decode(rle: Rle): Uint8Array {
  checkSize(rle.height, rle.width);
  const n = rle.height * rle.width;
  const out = new Uint8Array(n);
  const counts = rle.counts;
  let pos = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    const end = pos + c;
    if (end > n) {
      throw new RleError(
        "counts_sum_mismatch",
        `expected runs to add up to ${n} pixels, found more (${end} after run ${i})`,
      );
    }
    if (i & 1) out.fill(1, pos, end);
    pos = end;
  }
  if (pos !== n) {
    throw new RleError("counts_sum_mismatch", `expected runs to add up to ${n} pixels, found ${pos}`);
  }
  return out;
}
