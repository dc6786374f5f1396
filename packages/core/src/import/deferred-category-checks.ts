import type { Category } from "../model/types.js";

/** An annotation whose category was missing, or whose keypoint count disagrees with its category. */
export interface UnresolvedCategory {
  /** Index of the record in `annotations`. */
  index: number;
  categoryId: number;
  /** The category's number of keypoint names when it exists (then the keypoint count is wrong). */
  names?: number;
  /** Length of the record's `keypoints` array, -1 without keypoints. */
  length: number;
}

/**
 * Annotations read before their category was declared (COCO's own files list categories after the
 * annotations), checked when the file ends. Numbers only, by category id, so a file of COCO's size
 * stays small.
 */
export class DeferredCategoryChecks {
  private readonly byCategory = new Map<number, IntList>();

  /** Remembers annotation `index` naming `categoryId`, with the length of its keypoints. */
  add(categoryId: number, index: number, keypoints: unknown): void {
    let list = this.byCategory.get(categoryId);
    if (!list) {
      list = new IntList();
      this.byCategory.set(categoryId, list);
    }
    list.push(index, Array.isArray(keypoints) ? keypoints.length : -1);
  }

  /** Forgets every pending check. */
  clear(): void {
    this.byCategory.clear();
  }

  /** The annotations whose category never came or whose keypoint count disagrees, in file order. */
  unresolved(categories: ReadonlyMap<number, Category>): UnresolvedCategory[] {
    const found: UnresolvedCategory[] = [];
    for (const [categoryId, list] of this.byCategory) {
      const category = categories.get(categoryId);
      const names = category?.keypoints?.length;
      const pairs = list.values;
      for (let i = 0; i < list.length; i += 2) {
        const index = pairs[i] as number;
        const length = pairs[i + 1] as number;
        if (!category) found.push({ index, categoryId, length });
        else if (names !== undefined && names > 0 && length >= 0 && length !== 3 * names)
          found.push({ index, categoryId, names, length });
      }
    }
    // Reported in the order of the file, like every other issue.
    return found.sort((x, y) => x.index - y.index);
  }
}

// (record index, keypoints length) pairs in a growable Int32Array: millions of them (a COCO file
// whose categories come last) would take twice the memory in a JS array, all of it on the heap.
class IntList {
  values = new Int32Array(64);
  length = 0;

  push(a: number, b: number): void {
    if (this.length + 2 > this.values.length) {
      const bigger = new Int32Array(2 * this.values.length);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = a;
    this.values[this.length++] = b;
  }
}
