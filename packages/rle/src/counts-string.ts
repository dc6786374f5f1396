import { RleError } from "./errors.js";
import { checkSize } from "./size.js";
import type { Rle } from "./types.js";

let scratch = new Uint8Array(1024);
// Reused parse buffer (a string of n characters holds at most n runs); the result is a copy.
let runs = new Uint32Array(1024);
let runsI32 = new Int32Array(runs.buffer);
// Reused byte copy of the string being parsed.
let chars = new Uint8Array(1024);
const encoder = new TextEncoder();
/** Writes the characters of a delta outside int32 (exact in doubles: |x| < 2^32). */
function putWide(buf: Uint8Array, k: number, x: number): number {
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
    if (!more) return k;
  }
}

/**
 * Compresses run lengths into the COCO counts string (pycocotools `rleToString`): deltas from the
 * run two back (from index 3 on), 5 bits per character, characters '0'..'o'.
 * @example toCountsString({ height: 7, width: 1, counts: new Uint32Array([2, 3, 1, 1]) }) // "231N"
 */
export function toCountsString(rle: Rle): string {
  const counts = rle.counts;
  const m = counts.length;
  if (scratch.length < m * 7 + 8) scratch = new Uint8Array(m * 7 + 1024);
  const buf = scratch;
  let k = 0;
  for (let i = 0; i < m; i++) {
    // Runs below 2^31 (all real masks) read as int32 (`| 0`) give an exact int32 delta; larger ones
    // take the general path (the reference works in 64-bit longs there).
    const a = (counts[i] as number) | 0;
    const b = i > 2 ? (counts[i - 2] as number) | 0 : 0;
    if ((a | b) < 0) {
      k = putWide(buf, k, (counts[i] as number) - (i > 2 ? (counts[i - 2] as number) : 0));
      continue;
    }
    const x = a - b;
    // The character count is the smallest n with x in n*5-bit two's complement, computed without
    // branching: the reference's per-character "more?" branch is unpredictable for real masks
    // (most deltas take one or two characters), and that branch dominated this loop.
    const bits = 33 - Math.clz32(x ^ (x >> 31));
    const n = ((bits + 4) * 205) >> 10; // ceil(bits / 5) for bits <= 33
    buf[k] = ((x & 0x1f) | (((1 - n) >>> 31) << 5)) + 48;
    buf[k + 1] = (((x >> 5) & 0x1f) | (((2 - n) >>> 31) << 5)) + 48;
    for (let j = 2; j < n; j++) buf[k + j] = (((x >> (5 * j)) & 0x1f) | (j < n - 1 ? 0x20 : 0)) + 48;
    k += n;
  }
  return bytesToString(buf, k);
}

// TextDecoder beats String.fromCharCode at every length measured (50..5000 characters); the
// characters are '0'..'o', so latin1 decoding equals ASCII here.
const decoder = new TextDecoder("latin1");
function bytesToString(buf: Uint8Array, k: number): string {
  return decoder.decode(buf.subarray(0, k));
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
 * @example fromCountsString("231N", 7, 1).counts // Uint32Array [2, 3, 1, 1]
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
  if (runs.length < len) {
    runs = new Uint32Array(len + 1024);
    runsI32 = new Int32Array(runs.buffer);
  }
  if (chars.length <= len * 3) chars = new Uint8Array(len * 3 + 1024);
  // Reading bytes from a typed array is about twice as fast as charCodeAt per character; encodeInto
  // copies an ASCII string in one native call. A non-ASCII character makes the lengths differ; the
  // loop below then stops at the first byte outside '0'..'o' and reports it from the string.
  const written = encoder.encodeInto(counts, chars).written;
  const bytes = chars;
  const end = Math.min(written, len);
  bytes[end] = 0;
  // Deltas are added in int32 (wrapping like the reference's uint32 arithmetic), read back unsigned.
  const out = runsI32;
  let m = 0;
  let p = 0;
  let sum = 0;
  while (p < end) {
    let x = 0;
    let k = 0;
    let c = 0x20;
    while (c & 0x20) {
      // The sentinel byte at `end` fails this check, so the end needs no test of its own.
      c = (bytes[p] as number) - 48;
      if (c >>> 0 > 63) throw p >= end ? truncated(counts, written !== len) : invalidCharacter(counts);
      // JS shifts take the count mod 32, exactly like the x86 reference: reproduces its K>=7 quirk.
      x |= (c & 0x1f) << k;
      k += 5;
      p++;
    }
    if (c & 0x10) x |= -1 << k;
    if (m > 2) x = (x + (out[m - 2] as number)) | 0;
    out[m++] = x;
    sum += x >>> 0;
  }
  if (written !== len) throw invalidCharacter(counts);
  const rle = { height, width, counts: runs.slice(0, m) };
  if (options?.checkSum !== false) {
    if (sum !== height * width) {
      throw new RleError(
        "counts_sum_mismatch",
        `expected runs to add up to ${height}x${width}=${height * width}, found ${sum}`,
      );
    }
  }
  return rle;
}

// Some byte of the UTF-8 copy is not a counts character: name the first such character of the string
// (the parse reads in string order, so it is the one the reference would stop at).
function invalidCharacter(counts: string): RleError {
  let i = 0;
  while (i < counts.length) {
    const c = counts.charCodeAt(i) - 48;
    if (c < 0 || c > 63) break;
    i++;
  }
  return new RleError(
    "invalid_counts_string",
    `expected characters '0'..'o', found ${JSON.stringify(counts[i])} at index ${i}`,
  );
}

function truncated(counts: string, nonAscii: boolean): RleError {
  if (nonAscii) return invalidCharacter(counts);
  return new RleError(
    "truncated_counts_string",
    `expected a final character without continuation bit ('0'..'O'), found the string ending in '${counts[counts.length - 1]}'`,
  );
}
