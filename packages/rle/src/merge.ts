import { RleError } from "./errors.js";
import { countsSum } from "./size.js";
import type { Rle } from "./types.js";

// Reused output buffer: only the final copy (slice) is allocated per merge step.
let scratch = new Uint32Array(4096);

function mergeTwo(a: Uint32Array, b: Uint32Array, intersect: boolean): Uint32Array {
  if (scratch.length < a.length + b.length + 1) scratch = new Uint32Array(a.length + b.length + 1024);
  const out = scratch;
  let m = 0;
  let ca = a[0] as number;
  let cb = b[0] as number;
  let v = 0;
  let va = 0;
  let vb = 0;
  let ia = 1;
  let ib = 1;
  let cc = 0;
  let ct = 1;
  const na = a.length;
  const nb = b.length;
  while (ct > 0) {
    const c = ca < cb ? ca : cb;
    cc += c;
    ca -= c;
    if (ca === 0 && ia < na) {
      ca = a[ia++] as number;
      va ^= 1;
    }
    cb -= c;
    if (cb === 0 && ib < nb) {
      cb = b[ib++] as number;
      vb ^= 1;
    }
    ct = ca + cb;
    const vp = v;
    v = intersect ? va & vb : va | vb;
    if (v !== vp || ct === 0) {
      out[m++] = cc;
      cc = 0;
    }
  }
  return out.slice(0, m);
}

/**
 * Union (or intersection) of RLEs with pycocotools' exact run walk (zero-length runs in the inputs
 * may survive, a trailing zero run is dropped). No RLEs → an empty 0x0 RLE; one RLE → returned
 * with its counts copied verbatim. Throws `size_mismatch` for different sizes (the reference
 * silently returns 0x0) and `counts_sum_mismatch` when runs do not add up to height*width (the
 * reference loops forever).
 * @example merge([fromBbox([0, 0, 1, 1], 2, 2), fromBbox([1, 1, 1, 1], 2, 2)]).counts // [0, 1, 2, 1]
 */
export function merge(rles: readonly Rle[], intersect = false): Rle {
  const n = rles.length;
  if (n === 0) return { height: 0, width: 0, counts: new Uint32Array(0) };
  const first = rles[0] as Rle;
  const { height, width } = first;
  if (n === 1) return { height, width, counts: first.counts.slice() };
  const total = height * width;
  for (let i = 0; i < n; i++) {
    const r = rles[i] as Rle;
    if (r.height !== height || r.width !== width) {
      throw new RleError(
        "size_mismatch",
        `expected every RLE to be ${height}x${width}, found ${r.height}x${r.width} at index ${i}`,
      );
    }
    const sum = countsSum(r.counts);
    if (sum !== total || r.counts.length === 0) {
      throw new RleError(
        "counts_sum_mismatch",
        `expected runs of RLE ${i} to add up to ${total}, found ${sum} in ${r.counts.length} runs`,
      );
    }
  }
  let acc = first.counts;
  for (let i = 1; i < n; i++) acc = mergeTwo(acc, (rles[i] as Rle).counts, intersect);
  return { height, width, counts: acc };
}
