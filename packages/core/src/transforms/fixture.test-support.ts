import type { Annotation, Category, Dataset, Item } from "../model/types.js";

/** A box annotation for tests. */
export function box(
  id: number,
  categoryId: number,
  w = 10,
  h = 10,
  extra: Partial<Annotation> = {},
): Annotation {
  return {
    type: "bbox",
    id,
    categoryId,
    group: 0,
    attributes: {},
    bbox: [0, 0, w, h],
    ...extra,
  } as Annotation;
}

/** An item for tests. */
export function item(
  id: number,
  subset: string,
  annotations: Annotation[] = [],
  fileName = `${id}.jpg`,
): Item {
  return { id, subset, image: { fileName, width: 100, height: 100 }, annotations, attributes: {} };
}

/** A dataset for tests. */
export function dataset(categories: Array<[number, string]>, items: Item[]): Dataset {
  const cats: Category[] = categories.map(([id, name]) => ({ id, name, supercategory: "thing" }));
  return { categories: cats, items };
}
