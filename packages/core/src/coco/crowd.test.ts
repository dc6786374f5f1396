import { describe, expect, it } from "vitest";
import { isCrowd } from "./crowd.js";

describe("isCrowd", () => {
  it.each([
    [true, true],
    [1, true],
    ["true", true],
    [" TRUE ", true],
    ["1", true],
    [false, false],
    [0, false],
    ["false", false],
    ["0", false],
    ["", false],
    [undefined, false],
    [null, false],
    [2, false],
  ])("reads the is_crowd value %j as %s", (value, expected) => {
    expect(isCrowd(value)).toBe(expected);
  });
});
