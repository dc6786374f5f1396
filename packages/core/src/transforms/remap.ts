import type { Annotation, Category, Dataset } from "../model/types.js";
import { resolveCategory } from "./category-ref.js";

/** How `remapCategories` renames categories. */
export interface RemapOptions {
  /** Old category (name or id) → new name. Two old categories mapped to one name are merged. */
  map: ReadonlyMap<string | number, string> | Readonly<Record<string, string>>;
  /** Drop categories the map does not mention, with their annotations (default: keep them as they are). */
  dropUnmapped?: boolean;
}

/**
 * Renames, merges or drops categories and points every annotation at its new category. A target
 * name that is an existing category keeps that category's id and fields; a new name takes the id
 * and fields of the first category mapped to it. Geometry and attributes are unchanged, so `area`
 * and import's `unchanged` mark are kept: export writes the record as read, with the new category id.
 * @example
 * remapCategories(dataset, { map: { car: "vehicle", truck: "vehicle" } }); // car and truck become one "vehicle"
 */
export function remapCategories(dataset: Dataset, options: RemapOptions): Dataset {
  const entries = options.map instanceof Map ? [...options.map] : Object.entries(options.map);
  const targetOf = new Map<number, string>();
  for (const [ref, name] of entries) targetOf.set(resolveCategory(dataset.categories, ref).id, name);

  const byName = new Map(dataset.categories.map((c) => [c.name, c]));
  const newIdOf = new Map<number, number>();
  const categories: Category[] = [];
  const created = new Map<string, Category>();
  for (const category of dataset.categories) {
    const target = targetOf.get(category.id);
    if (target === undefined && options.dropUnmapped === true) continue;
    const name = target ?? category.name;
    let result = created.get(name);
    if (result === undefined) {
      // An unmapped category keeps its own identity; a target that names an existing category that
      // is itself renamed away is a new category, not that old one.
      const existing = byName.get(name);
      const reuse =
        existing !== undefined && !(targetOf.has(existing.id) && targetOf.get(existing.id) !== name);
      result = reuse && existing !== undefined ? { ...existing, name } : { ...category, name };
      created.set(name, result);
      categories.push(result);
    }
    newIdOf.set(category.id, result.id);
  }

  const remapAnnotation = (annotation: Annotation): Annotation | undefined => {
    if (annotation.categoryId === undefined) return annotation;
    const id = newIdOf.get(annotation.categoryId);
    if (id === undefined) return undefined;
    return id === annotation.categoryId ? annotation : { ...annotation, categoryId: id };
  };
  const items = dataset.items.map((item) => ({
    ...item,
    annotations: item.annotations.map(remapAnnotation).filter((a): a is Annotation => a !== undefined),
  }));
  return { ...dataset, categories, items };
}
