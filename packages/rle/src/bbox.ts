import { RleError } from "./errors.js";
import { fromPolygon } from "./polygon.js";
import type { Bbox, Rle } from "./types.js";

/**
 * Bounding box `[x, y, width, height]` of an RLE, exactly as pycocotools 2.0.11 `toBbox`: a 1-run
 * that crosses a column boundary widens the box to the full image height; a trailing 0-run is
 * ignored; an empty mask gives [0, 0, 0, 0]; width/height wrap mod 2^32 for odd inputs.
 * Height 0 with a non-empty 1-run (division by zero in the reference) counts as empty.
 * @example toBbox({ height: 4, width: 2, counts: new Uint32Array([3, 2, 3]) }) // [0, 0, 2, 4]
 */
export function toBbox(rle: Rle): Bbox {
  const h = rle.height;
  const w = rle.width;
  const cnt = rle.counts;
  const m = cnt.length & ~1;
  if (m === 0) return [0, 0, 0, 0];
  let xs = w;
  let ys = h;
  let xe = 0;
  let ye = 0;
  let pos = 0;
  for (let j = 0; j < m; j++) {
    const len = cnt[j] as number;
    if (j & 1 && len > 0 && h > 0) {
      // Positions are uint32 in the reference: they wrap for counts that overflow.
      const end = (pos + len - 1) >>> 0;
      const xsr = Math.floor(pos / h);
      const xer = Math.floor(end / h);
      if (xsr < xs) xs = xsr;
      if (xer > xe) xe = xer;
      if (xsr < xer) {
        ys = 0;
        ye = h - 1;
      } else {
        const ysr = pos - xsr * h;
        const yer = end - xer * h;
        if (ysr < ys) ys = ysr;
        if (yer > ye) ye = yer;
      }
    }
    pos = (pos + len) >>> 0;
  }
  return [xs, ys, (xe - xs + 1) >>> 0, (ye - ys + 1) >>> 0];
}

/**
 * Rasterises a box `[x, y, width, height]` like pycocotools `frBbox`: as the polygon
 * (x,y),(x,y+h),(x+w,y+h),(x+w,y), so boxes get the same 1/5-pixel quantisation as polygons.
 * @example fromBbox([0, 0, 1, 1], 2, 2).counts // Uint32Array [0, 1, 3]
 */
export function fromBbox(bbox: Bbox, height: number, width: number): Rle {
  if (!bbox || bbox.length !== 4) {
    throw new RleError("invalid_bbox", `expected [x, y, width, height], found ${JSON.stringify(bbox)}`);
  }
  const [x, y, bw, bh] = bbox;
  const xe = x + bw;
  const ye = y + bh;
  return fromPolygon([x, y, x, ye, xe, ye, xe, y], height, width);
}
