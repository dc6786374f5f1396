import { describe, expect, it } from "vitest";
import { overallProgress } from "./progress.js";

describe("overallProgress", () => {
  it("places a phase's fraction inside its span", () => {
    expect(overallProgress("import", "parse", 50, 100, 0)).toBeCloseTo(0.45);
    expect(overallProgress("import", "store", 100, 100, 0)).toBe(1);
  });
  it("never goes back, and keeps the progress for unknown phases or totals", () => {
    expect(overallProgress("import", "parse", 0, 100, 0.5)).toBe(0.5);
    expect(overallProgress("import", "media", 5, 10, 0.3)).toBe(0.3);
    expect(overallProgress("export", "write", 5, undefined, 0)).toBeCloseTo(0.3);
  });
});
