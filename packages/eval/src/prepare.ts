import type { CocoGtAnnotation, GroundTruth } from "./ground-truth.js";
import type { Detections } from "./load-results.js";
import type { EvalParams } from "./params.js";

/**
 * Ground truths and detections of every (image, category) cell, in the order pycocotools' `_gts`
 * and `_dts` hold them. Cell `c = imageIndex * K + categoryIndex` (K = 1 without categories) has
 * gts `gtList[gtStart[c] .. gtStart[c + 1])` and detections `dtList[dtStart[c] .. dtStart[c + 1])`,
 * the latter sorted by descending score (stable) and cut at `maxDets[-1]`.
 */
export interface Cells {
  images: number;
  K: number;
  gtStart: Int32Array;
  gtList: Int32Array;
  dtStart: Int32Array;
  dtList: Int32Array;
  /**
   * The order accumulate reads detections in: per category k, slots `catStart[k] .. catStart[k+1]`
   * hold its detections of every image by descending score (stable: image order, then rank in the
   * image). `slotOf[j]` is the slot of dtList position j; `slotRank` and `slotScore` describe slots.
   */
  catStart: Int32Array;
  slotOf: Int32Array;
  slotRank: Int32Array;
  slotScore: Float64Array;
}

// Stable merge of the sorted runs a[s0..s1) and a[s1..s2) (descending key) into b: on a tie the
// left run, earlier in the concatenation, goes first, so the result is what a stable sort gives.
function mergeRuns(a: Int32Array, b: Int32Array, key: Float64Array, s0: number, s1: number, s2: number) {
  let i = s0;
  let j = s1;
  let o = s0;
  while (i < s1 && j < s2) {
    const x = a[i] as number;
    const y = a[j] as number;
    if ((key[x] as number) >= (key[y] as number)) {
      b[o++] = x;
      i++;
    } else {
      b[o++] = y;
      j++;
    }
  }
  while (i < s1) b[o++] = a[i++] as number;
  while (j < s2) b[o++] = a[j++] as number;
}

// The slots of accumulate (see Cells): per category, the stable sort by descending score of its
// detections in image order. Each image's detections are already sorted, so the sort is a
// bottom-up merge of those runs (numpy's stable argsort of the concatenation, without a comparator
// callback per comparison).
function slots(K: number, images: number, dtStart: Int32Array, dtList: Int32Array, score: Float64Array) {
  const n = dtList.length;
  const catStart = new Int32Array(K + 1);
  const slotOf = new Int32Array(n);
  const slotRank = new Int32Array(n);
  const slotScore = new Float64Array(n);
  const key = new Float64Array(n);
  for (let j = 0; j < n; j++) key[j] = score[dtList[j] as number] as number;
  let a = new Int32Array(n);
  let b = new Int32Array(n);
  const runs = new Int32Array(images + 1);
  let next = 0;
  for (let k = 0; k < K; k++) {
    catStart[k] = next;
    let len = 0;
    let nr = 0;
    for (let i = 0; i < images; i++) {
      const c = i * K + k;
      const e = dtStart[c + 1] as number;
      let j = dtStart[c] as number;
      if (j === e) continue;
      runs[nr++] = len;
      for (; j < e; j++) a[len++] = j;
    }
    runs[nr] = len;
    // merge neighbouring runs until one is left; `runs` keeps the boundaries of the merged runs
    while (nr > 1) {
      let w = 0;
      for (let r = 0; r < nr; r += 2) {
        const s0 = runs[r] as number;
        const s2 = runs[r + 2 > nr ? nr : r + 2] as number;
        if (r + 1 < nr) mergeRuns(a, b, key, s0, runs[r + 1] as number, s2);
        else b.set(a.subarray(s0, s2), s0);
        runs[w++] = s0;
      }
      runs[w] = len;
      nr = w;
      const t = a;
      a = b;
      b = t;
    }
    for (let q = 0; q < len; q++) {
      const j = a[q] as number;
      slotOf[j] = next;
      slotScore[next] = key[j] as number;
      next++;
    }
  }
  catStart[K] = next;
  for (let c = 0; c < images * K; c++) {
    const s = dtStart[c] as number;
    for (let j = s; j < (dtStart[c + 1] as number); j++) slotRank[slotOf[j] as number] = j - s;
  }
  return { catStart, slotOf, slotRank, slotScore };
}

// Stable counting sort of `items[0..n)` by `keys` into `buckets` buckets: CSR start offsets and items.
function bucketize(
  keys: Int32Array,
  items: Int32Array,
  n: number,
  buckets: number,
): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    start[k + 1] = (start[k + 1] as number) + 1;
  }
  for (let b = 0; b < buckets; b++) start[b + 1] = (start[b + 1] as number) + (start[b] as number);
  const fill = start.slice(0, buckets);
  const list = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    const at = fill[k] as number;
    list[at] = items[i] as number;
    fill[k] = at + 1;
  }
  return { start, list };
}

// The gts of each cell, keyed: getAnnIds(imgIds, catIds) walks the images in order, each image's
// annotations in file order; loadAnns then looks each id up, so a reused id stands for its last
// annotation, filed under that annotation's own image and category. Without reused ids each
// annotation is filed under its own cell, and file order is what the bucket sort needs to keep.
function fileGroundTruth(
  gt: GroundTruth,
  p: EvalParams,
  imageIndex: Map<number, number>,
  catIndex: Map<number, number>,
): { keys: Int32Array; items: Int32Array; count: number } {
  const anns = gt.annotations;
  const U = catIndex.size;
  const keys = new Int32Array(anns.length);
  const items = new Int32Array(anns.length);
  let n = 0;
  const last = gt.lastById;
  if (last === undefined) {
    for (let i = 0; i < anns.length; i++) {
      const a = anns[i] as CocoGtAnnotation;
      const ii = imageIndex.get(a.image_id);
      const ci = catIndex.get(a.category_id);
      if (ii === undefined || ci === undefined) continue;
      keys[n] = ii * U + ci;
      items[n++] = i;
    }
    return { keys, items, count: n };
  }
  // reused ids: walk the annotations by image (imgIds order), then file order
  const byImage = new Int32Array(anns.length);
  const source = new Int32Array(anns.length);
  let m = 0;
  for (let i = 0; i < anns.length; i++) {
    const ii = imageIndex.get((anns[i] as CocoGtAnnotation).image_id);
    if (ii === undefined) continue;
    byImage[m] = ii;
    source[m++] = i;
  }
  const walk = bucketize(byImage, source, m, p.imgIds.length).list;
  for (let q = 0; q < m; q++) {
    const i = walk[q] as number;
    const a = anns[i] as CocoGtAnnotation;
    if (p.useCats && !catIndex.has(a.category_id)) continue;
    const r = last.get(a.id) ?? i;
    const ra = anns[r] as CocoGtAnnotation;
    const ii = imageIndex.get(ra.image_id);
    const ci = catIndex.get(ra.category_id);
    if (ii === undefined || ci === undefined) continue; // filed where no cell reads it
    keys[n] = ii * U + ci;
    items[n++] = r;
  }
  return { keys, items, count: n };
}

// Pooled categories (useCats = 0): a cell per image holding its buckets in `catIds` order, which
// may name a category twice (pycocotools then lists its objects twice).
function pool(
  b: { start: Int32Array; list: Int32Array },
  images: number,
  U: number,
  order: number[],
): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(images + 1);
  const out: number[] = [];
  for (let i = 0; i < images; i++) {
    for (const u of order) {
      const c = i * U + u;
      for (let j = b.start[c] as number; j < (b.start[c + 1] as number); j++) out.push(b.list[j] as number);
    }
    start[i + 1] = out.length;
  }
  return { start, list: Int32Array.from(out) };
}

// Sort each cell's detections by descending score, stable (numpy mergesort), and cut at maxDet.
function sortAndCut(
  cells: { start: Int32Array; list: Int32Array },
  score: Float64Array,
  maxDet: number,
): { start: Int32Array; list: Int32Array } {
  const n = cells.start.length - 1;
  const start = new Int32Array(n + 1);
  const list = new Int32Array(cells.list.length);
  let k = 0;
  // insertion sort (stable, and quicker than Array.sort on the few detections of a cell) in place,
  // in `list` itself: no array per cell
  for (let c = 0; c < n; c++) {
    const s = cells.start[c] as number;
    const e = cells.start[c + 1] as number;
    start[c] = k;
    const len = e - s;
    if (len < 24) {
      for (let i = 0; i < len; i++) {
        const v = cells.list[s + i] as number;
        const sv = score[v] as number;
        let j = k + i - 1;
        while (j >= k && (score[list[j] as number] as number) < sv) {
          list[j + 1] = list[j] as number;
          j--;
        }
        list[j + 1] = v;
      }
      k += len < maxDet ? len : maxDet;
    } else {
      const tmp = Array.from(cells.list.subarray(s, e));
      tmp.sort((a, b) => (score[b] as number) - (score[a] as number));
      const m = len < maxDet ? len : maxDet;
      for (let i = 0; i < m; i++) list[k++] = tmp[i] as number;
    }
  }
  start[n] = k;
  return { start, list: list.slice(0, k) };
}

/** Builds the cells of an evaluation: pycocotools' `_prepare` plus the sort and cut of `computeIoU`. */
export function prepareCells(gt: GroundTruth, dt: Detections, p: EvalParams): Cells {
  const images = p.imgIds.length;
  const imageIndex = new Map<number, number>();
  for (let i = 0; i < images; i++) imageIndex.set(p.imgIds[i] as number, i);
  const catIndex = new Map<number, number>();
  for (const id of p.catIds) if (!catIndex.has(id)) catIndex.set(id, catIndex.size);
  const U = catIndex.size;
  const buckets = images * U;

  const g = fileGroundTruth(gt, p, imageIndex, catIndex);
  // Detections: an image's results in list order, keyed by cell; the stable bucket sort below keeps
  // list order within each cell, as pycocotools' per-image lists do.
  const dtKeys = new Int32Array(dt.count);
  const dtItems = new Int32Array(dt.count);
  let nd = 0;
  for (let i = 0; i < dt.count; i++) {
    const ii = imageIndex.get(dt.imageId[i] as number);
    const ci = catIndex.get(dt.categoryId[i] as number);
    if (ii === undefined || ci === undefined) continue;
    dtKeys[nd] = ii * U + ci;
    dtItems[nd++] = i;
  }
  let gb = bucketize(g.keys, g.items, g.count, buckets);
  let d = bucketize(dtKeys, dtItems, nd, buckets);
  let K = U;
  if (!p.useCats) {
    const order = p.catIds.map((id) => catIndex.get(id) as number);
    gb = pool(gb, images, U, order);
    d = pool(d, images, U, order);
    K = 1;
  }
  const maxDet = p.maxDets[p.maxDets.length - 1] as number;
  const sorted = sortAndCut(d, dt.score, maxDet);
  return {
    images,
    K,
    gtStart: gb.start,
    gtList: gb.list,
    dtStart: sorted.start,
    dtList: sorted.list,
    ...slots(K, images, sorted.start, sorted.list, dt.score),
  };
}
