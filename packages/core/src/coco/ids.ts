import { isObj, type Obj } from "../import/record-fields.js";
import type { IssueSink } from "../validate/issue-sink.js";

/**
 * Checks a required id field (`id`, `image_id`, `category_id`): present, an integer, and exact
 * (below 2^53; JSON.parse rounds larger ones, so two different ids could become one). Reports
 * `missing_field`, `invalid_type` or `unsafe_integer` and returns false when it is not.
 */
export function checkId(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  record: Obj,
  key: string,
  expected: string,
): boolean {
  const v = record[key];
  if (Number.isSafeInteger(v)) return true;
  if (v === undefined) sink.issue("missing_field", file, [...path, key], expected, v);
  else if (Number.isInteger(v))
    sink.issue("unsafe_integer", file, [...path, key], `${expected} below 2^53 (9007199254740992)`, v);
  else sink.issue("invalid_type", file, [...path, key], expected, v);
  return false;
}

/** Reports a record that is not a JSON object; true when it is one. */
export function checkObject(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  v: unknown,
  expected = "an object",
): v is Obj {
  if (isObj(v)) return true;
  sink.issue("invalid_type", file, path, expected, v);
  return false;
}
