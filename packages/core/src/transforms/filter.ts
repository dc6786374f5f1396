import { objectArea } from "../coco/area.js";
import { groupCocoObjects, isCrowdObject } from "../coco/objects.js";
import type { Annotation, Dataset, Item } from "../model/types.js";
import { resolveCategory } from "./category-ref.js";

/** What `filterDataset` keeps. Every option narrows; none given keeps everything. */
export interface FilterOptions {
  /** Keep only these categories (names or ids) and their annotations. */
  categories?: readonly (string | number)[];
  /** Drop these categories (names or ids) and their annotations. */
  excludeCategories?: readonly (string | number)[];
  /** Drop objects whose area (the stored `area`, else the geometry's) is below this many pixels. */
  minArea?: number;
  /** Drop objects marked `is_crowd`. */
  dropCrowd?: boolean;
  /** Drop images left without annotations after filtering (or that had none). */
  dropEmptyImages?: boolean;
  /** Keep only items of these subsets. */
  subsets?: readonly string[];
}

/**
 * Keeps the categories, annotations, items and subsets the options ask for. Annotations are kept
 * or dropped as whole COCO objects (all shapes of a group together); kept ones are unchanged,
 * `area` and import's `unchanged` mark included, so export writes them back as they were read. Category references that match nothing throw `unknown_category`.
 * @example
 * const people = filterDataset(dataset, { categories: ["person"], dropCrowd: true, dropEmptyImages: true });
 */
export function filterDataset(dataset: Dataset, options: FilterOptions = {}): Dataset {
  const keep = new Set(dataset.categories.map((c) => c.id));
  if (options.categories !== undefined) {
    const wanted = new Set(options.categories.map((ref) => resolveCategory(dataset.categories, ref).id));
    for (const id of keep) if (!wanted.has(id)) keep.delete(id);
  }
  for (const ref of options.excludeCategories ?? []) keep.delete(resolveCategory(dataset.categories, ref).id);
  const subsets = options.subsets === undefined ? undefined : new Set(options.subsets);

  const keepObject = (object: Annotation[]): boolean => {
    const categoryId = object[0]?.categoryId;
    if (categoryId !== undefined && !keep.has(categoryId)) return false;
    if (options.dropCrowd === true && isCrowdObject(object)) return false;
    if (options.minArea !== undefined) {
      const area = objectArea(object);
      if (area !== undefined && area < options.minArea) return false;
    }
    return true;
  };

  const items: Item[] = [];
  for (const item of dataset.items) {
    if (subsets !== undefined && !subsets.has(item.subset)) continue;
    const annotations = groupCocoObjects(item.annotations).filter(keepObject).flat();
    if (options.dropEmptyImages === true && annotations.length === 0) continue;
    items.push({ ...item, annotations });
  }
  return { ...dataset, categories: dataset.categories.filter((c) => keep.has(c.id)), items };
}
