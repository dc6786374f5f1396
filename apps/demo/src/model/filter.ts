// The grid's filter: which images show for a set of categories and a file-name search.
import type { Item } from "@cocokit/core";

export interface ItemFilter {
  /** Category ids; an image shows when one of its annotations has one of them. Empty: no filter. */
  categories: ReadonlySet<number>;
  /** Case-insensitive substring of `image.fileName`. Empty: no filter. */
  search: string;
}

export const NO_FILTER: ItemFilter = { categories: new Set(), search: "" };

/** Whether one image passes the filter. */
export function matchesFilter(item: Item, filter: ItemFilter): boolean {
  const search = filter.search.trim().toLowerCase();
  if (search && !item.image.fileName.toLowerCase().includes(search)) return false;
  if (filter.categories.size === 0) return true;
  return item.annotations.some((a) => a.categoryId !== undefined && filter.categories.has(a.categoryId));
}

/** The images that pass, in dataset order. */
export function filterItems(items: readonly Item[], filter: ItemFilter): Item[] {
  if (filter.categories.size === 0 && !filter.search.trim()) return items.slice();
  return items.filter((item) => matchesFilter(item, filter));
}

/** Adds or removes one category of the multi-select. */
export function toggleCategory(filter: ItemFilter, categoryId: number): ItemFilter {
  const categories = new Set(filter.categories);
  if (!categories.delete(categoryId)) categories.add(categoryId);
  return { ...filter, categories };
}
