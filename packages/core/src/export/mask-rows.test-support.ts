import { encode, type Rle } from "@cocokit/rle";

/** A column-major RLE from rows of 0/1 as one reads a picture (row-major), for tests. */
export function maskOf(rows: number[][]): Rle {
  const h = rows.length;
  const w = rows[0]?.length ?? 0;
  const pixels = new Uint8Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) pixels[x * h + y] = rows[y]?.[x] ?? 0;
  return encode(pixels, h, w);
}
