/**
 * Problems of a record's JSON text that `JSON.parse` hides: it keeps the last of two equal keys,
 * makes `__proto__` an own key (which a later `copy[k] = v` turns into a prototype change), reads
 * integers past 2^53 as the nearest double, and nests as deep as the text does.
 */

/** Problems of the record's text that JSON.parse hides; the importer reports each and skips the record. */
export interface JsonProblem {
  code: "duplicate_key" | "forbidden_key" | "nesting_too_deep" | "unsafe_integer";
  /** Path inside the record, relative to it: ["attributes", "__proto__"], ["id"]. */
  path: (string | number)[];
  /** What a valid record has, in words ("a key used once per object"). */
  expected: string;
  /** What was found, in words or the literal (`"id" twice`, `9007199254740993`). */
  found: string;
}

/**
 * Records nested deeper than this many levels (the record's own brackets are level 1) are
 * flagged. COCO needs 4; the limit only has to keep every reader of the value off the stack's end.
 */
export const MAX_DEPTH = 512;

/** At most this many problems are listed per record: one is enough to skip it. */
export const MAX_PROBLEMS = 16;

/** Keys that change an object's prototype, or shadow what code reads from it, when copied by assignment. */
export function isForbiddenKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

const FORBIDDEN = "no key named __proto__, constructor or prototype";

/** A `duplicate_key` problem for a key seen `count` times in one object. */
export function duplicateKey(path: (string | number)[], key: string, count: number): JsonProblem {
  const times = count === 2 ? "twice" : `${count} times`;
  return {
    code: "duplicate_key",
    path,
    expected: "a key used once per object",
    found: `${quote(key)} ${times}`,
  };
}

/** A `forbidden_key` problem for `key` at `path` (which ends with it). */
export function forbiddenKey(path: (string | number)[], key: string): JsonProblem {
  return { code: "forbidden_key", path, expected: FORBIDDEN, found: quote(key) };
}

/** A `nesting_too_deep` problem for the record at `path`. */
export function nestingTooDeep(path: (string | number)[]): JsonProblem {
  return {
    code: "nesting_too_deep",
    path,
    expected: `at most ${MAX_DEPTH} levels of nested lists and objects`,
    found: `more than ${MAX_DEPTH} levels`,
  };
}

/** An `unsafe_integer` problem for the integer literal `literal` at `path`. */
export function unsafeInteger(path: (string | number)[], literal: string): JsonProblem {
  return {
    code: "unsafe_integer",
    path,
    expected: `an integer from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (2^53 - 1), which a double holds exactly`,
    found: literal,
  };
}

/** The problem of a top-level key that repeats (the `count`th time it is seen) or is forbidden. */
export function topLevelKeyProblem(key: string, count: number): JsonProblem | undefined {
  if (isForbiddenKey(key))
    return {
      code: "forbidden_key",
      path: [],
      expected: `a top-level key other than __proto__, constructor or prototype`,
      found: quote(key),
    };
  if (count < 2) return undefined;
  const time = count === 2 ? "a second time" : count === 3 ? "a third time" : `${count} times`;
  return {
    code: "duplicate_key",
    path: [],
    expected: "each top-level key once",
    found: `${quote(key)} ${time}`,
  };
}

// Keys are shown as JSON strings, cut short: a hostile key may be megabytes long.
function quote(key: string): string {
  const text = JSON.stringify(key);
  return text.length > 80 ? `${text.slice(0, 76)}…"` : text;
}
