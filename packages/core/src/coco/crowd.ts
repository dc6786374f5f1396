/**
 * The one reading of "crowd" for model attributes: boolean true, the number 1 and the strings
 * "true" (any case) and "1" are crowd. CVAT writes `is_crowd` as a checkbox (boolean), as a
 * number attribute (1.0) or as text, so all three are read; Datumaro checks identity with
 * Python's `True` and silently misses the last two.
 * @example isCrowd("true") // true
 */
export function isCrowd(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (typeof value === "string") {
    const v = value.trim().toLowerCase();
    return v === "true" || v === "1";
  }
  return false;
}

/** True for a valid COCO `iscrowd` field value: 0 or 1 (booleans, which some exporters write, too). */
export function isIscrowdValue(value: unknown): boolean {
  return value === 0 || value === 1 || value === true || value === false;
}

/** The crowd flag of a COCO record's `iscrowd` field (checked by `isIscrowdValue`): 1 or true. */
export function iscrowdOfRecord(value: unknown): boolean {
  return value === 1 || value === true;
}
