import { RleError } from "./errors.js";
import { checkSize } from "./size.js";
import type { Rle } from "./types.js";

// Reused run buffer: one allocation per call (the result), not one per pixel or per mask size.
let scratch = new Uint32Array(1024);

/**
 * Run-length encodes a column-major mask (pixel (y, x) at `x * height + y`); nonzero bytes are 1.
 * Same runs as pycocotools `mask.encode` on a Fortran-ordered 0/1 array.
 * @example encode(new Uint8Array([0, 0, 1, 1, 1, 0, 1]), 7, 1).counts // Uint32Array [2, 3, 1, 1]
 */
export function encode(mask: Uint8Array, height: number, width: number): Rle {
  checkSize(height, width);
  const n = height * width;
  if (mask.length !== n) {
    throw new RleError(
      "size_mismatch",
      `expected a mask of ${height}x${width}=${n} bytes, found ${mask.length}`,
    );
  }
  if (scratch.length < n + 1) scratch = new Uint32Array(n + 1);
  const counts = scratch;
  let m = 0;
  let i = 0;
  // Zero runs are skipped 4 bytes at a time (aligned word view); one runs end at the next 0 byte,
  // which the engine's native indexOf finds.
  const words = (mask.byteOffset & 3) === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, n >> 2) : null;
  while (i < n) {
    let j = i;
    if (words) {
      while ((j & 3) !== 0 && j < n && mask[j] === 0) j++;
      if ((j & 3) === 0) {
        let q = j >> 2;
        while (q < words.length && words[q] === 0) q++;
        j = q << 2;
      }
    }
    while (j < n && mask[j] === 0) j++;
    counts[m++] = j - i;
    if (j >= n) break;
    let k = mask.indexOf(0, j);
    if (k < 0) k = n;
    counts[m++] = k - j;
    i = k;
  }
  if (m === 0) counts[m++] = 0;
  return { height, width, counts: counts.slice(0, m) };
}
