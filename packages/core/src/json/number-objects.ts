/**
 * A parser for one shape of JSON only: objects whose values are numbers, lists of numbers, or
 * lists of lists of numbers — `{"segmentation":[[…]],"area":…,"bbox":[…],"id":…}`, nearly all of a
 * large COCO file. For that shape, reading the bytes directly is about 1.7× faster than decoding
 * them to text and calling `JSON.parse`, because the text step and the parser's generic work
 * disappear (see bench/json-scan.mjs). Anything else (a string, an RLE object, `true`, an escape,
 * a syntax error, a chunk that ends mid-object) makes it stop without a result, and the caller
 * parses that element with `JSON.parse`, which also reports any error. A result is always exactly
 * what `JSON.parse` gives for the same bytes: the same keys in the same order, the same numbers to
 * the bit (tested against it on random input). Where the two would differ from what the text
 * says, it stops too and leaves the element to `JSON.parse` and the checks of `findProblems`: a
 * key repeated in an object, a key `__proto__`, `constructor` or `prototype`, an integer literal
 * past 2^53.
 */

import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  DIGIT_0,
  DIGIT_9,
  DOT,
  MINUS,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from "./bytes.js";
import { isForbiddenKey } from "./json-problem.js";

/** Why `NumberObjects.parseRun` stopped. */
export const Stop = {
  /** At something other than a next element of this shape: the caller reads on from `end`. */
  Done: 0,
  /** The element at `end` is not of this shape (or not valid JSON): parse it with `JSON.parse`. */
  Other: 1,
  /** The element at `end` runs past the end of the bytes. */
  Cut: 2,
} as const;

// Powers of ten exactly representable as doubles.
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
// The largest mantissa that can take one more digit and stay below 2^53 (so it stays exact).
const MAX_MANTISSA = (2 ** 53 - 10) / 10;
// What follows a value (see `delimiter`).
const CLOSED = 0;
const NEXT = 1;
const FAILED = 2;
// Marks a failed read; never a value JSON numbers produce, since NaN is not JSON.
const FAIL = Number.NaN;
// Key ids are given out up to this many, then the cache starts over (a file of endless keys).
const MAX_KEY_IDS = 1024;
// Longer keys are left to JSON.parse.
const MAX_KEY_LENGTH = 256;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Parses runs of number-only objects from bytes; one instance per reader (it keeps scratch lists). */
export class NumberObjects {
  /** After `parseRun`: the position after the last element parsed (or the start, if none). */
  end = 0;
  stop: (typeof Stop)[keyof typeof Stop] = Stop.Done;
  // Where the last read value ended, or -1 when it ran past the bytes.
  private pos = 0;
  private numbers: number[] = [0.5];
  private lists: number[][] = [];
  // Key ids by a hash of their bytes, checked against the bytes on every use; `names` by id.
  private readonly keys = new Map<number, number>();
  private readonly names: string[] = [];

  /**
   * Parses the array elements that start at `from` (a `{`) and follow one another (`,` between
   * them), appending their values to `out`, until one is not of this shape, the bytes end or
   * `max` were read.
   * Returns how many were parsed; `end` and `stop` say where and why it stopped.
   */
  parseRun(bytes: Uint8Array, from: number, out: unknown[], max = Number.POSITIVE_INFINITY): number {
    let count = 0;
    let at = from;
    this.end = from;
    for (;;) {
      const value = this.object(bytes, at);
      if (value === undefined) {
        this.stop = this.pos < 0 ? Stop.Cut : Stop.Other;
        return count;
      }
      out.push(value);
      count++;
      this.end = this.pos;
      // Go on only over `,` and the next object's `{`; anything else is left to the caller.
      let p = this.pos;
      while (p < bytes.length && isSpace(bytes[p] as number)) p++;
      if (bytes[p] !== COMMA) break;
      p++;
      while (p < bytes.length && isSpace(bytes[p] as number)) p++;
      if (bytes[p] !== OPEN_BRACE) break;
      at = p;
      if (count >= max) break;
    }
    this.stop = Stop.Done;
    return count;
  }

  // The object at `at` (a `{`), or undefined; `pos` is set after it (-1 when the bytes ran out).
  private object(b: Uint8Array, at: number): Record<string, unknown> | undefined {
    const n = b.length;
    const o: Record<string, unknown> = {};
    // The keys seen in this object, a bit per key id (mod 32): a repeated key, or two keys that
    // share a bit, leave the object to JSON.parse and the duplicate check.
    let seen = 0;
    if (this.names.length >= MAX_KEY_IDS) {
      this.keys.clear();
      this.names.length = 0;
    }
    let i = at + 1;
    while (i < n && isSpace(b[i] as number)) i++;
    if (b[i] === CLOSE_BRACE) {
      this.pos = i + 1;
      return o;
    }
    for (;;) {
      if (i >= n) return this.cut();
      if (b[i] !== QUOTE) return this.other();
      const keyFrom = i + 1;
      let j = keyFrom;
      let hash = 0;
      for (; j < n; j++) {
        const c = b[j] as number;
        if (c === QUOTE) break;
        // Escapes, control characters and non-ASCII keys are left to JSON.parse.
        if (c === 0x5c || c < 0x20 || c >= 0x80) return this.other();
        hash = (Math.imul(hash, 31) + c) | 0;
      }
      if (j >= n) return this.cut();
      // A long key is no COCO field, and its string would be made by an `apply` with a million
      // arguments, past the end of the stack.
      if (j - keyFrom > MAX_KEY_LENGTH) return this.other();
      const id = this.key(b, keyFrom, j, hash);
      // A forbidden key (-1) is flagged by the caller's checks; an own "__proto__" key cannot
      // even be made by assignment.
      if (id < 0) return this.other();
      const bit = 1 << (id & 31);
      if ((seen & bit) !== 0) return this.other();
      seen |= bit;
      const key = this.names[id] as string;
      i = j + 1;
      while (i < n && isSpace(b[i] as number)) i++;
      if (i >= n) return this.cut();
      if (b[i] !== COLON) return this.other();
      i++;
      while (i < n && isSpace(b[i] as number)) i++;
      if (i >= n) return this.cut();
      let value: unknown;
      if (b[i] === OPEN_BRACKET) {
        value = this.list(b, i);
        if (value === undefined) return undefined;
      } else {
        const x = this.number(b, i);
        if (Number.isNaN(x)) return undefined;
        // Integers as small integers, as JSON.parse makes them: ids boxed as doubles would cost
        // memory in every annotation and slow every Map lookup by id (-0 stays a double).
        value = x === (x | 0) && (x !== 0 || 1 / x > 0) ? x | 0 : x;
      }
      o[key] = value;
      const after = this.delimiter(b, this.pos, CLOSE_BRACE);
      if (after === CLOSED) return o;
      if (after === FAILED) return undefined;
      i = this.pos;
    }
  }

  // A list at `at` (a `[`): of numbers, or of lists of numbers. Undefined for anything else.
  private list(b: Uint8Array, at: number): number[] | number[][] | undefined {
    const n = b.length;
    let i = this.firstValue(b, at);
    if (i < 0) return this.pos < 0 ? undefined : [];
    if (b[i] !== OPEN_BRACKET) return this.numberList(b, at);
    const lists = this.lists;
    let count = 0;
    for (;;) {
      const inner = this.numberList(b, i);
      if (inner === undefined) return undefined;
      lists[count++] = inner;
      const after = this.delimiter(b, this.pos, CLOSE_BRACKET);
      if (after === CLOSED) return lists.slice(0, count);
      if (after === FAILED) return undefined;
      i = this.pos;
      if (i >= n) return this.cut();
      if (b[i] !== OPEN_BRACKET) return this.other();
    }
  }

  // A list of numbers at `at` (a `[`). The numbers gather in a scratch list and are copied out
  // with `slice`, which gives a list of exactly their length (one grown by push keeps up to half
  // again as spare room, and COCO files hold millions of these lists).
  private numberList(b: Uint8Array, at: number): number[] | undefined {
    const n = b.length;
    let i = this.firstValue(b, at);
    if (i < 0) return this.pos < 0 ? undefined : [];
    const numbers = this.numbers;
    let count = 0;
    // The inline path reads at most 14 bytes past a number's start, so it stops 24 bytes short of
    // the end: a single read past the end makes V8 check every later read for it (1.5× slower).
    const inlineEnd = n - 24;
    for (;;) {
      if (i < inlineEnd) {
        // The common case inline: up to 9 digits (an int32 mantissa), with or without a fraction,
        // then ',' or ']'. Calling out for each number would box every double it returns.
        let j = i;
        let c = b[j] as number;
        if (c <= 0x20) {
          while (j < inlineEnd && isSpace(b[j] as number)) j++;
          i = j;
          c = b[j] as number;
        }
        const negative = c === MINUS;
        if (negative) c = b[++j] as number;
        let mantissa = 0;
        let digits = 0;
        let fraction = 0;
        if (c > DIGIT_0 && c <= DIGIT_9) {
          do {
            mantissa = (mantissa * 10 + (c - DIGIT_0)) | 0;
            digits++;
            c = b[++j] as number;
          } while (c >= DIGIT_0 && c <= DIGIT_9 && digits < 10);
        } else if (c === DIGIT_0) {
          digits = 1;
          c = b[++j] as number;
        }
        if (c === DOT && digits > 0) {
          c = b[++j] as number;
          while (c >= DIGIT_0 && c <= DIGIT_9 && digits + fraction < 10) {
            mantissa = (mantissa * 10 + (c - DIGIT_0)) | 0;
            fraction++;
            c = b[++j] as number;
          }
          if (fraction === 0) digits = 0;
        }
        if (digits > 0 && digits + fraction <= 9 && (c === COMMA || c === CLOSE_BRACKET)) {
          const x = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
          numbers[count++] = negative ? -x : x;
          if (c === COMMA) {
            i = j + 1;
            continue;
          }
          this.pos = j + 1;
          return numbers.slice(0, count);
        }
      }
      // Anything else (more digits, an exponent, an error, the last bytes) takes the general path.
      while (i < n && isSpace(b[i] as number)) i++;
      const x = this.number(b, i);
      if (Number.isNaN(x)) return undefined;
      numbers[count++] = x;
      const after = this.delimiter(b, this.pos, CLOSE_BRACKET);
      if (after === CLOSED) return numbers.slice(0, count);
      if (after === FAILED) return undefined;
      i = this.pos;
    }
  }

  // The JSON number at `at`, or FAIL (with `pos` -1 when the bytes ran out first).
  private number(b: Uint8Array, at: number): number {
    const n = b.length;
    let i = at;
    let c = b[i] as number;
    const negative = c === MINUS;
    if (negative) c = b[++i] as number;
    let mantissa = 0;
    let exact = true;
    let integer = true; // no fraction, no exponent
    let scale = 0; // the value is mantissa × 10^scale
    if (c === DIGIT_0) c = b[++i] as number;
    else if (c > DIGIT_0 && c <= DIGIT_9) {
      do {
        if (mantissa > MAX_MANTISSA) exact = false;
        else mantissa = mantissa * 10 + (c - DIGIT_0);
        c = b[++i] as number;
      } while (c >= DIGIT_0 && c <= DIGIT_9);
    } else return this.failAt(i, n);
    if (c === DOT) {
      integer = false;
      c = b[++i] as number;
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) return this.failAt(i, n);
      do {
        if (mantissa > MAX_MANTISSA) exact = false;
        else {
          mantissa = mantissa * 10 + (c - DIGIT_0);
          scale--;
        }
        c = b[++i] as number;
      } while (c >= DIGIT_0 && c <= DIGIT_9);
    }
    if (c === 0x65 || c === 0x45) {
      integer = false;
      c = b[++i] as number;
      let exponentNegative = false;
      if (c === MINUS || c === 0x2b) {
        exponentNegative = c === MINUS;
        c = b[++i] as number;
      }
      if (!(c >= DIGIT_0 && c <= DIGIT_9)) return this.failAt(i, n);
      let exponent = 0;
      do {
        if (exponent < 100_000) exponent = exponent * 10 + (c - DIGIT_0);
        c = b[++i] as number;
      } while (c >= DIGIT_0 && c <= DIGIT_9);
      scale += exponentNegative ? -exponent : exponent;
    }
    // The number must be followed by something; one that reaches the end may go on in the next chunk.
    if (i >= n) return this.cut() ?? FAIL;
    this.pos = i;
    // A mantissa below 2^53 and a power of ten up to 10^22 are both exact, so one multiplication
    // or division rounds correctly, exactly as JSON.parse does. Everything else is read by the
    // engine's own conversion (digits past 2^53, large exponents, 1e400 → Infinity).
    if (!exact || scale < -22 || scale > 22) {
      // A number of hundreds of digits is real JSON but no coordinate: JSON.parse can have it.
      if (i - at > 400) return this.other() ?? FAIL;
      const x = Number(String.fromCharCode.apply(null, b.subarray(at, i) as unknown as number[]));
      // An integer literal past 2^53 - 1 reads as another integer: left to the unsafe_integer check.
      // (Only an inexact mantissa gets here with an integer literal: exact ones are below 2^53.)
      if (integer && (x > Number.MAX_SAFE_INTEGER || x < -Number.MAX_SAFE_INTEGER))
        return this.other() ?? FAIL;
      return x;
    }
    const value = scale < 0 ? mantissa / (POW10[-scale] as number) : mantissa * (POW10[scale] as number);
    return negative ? -value : value;
  }

  // Where the first value of the list opened at `at` starts (spaces skipped), or -1: the list is
  // empty (`pos` after it) or the bytes end first (`pos` -1).
  private firstValue(b: Uint8Array, at: number): number {
    const n = b.length;
    let i = at + 1;
    while (i < n && isSpace(b[i] as number)) i++;
    if (i >= n) return this.cut() ?? -1;
    if (b[i] !== CLOSE_BRACKET) return i;
    this.pos = i + 1;
    return -1;
  }

  // After a value in a list or an object, from `at`: spaces, then `close` (CLOSED, `pos` after it)
  // or ',' (NEXT, `pos` at the next value, spaces skipped); FAILED for anything else.
  private delimiter(b: Uint8Array, at: number, close: number): number {
    const n = b.length;
    let i = at;
    while (i < n && isSpace(b[i] as number)) i++;
    if (i >= n) return this.cut() ?? FAILED;
    const c = b[i];
    if (c === close) {
      this.pos = i + 1;
      return CLOSED;
    }
    if (c !== COMMA) return this.other() ?? FAILED;
    i++;
    while (i < n && isSpace(b[i] as number)) i++;
    this.pos = i;
    return NEXT;
  }

  // The id of the key in b[from, to), or -1 for a forbidden key (never given an id).
  private key(b: Uint8Array, from: number, to: number, hash: number): number {
    const h = hash ^ (to - from);
    const id = this.keys.get(h);
    if (id !== undefined) {
      const known = this.names[id] as string;
      let same = known.length === to - from;
      for (let k = 0; same && k < known.length; k++) if (known.charCodeAt(k) !== b[from + k]) same = false;
      if (same) return id;
    }
    const key = String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]);
    if (isForbiddenKey(key)) return -1;
    this.keys.set(h, this.names.length);
    this.names.push(key);
    return this.names.length - 1;
  }

  // A number that stops at `i`: cut when the bytes ended there, else not valid here.
  private failAt(i: number, n: number): number {
    this.pos = i >= n ? -1 : 0;
    return FAIL;
  }

  private cut(): undefined {
    this.pos = -1;
    return undefined;
  }

  private other(): undefined {
    this.pos = 0;
    return undefined;
  }
}
