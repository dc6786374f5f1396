import {
  forbiddenKey,
  isForbiddenKey,
  type JsonProblem,
  MAX_DEPTH,
  MAX_PROBLEMS,
  nestingTooDeep,
  topLevelKeyProblem,
  unsafeInteger,
} from "../src/json/json-problem.js";
import type { JsonRecord } from "../src/json/records.js";

/**
 * The problems `scanRecords` must report for a record whose text is `JSON.stringify(value)`,
 * worked out from the value (which cannot repeat a key), or undefined when it has none: keys
 * `__proto__`, `constructor` and `prototype`, integer literals past 2^53 - 1 (JSON.stringify writes
 * integers below 1e21 without an exponent), nesting past MAX_DEPTH; in the order of the text.
 */
export function problemsOf(value: unknown): JsonProblem[] | undefined {
  const out: JsonProblem[] = [];
  let stopped = false;
  const walk = (v: unknown, path: (string | number)[], depth: number) => {
    if (stopped) return;
    if (typeof v === "number") {
      const text = JSON.stringify(v);
      if (/^-?\d+$/.test(text) && Math.abs(v) > Number.MAX_SAFE_INTEGER) out.push(unsafeInteger(path, text));
      return;
    }
    if (typeof v !== "object" || v === null) return;
    if (depth > MAX_DEPTH) {
      out.push(nestingTooDeep([]));
      stopped = true;
      return;
    }
    if (Array.isArray(v)) for (let k = 0; k < v.length; k++) walk(v[k], [...path, k], depth + 1);
    else
      for (const key of Object.keys(v)) {
        if (isForbiddenKey(key)) out.push(forbiddenKey([...path, key], key));
        walk((v as Record<string, unknown>)[key], [...path, key], depth + 1);
      }
  };
  walk(value, [], 1);
  return out.length === 0 ? undefined : out.slice(0, MAX_PROBLEMS);
}

/** The record `scanRecords` must yield for `value` at `key`/`index`: flagged when it has problems. */
export function recordOf(key: string, index: number, value: unknown): JsonRecord {
  const problems = problemsOf(value);
  return problems === undefined ? { key, index, value } : { key, index, value: undefined, problems };
}

/**
 * The records `scanRecords` must yield for `text`, a document JSON.stringify wrote (no key twice):
 * the entries of JSON.parse, with problems where `problemsOf` finds them.
 */
export function expectedRecords(text: string): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (const [key, value] of Object.entries(JSON.parse(text) as object)) {
    const problem = topLevelKeyProblem(key, 1);
    if (problem) out.push({ key, index: -1, value: undefined, problems: [problem] });
    else if (Array.isArray(value) && value.length > 0)
      for (let index = 0; index < value.length; index++) out.push(recordOf(key, index, value[index]));
    else out.push(recordOf(key, -1, value));
  }
  return out;
}
