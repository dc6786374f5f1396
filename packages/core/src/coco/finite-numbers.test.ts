import { describe, expect, it } from "vitest";
import { allFiniteNumbers } from "./finite-numbers.js";

describe("allFiniteNumbers", () => {
  it.each([
    [[], true],
    [[0, -1.5, 1e300], true],
    [[1, Number.NaN], false],
    [[Number.POSITIVE_INFINITY], false],
    [[1, "2"], false],
    [[null], false],
  ])("%j → %s", (values, expected) => {
    expect(allFiniteNumbers(values as unknown[])).toBe(expected);
  });
});
