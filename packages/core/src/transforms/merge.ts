import type { Category, Dataset, Item } from "../model/types.js";

/** A clash `mergeDatasets` found and how it resolved it. */
export interface MergeConflict {
  /** `duplicate_image_id`: the item got a new id; `duplicate_file_name`: both items were kept. */
  code: "duplicate_image_id" | "duplicate_file_name";
  subset: string;
  /** Index of the input dataset the later item came from. */
  source: number;
  fileName: string;
  imageId: number;
  /** The id the item was given, for `duplicate_image_id`. */
  newImageId?: number;
  message: string;
}

/** The merged dataset and every clash found on the way. */
export interface MergeResult {
  dataset: Dataset;
  conflicts: MergeConflict[];
}

/**
 * Merges datasets into one: categories are unified by name (the first dataset's ids win, new names
 * get the next free id) and annotations are pointed at the unified ids; items keep their subsets.
 * An image id already used in the same subset is replaced by the next free one, and a file name
 * seen twice in a subset is kept and reported. `info` and `licenses` come from the first dataset.
 * @example
 * const { dataset, conflicts } = mergeDatasets([a, b]);
 */
export function mergeDatasets(datasets: readonly Dataset[]): MergeResult {
  const categories: Category[] = [];
  const byName = new Map<string, Category>();
  const takenIds = new Set<number>();
  let nextCategoryId = 1;
  const items: Item[] = [];
  const conflicts: MergeConflict[] = [];
  const idsBySubset = new Map<string, Set<number>>();
  const namesBySubset = new Map<string, Set<string>>();
  const nextIdBySubset = new Map<string, number>();
  for (const dataset of datasets) {
    for (const item of dataset.items) {
      const next = nextIdBySubset.get(item.subset) ?? 1;
      nextIdBySubset.set(item.subset, Math.max(next, item.id + 1));
    }
  }

  datasets.forEach((dataset, source) => {
    for (const category of dataset.categories) nextCategoryId = Math.max(nextCategoryId, category.id + 1);
    const idMap = new Map<number, number>();
    for (const category of dataset.categories) {
      let unified = byName.get(category.name);
      if (unified === undefined) {
        unified = { ...category, id: takenIds.has(category.id) ? nextCategoryId++ : category.id };
        takenIds.add(unified.id);
        byName.set(category.name, unified);
        categories.push(unified);
      }
      idMap.set(category.id, unified.id);
    }

    for (const item of dataset.items) {
      const ids = setFor(idsBySubset, item.subset);
      const names = setFor(namesBySubset, item.subset);
      let id = item.id;
      if (ids.has(id)) {
        id = nextIdBySubset.get(item.subset) ?? item.id + 1;
        nextIdBySubset.set(item.subset, id + 1);
        conflicts.push({
          code: "duplicate_image_id",
          subset: item.subset,
          source,
          fileName: item.image.fileName,
          imageId: item.id,
          newImageId: id,
          message: `image id ${item.id} (${item.image.fileName}) is already used in subset "${item.subset}"; it became ${id}`,
        });
      }
      if (names.has(item.image.fileName)) {
        conflicts.push({
          code: "duplicate_file_name",
          subset: item.subset,
          source,
          fileName: item.image.fileName,
          imageId: item.id,
          message: `file name "${item.image.fileName}" appears twice in subset "${item.subset}"; both images were kept`,
        });
      }
      ids.add(id);
      names.add(item.image.fileName);
      const annotations = item.annotations.map((a) => {
        // A dangling category id (not in this dataset's categories) is left as it is, for validation to report.
        const categoryId = a.categoryId === undefined ? undefined : (idMap.get(a.categoryId) ?? a.categoryId);
        return categoryId === a.categoryId ? a : { ...a, categoryId };
      });
      items.push({ ...item, id, annotations });
    }
  });

  const first = datasets[0];
  const dataset: Dataset = { categories, items };
  if (first?.info !== undefined) dataset.info = first.info;
  if (first?.licenses !== undefined) dataset.licenses = first.licenses;
  return { dataset, conflicts };
}

function setFor<T>(map: Map<string, Set<T>>, key: string): Set<T> {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
