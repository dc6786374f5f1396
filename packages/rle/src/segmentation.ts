import { fromCountsString, toCountsString } from "./counts-string.js";
import { RleError } from "./errors.js";
import { merge } from "./merge.js";
import { fromPolygon } from "./polygon.js";
import { checkSize } from "./size.js";
import type { CocoRle, Rle } from "./types.js";

function fromCocoRle(seg: CocoRle): Rle {
  const size = seg.size;
  if (!Array.isArray(size) || size.length !== 2) {
    throw new RleError(
      "invalid_segmentation",
      `expected size [height, width], found ${JSON.stringify(size)}`,
    );
  }
  const [h, w] = size;
  checkSize(h, w);
  if (typeof seg.counts === "string") return fromCountsString(seg.counts, h, w);
  if (!Array.isArray(seg.counts)) {
    throw new RleError(
      "invalid_segmentation",
      `expected counts to be a string or a number[], found ${typeof seg.counts}`,
    );
  }
  const counts = new Uint32Array(seg.counts.length);
  for (let i = 0; i < counts.length; i++) {
    const c = seg.counts[i];
    if (typeof c !== "number" || !(c >= 0) || c > 0xffffffff) {
      throw new RleError(
        "invalid_counts",
        `expected run lengths in 0..2^32-1, found ${String(c)} at index ${i}`,
      );
    }
    counts[i] = Math.trunc(c);
  }
  // pycocotools compresses uncompressed RLE with rleToString; going through the string keeps its quirks.
  return fromCountsString(toCountsString({ height: h, width: w, counts }), h, w);
}

/**
 * What pycocotools `COCO.annToRLE` does with a `segmentation`: polygons are rasterised and unioned
 * (one polygon → its RLE verbatim), an RLE object is read with the size it carries (the
 * height/width arguments are ignored there, as in the reference). Differences (all documented):
 * an empty polygon list gives an empty mask (reference: IndexError); a first polygon with exactly 4
 * numbers is rasterised as a 2-point polygon (empty) instead of the reference TypeError; runs that do
 * not add up to the size throw `counts_sum_mismatch`.
 * @example fromSegmentation([[0, 0, 0, 1, 1, 1, 1, 0]], 2, 2).counts // Uint32Array [0, 1, 3]
 */
export function fromSegmentation(segmentation: number[][] | CocoRle, height: number, width: number): Rle {
  if (Array.isArray(segmentation)) {
    checkSize(height, width);
    if (segmentation.length === 0) return { height, width, counts: Uint32Array.of(height * width) };
    const parts: Rle[] = [];
    for (let i = 0; i < segmentation.length; i++) {
      const p = segmentation[i];
      if (!Array.isArray(p)) {
        throw new RleError(
          "invalid_segmentation",
          `expected polygon ${i} to be a number[], found ${typeof p}`,
        );
      }
      parts.push(fromPolygon(p, height, width));
    }
    return merge(parts);
  }
  if (
    segmentation &&
    typeof segmentation === "object" &&
    "counts" in segmentation &&
    "size" in segmentation
  ) {
    return fromCocoRle(segmentation);
  }
  throw new RleError(
    "invalid_segmentation",
    `expected polygons (number[][]) or {size, counts}, found ${JSON.stringify(segmentation)?.slice(0, 200)}`,
  );
}
