import { describe, expect, it } from "vitest";
import { box, dataset, item } from "./fixture.test-support.js";
import { splitDataset } from "./split.js";

const many = dataset(
  [
    [1, "common"],
    [2, "rare"],
  ],
  Array.from({ length: 100 }, (_, i) => item(i + 1, "default", [box(i + 1, i % 10 === 0 ? 2 : 1)])),
);

const count = (d: ReturnType<typeof splitDataset>, subset: string) =>
  d.items.filter((i) => i.subset === subset).length;

describe("splitDataset", () => {
  it("divides images in the given ratios, exactly when they divide evenly", () => {
    const out = splitDataset(many, { ratios: { train: 0.8, val: 0.2 }, seed: 1 });
    expect([count(out, "train"), count(out, "val")]).toEqual([80, 20]);
  });

  it("normalises shares that do not sum to 1", () => {
    const out = splitDataset(many, { ratios: { a: 3, b: 1 } });
    expect([count(out, "a"), count(out, "b")]).toEqual([75, 25]);
  });

  it("gives the same split for the same seed and a different one for another seed", () => {
    const subsets = (seed: number) =>
      splitDataset(many, { ratios: { train: 0.5, val: 0.5 }, seed }).items.map((i) => i.subset);
    expect(subsets(7)).toEqual(subsets(7));
    expect(subsets(7)).not.toEqual(subsets(8));
  });

  it("spreads a rare category across subsets with stratify", () => {
    for (const seed of [1, 2, 3]) {
      const out = splitDataset(many, { ratios: { train: 0.8, val: 0.2 }, seed, stratify: true });
      const rareInVal = out.items.filter(
        (i) => i.subset === "val" && i.annotations[0]?.categoryId === 2,
      ).length;
      expect(rareInVal).toBe(2);
      expect(count(out, "val")).toBe(20);
    }
  });

  it("keeps annotations and image ids unchanged", () => {
    const out = splitDataset(many, { ratios: { train: 1 } });
    expect(out.items.map((i) => [i.id, i.annotations])).toEqual(many.items.map((i) => [i.id, i.annotations]));
  });

  it.each([
    ["no subsets", {}],
    ["a negative share", { train: 1.2, val: -0.2 }],
    ["only zeros", { train: 0 }],
    ["not a number", { train: Number.NaN }],
  ])("throws invalid_split_ratio for %s", (_, ratios) => {
    expect(() => splitDataset(many, { ratios })).toThrow(
      expect.objectContaining({ code: "invalid_split_ratio" }),
    );
  });

  it("throws duplicate_image_id when two subsets share an image id", () => {
    const clash = dataset([[1, "a"]], [item(1, "train"), item(1, "val")]);
    expect(() => splitDataset(clash, { ratios: { all: 1 } })).toThrow(
      expect.objectContaining({ code: "duplicate_image_id" }),
    );
  });
});
