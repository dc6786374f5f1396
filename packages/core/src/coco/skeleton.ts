/**
 * The rule for a category's skeleton: pairs of keypoint indices, all 1-based (COCO's, 1…K) or
 * all 0-based (0…K−1, as some converters write), K being the number of keypoint names. Returns
 * the index of the first pair outside the keypoint list, or -1 when the skeleton fits. Without
 * names (Datumaro writes `keypoints: []`) there is no range to check.
 */
export function skeletonProblem(skeleton: readonly (readonly number[])[], k: number): number {
  if (k === 0) return -1;
  const fits = (lo: number, hi: number) => skeleton.every((p) => p.every((x) => x >= lo && x <= hi));
  if (fits(1, k) || fits(0, k - 1)) return -1;
  const outside = skeleton.findIndex((p) => p.some((x) => x < 0 || x > k));
  return outside >= 0 ? outside : skeleton.findIndex((p) => p.some((x) => x === 0 || x === k));
}
