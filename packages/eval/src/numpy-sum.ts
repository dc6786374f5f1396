/**
 * `np.sum` of `a[0..n)` bit for bit: numpy's pairwise summation (blocks of up to 128 values summed
 * in 8 interleaved lanes, larger ranges halved at multiples of 8), starting from 0. pycocotools'
 * OKS (`np.sum(np.exp(-e))`) and summary means (`np.mean(s[s > -1])`) add in this order.
 */
export function pairwiseSum(a: Float64Array | number[], start: number, n: number): number {
  if (n <= 128) return blockSum(a, start, n);
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * numpy's sum of one block of n <= 128 values: fewer than 8 added in order to 0; otherwise 8 lanes
 * started at the first 8 values, each adding every 8th value, combined as
 * `((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))`, then the n % 8 left over added in order. Both
 * cases share the tail loop, so a short block (an OKS over few visible points) runs code that the
 * long ones have already run: no branch whose first use would deoptimise the caller.
 */
export function blockSum(a: Float64Array | number[], start: number, n: number): number {
  let res = 0;
  let i = 0;
  if (n >= 8) {
    let r0 = a[start] as number;
    let r1 = a[start + 1] as number;
    let r2 = a[start + 2] as number;
    let r3 = a[start + 3] as number;
    let r4 = a[start + 4] as number;
    let r5 = a[start + 5] as number;
    let r6 = a[start + 6] as number;
    let r7 = a[start + 7] as number;
    const end = n - (n % 8);
    for (i = 8; i < end; i += 8) {
      const o = start + i;
      r0 += a[o] as number;
      r1 += a[o + 1] as number;
      r2 += a[o + 2] as number;
      r3 += a[o + 3] as number;
      r4 += a[o + 4] as number;
      r5 += a[o + 5] as number;
      r6 += a[o + 6] as number;
      r7 += a[o + 7] as number;
    }
    res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  }
  for (; i < n; i++) res += a[start + i] as number;
  return res;
}

/** `np.mean` of the values: their pairwise sum divided by their count. */
export function numpyMean(values: number[]): number {
  return pairwiseSum(values, 0, values.length) / values.length;
}
