import { RleError } from "./errors.js";
import { checkSize, countsSum } from "./size.js";
import type { Rle } from "./types.js";

let scratch = new Uint8Array(1024);

/**
 * Compresses run lengths into the COCO counts string (pycocotools `rleToString`): deltas from the
 * run two back (from index 3 on), 5 bits per character, characters '0'..'o'.
 * @example toCountsString({ height: 7, width: 1, counts: new Uint32Array([2, 3, 1, 1]) }) // "2311"
 */
export function toCountsString(rle: Rle): string {
  const counts = rle.counts;
  const m = counts.length;
  if (scratch.length < m * 7) scratch = new Uint8Array(m * 7 + 1024);
  const buf = scratch;
  let k = 0;
  for (let i = 0; i < m; i++) {
    let x = counts[i] as number;
    if (i > 2) x -= counts[i - 2] as number;
    for (;;) {
      let c: number;
      if (x >= -2147483648 && x <= 2147483647) {
        c = x & 0x1f;
        x >>= 5;
      } else {
        const q = Math.floor(x / 32);
        c = x - q * 32;
        x = q;
      }
      const more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      buf[k++] = c + 48;
      if (!more) break;
    }
  }
  let s = "";
  for (let i = 0; i < k; i += 8192) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(k, i + 8192)) as unknown as number[]);
  }
  return s;
}

/** Options of {@link fromCountsString}. */
export interface FromCountsStringOptions {
  /** Check that runs add up to height*width (default true). pycocotools never checks. */
  checkSum?: boolean;
}

/**
 * Parses a COCO counts string (pycocotools `rleFrString`), including its 32-bit sign-fill quirk for
 * 7-character negative deltas. Throws `invalid_counts_string` for characters outside '0'..'o',
 * `truncated_counts_string` when the last character has the continuation bit (the reference reads
 * past the end), and `counts_sum_mismatch` when runs do not add up to height*width.
 * @example fromCountsString("2311", 7, 1).counts // Uint32Array [2, 3, 1, 1]
 */
export function fromCountsString(
  counts: string,
  height: number,
  width: number,
  options?: FromCountsStringOptions,
): Rle {
  checkSize(height, width);
  if (typeof counts !== "string") {
    throw new RleError("invalid_counts_string", `expected a string, found ${typeof counts}`);
  }
  const len = counts.length;
  const out = new Uint32Array(len);
  let m = 0;
  let p = 0;
  while (p < len) {
    let x = 0;
    let k = 0;
    let more = 1;
    let c = 0;
    while (more) {
      if (p >= len) {
        throw new RleError(
          "truncated_counts_string",
          `expected a final character without continuation bit ('0'..'O'), found the string ending in '${counts[len - 1]}'`,
        );
      }
      const code = counts.charCodeAt(p);
      if (code < 48 || code > 111) {
        throw new RleError(
          "invalid_counts_string",
          `expected characters '0'..'o', found ${JSON.stringify(counts[p])} at index ${p}`,
        );
      }
      c = code - 48;
      // JS shifts take the count mod 32, exactly like the x86 reference: reproduces its K>=7 quirk.
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      k++;
      p++;
    }
    if (c & 0x10) x |= -1 << (5 * k);
    if (m > 2) x += out[m - 2] as number;
    out[m++] = x >>> 0;
  }
  const rle = { height, width, counts: out.slice(0, m) };
  if (options?.checkSum !== false) {
    const sum = countsSum(rle.counts);
    if (sum !== height * width) {
      throw new RleError(
        "counts_sum_mismatch",
        `expected runs to add up to ${height}x${width}=${height * width}, found ${sum}`,
      );
    }
  }
  return rle;
}
