import { numpyMean } from "./numpy-sum.js";
import type { EvalParams } from "./params.js";

/** AP and AR of one category over all areas at the largest maxDets; -1 where it has no ground truth. */
export interface CategoryMetrics {
  categoryId: number;
  name?: string;
  /** AP at IoU 0.50:0.95 (mean of precision over thresholds and recall points, like stats[0]). */
  ap: number;
  ap50: number;
  ap75: number;
  /** AR at IoU 0.50:0.95. */
  ar: number;
}

/**
 * Per-category numbers from the accumulated arrays (area "all", the last maxDets), the way
 * detectron2 and mmdetection read `precision[:, :, k, 0, -1]`. Without categories (`useCats`
 * false) there is one row, category id -1.
 */
export function perCategory(
  p: EvalParams,
  counts: readonly [number, number, number, number, number],
  precision: Float64Array,
  recall: Float64Array,
  names: Map<number, string | undefined>,
): CategoryMetrics[] {
  const [T, R, K, A, M] = counts;
  const all = Math.max(0, p.areaRngLbl.indexOf("all"));
  const m = M - 1;
  const mean = (values: number[]) => {
    const kept = values.filter((v) => v > -1);
    return kept.length === 0 ? -1 : numpyMean(kept);
  };
  const ids = p.useCats ? p.catIds : [-1];
  return ids.map((categoryId, k) => {
    const ap = (ts: number[]) => {
      const v: number[] = [];
      for (const t of ts)
        for (let r = 0; r < R; r++) v.push(precision[(((t * R + r) * K + k) * A + all) * M + m] as number);
      return mean(v);
    };
    const every = [...Array(T).keys()];
    const ar: number[] = every.map((t) => recall[((t * K + k) * A + all) * M + m] as number);
    const row: CategoryMetrics = {
      categoryId,
      ap: ap(every),
      ap50: ap(every.filter((t) => p.iouThrs[t] === 0.5)),
      ap75: ap(every.filter((t) => p.iouThrs[t] === 0.75)),
      ar: mean(ar),
    };
    const name = names.get(categoryId);
    if (name !== undefined) row.name = name;
    return row;
  });
}
