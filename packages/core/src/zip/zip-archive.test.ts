import { describe, expect, it } from "vitest";
import { InflateBudget, isUnsafeEntryName } from "./zip-archive.js";

describe("isUnsafeEntryName", () => {
  const table: [string, boolean][] = [
    ["annotations/instances_train.json", false],
    ["images/train/a..b.jpg", false],
    ["..x/y.jpg", false],
    ["../x", true],
    ["a/../../x", true],
    ["a\\..\\x", true],
    ["/etc/passwd", true],
    ["\\server\\share", true],
    ["C:\\x", true],
    ["c:/x", true],
    ["a\0b", true],
    ["", true],
  ];
  for (const [name, unsafe] of table) {
    it(`says ${unsafe ? "unsafe" : "safe"} for ${JSON.stringify(name)}`, () => {
      expect(isUnsafeEntryName(name)).toBe(unsafe);
    });
  }
});

describe("InflateBudget", () => {
  const entry = { path: "big.json", size: 100 * 1024 * 1024, compressedSize: 10_000 };

  it("lets an entry inflate up to its ratio limit, then throws zip_limit_exceeded naming the entry", () => {
    const count = new InflateBudget({ maxRatio: 200 }).entry(entry);
    count(1_500_000); // under 200 × 10 kB
    expect(() => count(1_000_000)).toThrow(
      expect.objectContaining({ code: "zip_limit_exceeded", file: "big.json" }),
    );
  });

  it("never judges the ratio of the first MiB, so tiny well-compressed files pass", () => {
    const count = new InflateBudget({ maxRatio: 2 }).entry({
      path: "a.json",
      size: 1_000_000,
      compressedSize: 10,
    });
    expect(() => count(1_000_000)).not.toThrow();
  });

  it("counts every entry against the archive's total", () => {
    const budget = new InflateBudget({ maxTotalBytes: 1_000 });
    budget.entry({ path: "a", size: 600, compressedSize: 600 })(600);
    expect(() => budget.entry({ path: "b", size: 600, compressedSize: 600 })(600)).toThrow(
      expect.objectContaining({ code: "zip_limit_exceeded", file: "b" }),
    );
  });

  it("stops an entry that inflates past its declared size", () => {
    const count = new InflateBudget({}).entry({ path: "liar", size: 10, compressedSize: 10 });
    expect(() => count(11)).toThrow(expect.objectContaining({ code: "zip_limit_exceeded" }));
  });

  it("refuses more entries than maxEntries", () => {
    expect(() => new InflateBudget({ maxEntries: 2 }, "x.zip").checkEntries(3)).toThrow(
      expect.objectContaining({ code: "zip_limit_exceeded", file: "x.zip" }),
    );
  });
});
