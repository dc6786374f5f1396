// The grid's filter: which images show for a set of categories, a subset, crowd, "has problems"
// and a file-name search. All conditions must hold; an empty one does not filter.
import { groupCocoObjects, type Item, isCrowdObject } from "@cocokit/core";

/** Which images the crowd condition keeps. */
export type CrowdFilter = "any" | "crowd" | "no-crowd";

export interface ItemFilter {
  /** Category ids; an image shows when one of its annotations has one of them. Empty: no filter. */
  categories: ReadonlySet<number>;
  /** Case-insensitive substring of `image.fileName`. Empty: no filter. */
  search: string;
  /** Only this subset; undefined: every subset. */
  subset?: string;
  /** `crowd`: images with a crowd object; `no-crowd`: images without one. */
  crowd: CrowdFilter;
  /** Only images with a validation issue (`ItemContext.problems`). */
  problems: boolean;
}

export const NO_FILTER: ItemFilter = { categories: new Set(), search: "", crowd: "any", problems: false };

/** What the filter needs beside the item: the positions (in `dataset.items`) of images with issues. */
export interface FilterContext {
  problems: ReadonlySet<number>;
}

const hasCrowd = (item: Item) => groupCocoObjects(item.annotations).some((shapes) => isCrowdObject(shapes));

/** Whether one image (at `index` in the dataset) passes the filter. */
export function matchesFilter(
  item: Item,
  index: number,
  filter: ItemFilter,
  context: FilterContext,
): boolean {
  const search = filter.search.trim().toLowerCase();
  if (search && !item.image.fileName.toLowerCase().includes(search)) return false;
  if (filter.subset !== undefined && item.subset !== filter.subset) return false;
  if (filter.problems && !context.problems.has(index)) return false;
  if (filter.crowd !== "any" && hasCrowd(item) !== (filter.crowd === "crowd")) return false;
  if (filter.categories.size === 0) return true;
  return item.annotations.some((a) => a.categoryId !== undefined && filter.categories.has(a.categoryId));
}

/** True when the filter keeps every image. */
export function isNoFilter(filter: ItemFilter): boolean {
  return (
    filter.categories.size === 0 &&
    !filter.search.trim() &&
    filter.subset === undefined &&
    filter.crowd === "any" &&
    !filter.problems
  );
}

/** The positions (in `items`) of the images that pass, in dataset order. */
export function filterItems(
  items: readonly Item[],
  filter: ItemFilter,
  context: FilterContext = { problems: new Set() },
): number[] {
  const kept: number[] = [];
  const all = isNoFilter(filter);
  items.forEach((item, index) => {
    if (all || matchesFilter(item, index, filter, context)) kept.push(index);
  });
  return kept;
}

/** Adds or removes one category of the multi-select. */
export function toggleCategory(filter: ItemFilter, categoryId: number): ItemFilter {
  const categories = new Set(filter.categories);
  if (!categories.delete(categoryId)) categories.add(categoryId);
  return { ...filter, categories };
}

/** The subsets of a dataset, in the order they first appear. */
export function subsetsOf(items: readonly Item[]): string[] {
  return [...new Set(items.map((item) => item.subset))];
}
