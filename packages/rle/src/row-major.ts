import { decode } from "./decode.js";
import { RleError } from "./errors.js";
import { checkSize } from "./size.js";
import type { Rle } from "./types.js";

// Reused run buffer: one allocation per call (the result), not one per pixel or per mask size.
let scratch = new Uint32Array(1024);

/**
 * Encodes a row-major mask (pixel (y, x) at `y * width + x`, as canvas ImageData and PNG decoders
 * lay it out; nonzero = 1) into a COCO RLE (which is column-major).
 * @example encodeRowMajor(new Uint8Array([1, 0, 0, 0]), 2, 2).counts // Uint32Array [0, 1, 3]
 */
export function encodeRowMajor(pixels: Uint8Array, height: number, width: number): Rle {
  checkSize(height, width);
  const n = height * width;
  if (pixels.length !== n) {
    throw new RleError("size_mismatch", `expected ${height}x${width}=${n} pixels, found ${pixels.length}`);
  }
  if (scratch.length < n + 1) scratch = new Uint32Array(n + 1);
  const counts = scratch;
  let m = 0;
  let prev = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x; i < n; i += width) {
      const v = pixels[i] === 0 ? 0 : 1;
      if (v !== prev) {
        counts[m++] = run;
        run = 0;
        prev = v;
      }
      run++;
    }
  }
  counts[m++] = run;
  return { height, width, counts: counts.slice(0, m) };
}

/**
 * Decodes an RLE into a row-major 0/1 mask (pixel (y, x) at `y * width + x`).
 * @example decodeRowMajor({ height: 2, width: 2, counts: new Uint32Array([0, 1, 3]) }) // [1, 0, 0, 0]
 */
export function decodeRowMajor(rle: Rle): Uint8Array {
  const col = decode(rle);
  const { height, width } = rle;
  const out = new Uint8Array(col.length);
  for (let x = 0; x < width; x++) {
    const base = x * height;
    for (let y = 0; y < height; y++) out[y * width + x] = col[base + y] as number;
  }
  return out;
}
