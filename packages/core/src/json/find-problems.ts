import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  DIGIT_0,
  DIGIT_9,
  MINUS,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from "./bytes.js";
import {
  duplicateKey,
  forbiddenKey,
  isForbiddenKey,
  type JsonProblem,
  MAX_DEPTH,
  MAX_PROBLEMS,
  nestingTooDeep,
  unsafeInteger,
} from "./json-problem.js";

// The digits of Number.MAX_SAFE_INTEGER, which integer literals of as many digits are compared with.
const MAX_SAFE_DIGITS = Array.from(String(Number.MAX_SAFE_INTEGER), (c) => c.charCodeAt(0));

const decoder = new TextDecoder();

/**
 * The problems of each value of `bytes[from, to)`, read as the elements of a list (`v0, v1, …`),
 * one entry per value (undefined for a value without any), with paths relative to that value.
 * The text must be valid JSON (JSON.parse read it already); this reads what JSON.parse does not
 * say: repeated and forbidden keys, nesting past MAX_DEPTH and integer literals past 2^53. It
 * walks the bytes with its own stack, so no nesting can exhaust the call stack, and it is only
 * called for text a cheaper check (`mayHideProblems`) could not clear.
 */
export function findProblems(bytes: Uint8Array, from: number, to: number): (JsonProblem[] | undefined)[] {
  const results: (JsonProblem[] | undefined)[] = [];
  let current: JsonProblem[] | undefined;
  const add = (problem: JsonProblem) => {
    current ??= [];
    if (current.length < MAX_PROBLEMS) current.push(problem);
  };
  // Per open container, 1-based: object or list, the member being read (key or index), an
  // object's keys with their counts.
  const isObject: boolean[] = [false];
  const member: (string | number)[] = [0];
  const counts: (Map<string, number> | undefined)[] = [undefined];
  const path = (levels: number, last?: string | number) => {
    const out = member.slice(1, levels + 1);
    if (last !== undefined) out.push(last);
    return out;
  };
  let depth = 0;
  let expectKey = false;
  let i = from;
  while (i < to) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      const end = stringEnd(bytes, i, to);
      if (expectKey) {
        expectKey = false;
        const key = keyText(bytes, i, end);
        member[depth] = key;
        let seen = counts[depth];
        if (seen === undefined) {
          seen = new Map();
          counts[depth] = seen;
        }
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if (isForbiddenKey(key)) add(forbiddenKey(path(depth), key));
      }
      i = end + 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth >= MAX_DEPTH) {
        // Beyond the limit nothing else is looked at: the value's end is found by counting.
        add(nestingTooDeep([]));
        i = elementEnd(bytes, i, to, depth);
        depth = 0;
        expectKey = false;
        continue;
      }
      depth++;
      isObject[depth] = c === OPEN_BRACE;
      member[depth] = 0;
      counts[depth] = undefined;
      expectKey = c === OPEN_BRACE;
      i++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      const seen = counts[depth];
      if (seen !== undefined && seen.size > 0) {
        for (const [key, count] of seen) if (count > 1) add(duplicateKey(path(depth - 1, key), key, count));
        counts[depth] = undefined;
      }
      depth--;
      expectKey = false;
      i++;
    } else if (c === COMMA) {
      if (depth === 0) {
        results.push(current);
        current = undefined;
      } else if (isObject[depth]) expectKey = true;
      else member[depth] = (member[depth] as number) + 1;
      i++;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      const end = numberEnd(bytes, i, to);
      if (isUnsafeInteger(bytes, i, end)) add(unsafeInteger(path(depth), literalText(bytes, i, end)));
      i = end;
    } else i++; // spaces, ':' and the letters of true, false and null
  }
  results.push(current);
  return results;
}

// The index of the quote that closes the string opened at `at`.
function stringEnd(bytes: Uint8Array, at: number, to: number): number {
  for (let j = at + 1; j < to; j++) {
    const c = bytes[j] as number;
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j;
  }
  return to;
}

// The key string bytes[at..end] (quotes included) as JSON.parse reads it.
function keyText(bytes: Uint8Array, at: number, end: number): string {
  const inner = bytes.subarray(at + 1, end);
  return inner.includes(BACKSLASH)
    ? (JSON.parse(decoder.decode(bytes.subarray(at, end + 1))) as string)
    : decoder.decode(inner);
}

function numberEnd(bytes: Uint8Array, at: number, to: number): number {
  let j = at + 1;
  while (j < to) {
    const c = bytes[j] as number;
    // digits, '+', '-', '.', 'e' and 'E'
    if ((c >= DIGIT_0 && c <= DIGIT_9) || c === 0x2b || c === MINUS || c === 0x2e || c === 0x65 || c === 0x45)
      j++;
    else break;
  }
  return j;
}

// True for an integer literal (no fraction, no exponent) of magnitude above 2^53 - 1. JSON allows
// no leading zeros, so more digits than MAX_SAFE_INTEGER has means larger.
function isUnsafeInteger(bytes: Uint8Array, at: number, end: number): boolean {
  const from = bytes[at] === MINUS ? at + 1 : at;
  const digits = end - from;
  if (digits < MAX_SAFE_DIGITS.length) return false;
  for (let j = from; j < end; j++) {
    const c = bytes[j] as number;
    if (c < DIGIT_0 || c > DIGIT_9) return false;
  }
  if (digits > MAX_SAFE_DIGITS.length) return true;
  for (let k = 0; k < digits; k++) {
    const d = bytes[from + k] as number;
    const max = MAX_SAFE_DIGITS[k] as number;
    if (d !== max) return d > max;
  }
  return false;
}

// A number's text, cut short: a hostile literal may have a million digits.
function literalText(bytes: Uint8Array, at: number, end: number): string {
  if (end - at <= 40) return decoder.decode(bytes.subarray(at, end));
  return `${decoder.decode(bytes.subarray(at, at + 24))}… (${end - at} characters)`;
}

// Where the element that is `depth` levels deep at `at` ends: the ',' after it, or `to`.
function elementEnd(bytes: Uint8Array, at: number, to: number, depth: number): number {
  let open = depth;
  for (let j = at; j < to; j++) {
    const c = bytes[j] as number;
    if (c === QUOTE) j = stringEnd(bytes, j, to);
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) open++;
    else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) open--;
    else if (c === COMMA && open === 0) return j;
  }
  return to;
}
