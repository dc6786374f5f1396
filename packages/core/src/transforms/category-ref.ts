import { CocokitError } from "../errors.js";
import type { Category } from "../model/types.js";

/**
 * Finds the category a user named, by name first, then by id when the reference is an integer.
 * Throws `CocokitError` `unknown_category` listing the names that exist.
 */
export function resolveCategory(categories: readonly Category[], ref: string | number): Category {
  const byName = categories.find((c) => c.name === String(ref));
  if (byName !== undefined) return byName;
  const id = typeof ref === "number" ? ref : /^-?\d+$/.test(ref) ? Number(ref) : Number.NaN;
  const byId = categories.find((c) => c.id === id);
  if (byId !== undefined) return byId;
  const known = categories.map((c) => `${c.name} (${c.id})`).join(", ");
  throw new CocokitError(
    "unknown_category",
    `expected a category name or id, found "${String(ref)}"; the dataset has: ${known.slice(0, 200) || "no categories"}`,
  );
}
