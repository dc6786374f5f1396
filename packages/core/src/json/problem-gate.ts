import { isForbiddenKey, MAX_DEPTH } from "./json-problem.js";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

// What the walk has counted so far (module state: a closure per call would cost more than the walk).
let keys = 0;
let colons = 0;
let suspect = false;

/**
 * False when `values`, which JSON.parse read from `text` (the values, separated by commas),
 * certainly say what the text says: no key repeated or forbidden, no nesting past MAX_DEPTH, no
 * integer past 2^53. True when `findProblems` has to look (it may find nothing: `1e16` is no
 * integer literal, though it reads as a large integer; a key holding ':' is always looked at).
 *
 * A repeated key leaves no trace in the values, so colons are counted. In the text every key is
 * followed by one ':' and every other ':' is inside a string (a key or a value). JSON.parse keeps
 * every key and string value except those of the members it drops, so the text's colons (an
 * escaped `\u003a` counted as one) are at least the values' keys plus the colons of their string
 * values, and equal them only when no member was dropped (and no key holds a colon). A key scan
 * of the text with a set per object would cost more than the parse; this walk of the values and
 * native search of the text cost nothing measurable on W1 (nearly all of it is read by
 * NumberObjects) and about a tenth of `scanRecords`' time on a file whose annotations are all
 * read by JSON.parse (CVAT's, with their attributes).
 */
export function mayHideProblems(values: unknown[], text: string): boolean {
  keys = 0;
  colons = 0;
  suspect = false;
  items(values, 0, 0);
  return suspect || textColons(text) !== keys + colons;
}

// A list `depth` levels deep; its leading numbers (all of a polygon or a box) in a loop of their
// own. Elements are read by `at`, never by an indexed read: one that has seen lists of doubles
// and lists of anything else makes V8 rewrite each list of doubles it meets into a list of boxed
// numbers, for the rest of their life (twice the memory of every polygon the importer keeps).
function list(value: unknown[], depth: number): void {
  if (depth > MAX_DEPTH) {
    suspect = true;
    return;
  }
  const n = value.length;
  for (let k = 0; k < n; k++) {
    const x = value.at(k);
    if (typeof x !== "number" || !(Math.abs(x) <= MAX_SAFE)) {
      items(value, k, depth);
      return;
    }
  }
}

function items(value: unknown[], from: number, depth: number): void {
  for (let k = from; k < value.length; k++) member(value.at(k), depth);
}

function object(value: Record<string, unknown>, depth: number): void {
  if (depth > MAX_DEPTH) {
    suspect = true;
    return;
  }
  for (const key in value) {
    keys++;
    if (isForbiddenKey(key)) suspect = true;
    member(value[key], depth);
  }
}

// A member of a list or an object `depth` levels deep.
function member(x: unknown, depth: number): void {
  if (typeof x === "object") {
    if (x === null) return;
    if (Array.isArray(x)) list(x, depth + 1);
    else object(x as Record<string, unknown>, depth + 1);
  } else if (typeof x === "string") {
    if (x.indexOf(":") >= 0) colons += count(x, ":");
  } else if (typeof x === "number" && !(Math.abs(x) <= MAX_SAFE)) suspect = true;
}

function count(text: string, c: string): number {
  let n = 0;
  for (let at = text.indexOf(c); at >= 0; at = text.indexOf(c, at + 1)) n++;
  return n;
}

// The colons of the text as JSON.parse reads them: ':' and the escapes `\u003a` and `\u003A`.
function textColons(text: string): number {
  let n = count(text, ":");
  // Each backslash escapes the character after it, which is where the next search starts after.
  for (let at = text.indexOf("\\"); at >= 0; at = text.indexOf("\\", at + 2)) {
    if (text.startsWith("u003a", at + 1) || text.startsWith("u003A", at + 1)) n++;
  }
  return n;
}
