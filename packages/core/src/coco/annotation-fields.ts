import { isObj, type Obj } from "../import/record-fields.js";
import type { CocoTask } from "../model/types.js";
import type { IssueSink } from "../validate/issue-sink.js";
import { isIscrowdValue } from "./crowd.js";

/**
 * Checks the fields of an annotation record that are not ids and not shapes (the rules of the
 * task's zod schema): `iscrowd` 0 or 1 (or a boolean), `area` a finite number ≥ 0, `score` a
 * finite number, `attributes` an object, a captions record's `caption` a string, and an
 * instances or stuff record's `segmentation` (or at least a `bbox`). Reports every problem;
 * false when there was one.
 */
export function checkAnnotationFields(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  v: Obj,
  task: CocoTask,
): boolean {
  let ok = true;
  const bad = (code: "invalid_type" | "invalid_value" | "missing_field", key: string, expected: string) => {
    sink.issue(code, file, [...path, key], expected, v[key]);
    ok = false;
  };
  // Captions and labels have no geometry: their other fields are kept verbatim, whatever they hold.
  const instanceLike = task === "instances" || task === "stuff" || task === "person_keypoints";
  if (instanceLike && v.iscrowd !== undefined && !isIscrowdValue(v.iscrowd))
    bad(typeof v.iscrowd === "number" ? "invalid_value" : "invalid_type", "iscrowd", "0 or 1");
  const area = v.area;
  if (instanceLike && area !== undefined) {
    if (typeof area !== "number") bad("invalid_type", "area", "a number");
    else if (!(area >= 0) || area === Number.POSITIVE_INFINITY)
      bad("invalid_value", "area", "a finite number of at least 0");
  }
  if (v.score !== undefined && !(typeof v.score === "number" && Number.isFinite(v.score)))
    bad("invalid_type", "score", "a finite number");
  if (v.attributes !== undefined && !isObj(v.attributes))
    bad("invalid_type", "attributes", "an object of attributes");
  if (task === "captions" && typeof v.caption !== "string")
    bad(v.caption === undefined ? "missing_field" : "invalid_type", "caption", "a caption string");
  if (task === "person_keypoints" && v.keypoints === undefined)
    bad("missing_field", "keypoints", "a list of x, y, v triples");
  if (
    task === "person_keypoints" &&
    v.num_keypoints !== undefined &&
    !(Number.isSafeInteger(v.num_keypoints) && (v.num_keypoints as number) >= 0)
  )
    bad("invalid_type", "num_keypoints", "a non-negative integer");
  return ok;
}

/**
 * An instances or stuff record has a segmentation or at least a bbox: a rule over two fields,
 * checked (as zod's refinement is) once every field of the record is valid.
 */
export function checkHasShape(
  sink: IssueSink,
  file: string,
  path: (string | number)[],
  v: Obj,
  task: CocoTask,
): boolean {
  if (!(task === "instances" || task === "stuff") || v.segmentation !== undefined || v.bbox !== undefined)
    return true;
  sink.issue(
    "missing_field",
    file,
    [...path, "segmentation"],
    "a segmentation (polygons or RLE) or at least a bbox",
    undefined,
  );
  return false;
}
