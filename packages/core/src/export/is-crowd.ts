/**
 * Reads an `is_crowd` attribute robustly: boolean true, the number 1 and the string "true" (any
 * case) or "1" are crowd. Datumaro checks identity with Python's `True`, so CVAT's number
 * attribute (1.0) silently fails there; here it counts.
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
