/**
 * A binary mask as uncompressed run lengths. Pixels are ordered column-major (pycocotools'
 * Fortran order: pixel (row y, column x) is at `x * height + y`), and runs alternate zeros and
 * ones, starting with a run of zeros that may be empty.
 */
export interface Rle {
  height: number;
  width: number;
  counts: Uint32Array;
}

/** A box `[x, y, width, height]` in pixels, as COCO writes it. */
export type Bbox = [x: number, y: number, width: number, height: number];

/** RLE as it appears in COCO JSON: `counts` is the compressed string or the list of run lengths. */
export interface CocoRle {
  size: [height: number, width: number];
  counts: string | number[];
}
