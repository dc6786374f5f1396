import { describe, expect, it } from "vitest";
import type { Category } from "../model/types.js";
import { DeferredCategoryChecks } from "./deferred-category-checks.js";

describe("DeferredCategoryChecks", () => {
  it("finds, in file order, the annotations whose category never came or whose keypoint count is wrong", () => {
    const checks = new DeferredCategoryChecks();
    const expected: unknown[] = [];
    // Thousands of pending records (a file whose categories come last), across three categories.
    for (let index = 0; index < 5000; index++) {
      const categoryId = index % 3;
      const keypoints = index % 7 === 0 ? new Array(index % 2 === 0 ? 6 : 9).fill(0) : undefined;
      checks.add(categoryId, index, keypoints);
      const length = keypoints ? keypoints.length : -1;
      if (categoryId === 2) expected.push({ index, categoryId, length });
      else if (categoryId === 1 && length >= 0 && length !== 6)
        expected.push({ index, categoryId, names: 2, length });
    }
    const categories = new Map<number, Category>([
      [0, { id: 0, name: "plain" }],
      [1, { id: 1, name: "person", keypoints: ["a", "b"] }],
    ]);
    expect(checks.unresolved(categories)).toEqual(expected);
    checks.clear();
    expect(checks.unresolved(categories)).toEqual([]);
  });
});
