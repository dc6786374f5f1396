import { describe, expect, it } from "vitest";
import { IdSet } from "./id-set.js";

describe("IdSet", () => {
  it("says whether each id was new, across the bitmap, its growth and the set for other ids", () => {
    const ids = [0, 1, 7, 8, 4095 * 8, 100_000, 2 ** 27 - 1, 2 ** 27, 900_100_581_904, -3, 1.5];
    const set = new IdSet();
    for (const id of ids) expect(set.add(id)).toBe(true);
    for (const id of ids) expect(set.add(id)).toBe(false);
    expect(set.add(2)).toBe(true);
  });

  it("agrees with a Set on random ids", () => {
    const set = new IdSet();
    const reference = new Set<number>();
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const id = seed % 3 === 0 ? seed : seed % 5000;
      expect(set.add(id)).toBe(!reference.has(id));
      reference.add(id);
    }
  });
});
