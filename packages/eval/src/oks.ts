import type { GtView } from "./gt-view.js";
import type { Detections } from "./load-results.js";
import { pairwiseSum } from "./numpy-sum.js";

/** numpy's `np.spacing(1)`: the gap between 1 and the next double. */
const EPS = 2.220446049250313e-16;

let cached: { sigmas: readonly number[]; vars: Float64Array; e: Float64Array } | undefined;

// (2σ)² per keypoint and a scratch row, made once per sigmas array rather than once per cell.
function buffers(sigmas: readonly number[]): { vars: Float64Array; e: Float64Array } {
  if (cached?.sigmas === sigmas) return cached;
  const vars = new Float64Array(sigmas.length);
  for (let j = 0; j < sigmas.length; j++) {
    const s = (sigmas[j] as number) * 2;
    vars[j] = s * s;
  }
  cached = { sigmas, vars, e: new Float64Array(sigmas.length) };
  return cached;
}

/**
 * Object keypoint similarity of a cell's detections (rows, score order) against its ground truths
 * (columns), row-major D × G, operation for operation as pycocotools' `computeOks`:
 * `e = (dx² + dy²) / (2σ)² / (area + eps) / 2`, averaged `exp(-e)` over the visible points. A gt
 * without visible points measures each detected point's distance to its box enlarged to three
 * times its size (from `x - w` to `x + 2w`). Empty when either side is empty.
 */
export function cellOks(
  dt: Detections,
  gt: GtView,
  dts: Int32Array,
  gts: Int32Array,
  sigmas: readonly number[],
): Float64Array {
  const D = dts.length;
  const G = gts.length;
  if (D === 0 || G === 0) return new Float64Array(0);
  const k = sigmas.length;
  const { vars, e } = buffers(sigmas);
  const out = new Float64Array(D * G);
  for (let gj = 0; gj < G; gj++) {
    const gi = gts[gj] as number;
    const g = gt.keypoints(gi);
    let k1 = 0;
    for (let j = 0; j < k; j++) if ((g[3 * j + 2] as number) > 0) k1++;
    const bb = gt.box(gi);
    const x0 = bb[0] - bb[2];
    const x1 = bb[0] + bb[2] * 2;
    const y0 = bb[1] - bb[3];
    const y1 = bb[1] + bb[3] * 2;
    const area = gt.area(gi) + EPS;
    for (let di = 0; di < D; di++) {
      const d = dt.items[dts[di] as number]!.keypoints as number[];
      let n = 0;
      for (let j = 0; j < k; j++) {
        const xd = d[3 * j] as number;
        const yd = d[3 * j + 1] as number;
        let dx: number;
        let dy: number;
        if (k1 > 0) {
          if (!((g[3 * j + 2] as number) > 0)) continue; // e[vg > 0]
          dx = xd - (g[3 * j] as number);
          dy = yd - (g[3 * j + 1] as number);
        } else {
          dx = (x0 - xd > 0 ? x0 - xd : 0) + (xd - x1 > 0 ? xd - x1 : 0);
          dy = (y0 - yd > 0 ? y0 - yd : 0) + (yd - y1 > 0 ? yd - y1 : 0);
        }
        e[n++] = Math.exp(-((dx * dx + dy * dy) / (vars[j] as number) / area / 2));
      }
      out[di * G + gj] = pairwiseSum(e, 0, n) / n;
    }
  }
  return out;
}
