import type { Obj } from "../import/record-fields.js";
import type { Category } from "../model/types.js";
import type { IssueSink } from "../validate/issue-sink.js";
import { checkId, checkObject } from "./ids.js";
import { skeletonProblem } from "./skeleton.js";

const CATEGORY_KEYS = new Set(["id", "name", "supercategory", "keypoints", "skeleton"]);

/**
 * Checks one `categories[]` record (the rules of `cocoCategorySchema`) and builds its model
 * category, with the record's keys in order for `declaredIn`. Undefined, with every problem
 * reported, when it is not valid.
 */
export function categoryOfRecord(
  sink: IssueSink,
  file: string,
  index: number,
  v: unknown,
): { category: Category; keys: string[] } | undefined {
  const path = ["categories", index];
  if (!checkObject(sink, file, path, v)) return undefined;
  let ok = checkId(sink, file, path, v, "id", "an integer id");
  if (typeof v.name !== "string") {
    sink.issue(
      v.name === undefined ? "missing_field" : "invalid_type",
      file,
      [...path, "name"],
      "a string",
      v.name,
    );
    ok = false;
  }
  const sc = v.supercategory;
  if (sc !== undefined && sc !== null && typeof sc !== "string") {
    sink.issue("invalid_type", file, [...path, "supercategory"], "a string or null", sc);
    ok = false;
  }
  const names = v.keypoints;
  if (names !== undefined && !Array.isArray(names)) {
    sink.issue("invalid_type", file, [...path, "keypoints"], "a list of keypoint names", names);
    ok = false;
  } else if (Array.isArray(names) && !names.every((n) => typeof n === "string")) {
    const at = names.findIndex((n) => typeof n !== "string");
    sink.issue("invalid_type", file, [...path, "keypoints", at], "a keypoint name (a string)", names[at]);
    ok = false;
  }
  // The skeleton's range needs valid names (as in cocoCategorySchema, whose refinement runs last).
  const validNames = ok ? names : [];
  // A skeleton outside the keypoint list is an error, but the category stays known: its
  // annotations are not reported as naming an unknown category because of it.
  const skeletonOk =
    v.skeleton === undefined || checkSkeleton(sink, file, [...path, "skeleton"], v.skeleton, validNames);
  if (!ok) return undefined;
  const category: Category = { id: v.id as number, name: v.name as string };
  if (sc !== undefined) category.supercategory = sc as string | null;
  if (names !== undefined) category.keypoints = names as string[];
  if (v.skeleton !== undefined && skeletonOk) category.skeleton = v.skeleton as [number, number][];
  const keys: string[] = [];
  for (const k in v) {
    keys.push(k);
    if (CATEGORY_KEYS.has(k)) continue;
    category.extra ??= {};
    category.extra[k] = v[k];
  }
  return { category, keys };
}

/**
 * A skeleton is a list of [a, b] pairs of keypoint indices within the keypoint list
 * (`skeletonProblem` says which).
 */
function checkSkeleton(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  skeleton: unknown,
  names: unknown,
): boolean {
  if (!Array.isArray(skeleton)) {
    sink.issue("invalid_type", file, path, "a list of [a, b] keypoint index pairs", skeleton);
    return false;
  }
  for (let i = 0; i < skeleton.length; i++) {
    const pair = skeleton[i];
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((x) => Number.isSafeInteger(x))) {
      sink.issue("invalid_skeleton", file, [...path, i], "a pair [a, b] of keypoint indices", pair);
      return false;
    }
  }
  const k = Array.isArray(names) ? names.length : 0;
  const at = skeletonProblem(skeleton as number[][], k);
  if (at < 0) return true;
  sink.issue(
    "invalid_skeleton",
    file,
    [...path, at],
    `keypoint indices from 1 to ${k} (the category's ${k} keypoints)`,
    skeleton[at],
  );
  return false;
}

/**
 * Adds a later declaration of the same category (another task file) to the first: fields the
 * first lacked are taken from it (a person_keypoints file's `keypoints` and `skeleton`).
 */
export function mergeDeclaration(into: Category, other: Category): void {
  if (into.supercategory === undefined && other.supercategory !== undefined)
    into.supercategory = other.supercategory;
  if (into.keypoints === undefined && other.keypoints !== undefined) into.keypoints = other.keypoints;
  if (into.skeleton === undefined && other.skeleton !== undefined) into.skeleton = other.skeleton;
  if (other.extra)
    for (const k in other.extra) {
      into.extra ??= {};
      if (!(k in into.extra)) into.extra[k] = other.extra[k];
    }
}

/** The model fields of a category as COCO record fields, for export. */
export function categoryFields(c: Category): Obj {
  const out: Obj = { id: c.id, name: c.name };
  if (c.supercategory !== undefined) out.supercategory = c.supercategory;
  if (c.keypoints !== undefined) out.keypoints = c.keypoints;
  if (c.skeleton !== undefined) out.skeleton = c.skeleton;
  return c.extra ? Object.assign(out, c.extra) : out;
}
