import { decode, type Rle } from "@cocokit/rle";

// Directions in image coordinates (y down), clockwise: right, down, left, up.
const DX = [1, 0, -1, 0];
const DY = [0, 1, 0, -1];

/**
 * Traces a mask into polygons, one per 4-connected component: the outer boundary along pixel
 * edges, with holes filled (as CVAT's external contours do). Vertices sit on pixel corners, which
 * in pycocotools' convention (pixel centres on integer coordinates) are at half-integers, so
 * `fromPolygon` of the result gives back exactly the mask, apart from holes. Corners left of
 * column 0 or above row 0 are clipped to 0, which rasterises the same and avoids negative
 * coordinates. Straight runs are collapsed to their end points.
 *
 * Deviation from CVAT, which traces with OpenCV's TC89-KCOS approximation through pixel centres:
 * those polygons lose about half of every border pixel when rasterised again; ours lose nothing.
 * @example
 * tracePolygons(encode(Uint8Array.of(1), 1, 1)) // [[0, 0, 0.5, 0, 0.5, 0.5, 0, 0.5]]
 */
export function tracePolygons(rle: Rle): number[][] {
  const { height: h, width: w } = rle;
  const pixels = decode(rle); // column-major: (x, y) at x * h + y
  const at = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && pixels[x * h + y] === 1;
  const seen = new Uint8Array(w * h);
  const polygons: number[][] = [];
  const stack: number[] = [];
  // Scan row by row so the first pixel of a component is its top-most, then left-most one: its
  // top edge lies on the outer boundary.
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const index = x * h + y;
      if (pixels[index] !== 1 || seen[index] === 1) continue;
      polygons.push(traceFrom(x, y, at));
      // Mark the whole component so it is traced once.
      seen[index] = 1;
      stack.push(index);
      while (stack.length > 0) {
        const p = stack.pop() as number;
        const px = Math.floor(p / h);
        const py = p - px * h;
        for (let d = 0; d < 4; d++) {
          const nx = px + (DX[d] as number);
          const ny = py + (DY[d] as number);
          if (!at(nx, ny)) continue;
          const n = nx * h + ny;
          if (seen[n] === 1) continue;
          seen[n] = 1;
          stack.push(n);
        }
      }
    }
  }
  return polygons;
}

/** Follows the boundary clockwise from the top-left corner of pixel (x0, y0), interior on the right. */
function traceFrom(x0: number, y0: number, at: (x: number, y: number) => boolean): number[] {
  const out: number[] = [];
  let cx = x0;
  let cy = y0;
  let d = 0; // along the top edge, to the right
  do {
    const prev = d;
    // The two pixels ahead of corner (cx, cy) when moving in direction d, to the left and to
    // the right of the edge. Pixel (px, py) has its top-left corner at (px, py).
    const [lx, ly, rx, ry] = ahead(cx, cy, d);
    if (!at(rx, ry))
      d = (d + 1) % 4; // nothing on the right ahead: turn right (diagonal neighbours stay apart)
    else if (at(lx, ly)) d = (d + 3) % 4; // blocked ahead: turn left
    if (d !== prev || out.length === 0) out.push(Math.max(cx - 0.5, 0), Math.max(cy - 0.5, 0));
    cx += DX[d] as number;
    cy += DY[d] as number;
  } while (cx !== x0 || cy !== y0);
  return out;
}

/** Pixels ahead-left and ahead-right of a corner for a direction: [lx, ly, rx, ry]. */
function ahead(cx: number, cy: number, d: number): [number, number, number, number] {
  switch (d) {
    case 0: // right: above-right pixel (cx, cy-1), below-right (cx, cy)
      return [cx, cy - 1, cx, cy];
    case 1: // down: right-below (cx, cy), left-below (cx-1, cy)
      return [cx, cy, cx - 1, cy];
    case 2: // left: below-left (cx-1, cy), above-left (cx-1, cy-1)
      return [cx - 1, cy, cx - 1, cy - 1];
    default: // up: left-above (cx-1, cy-1), right-above (cx, cy-1)
      return [cx - 1, cy - 1, cx, cy - 1];
  }
}
