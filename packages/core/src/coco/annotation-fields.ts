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
  if (v.iscrowd !== undefined && !isIscrowdValue(v.iscrowd))
    bad(typeof v.iscrowd === "number" ? "invalid_value" : "invalid_type", "iscrowd", "0 or 1");
  const area = v.area;
  if (area !== undefined) {
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
  if ((task === "instances" || task === "stuff") && v.segmentation === undefined && v.bbox === undefined)
    bad("missing_field", "segmentation", "a segmentation (polygons or RLE) or at least a bbox");
  return ok;
}
