import { describe, expect, it } from "vitest";
import { fromCountsString, toCountsString } from "./counts-string.js";
import { RleError } from "./errors.js";

describe("fromCountsString", () => {
  it.each([
    ["a character below '0'", "2 11", 1, '" "'],
    ["a character above 'o'", "23p1", 2, '"p"'],
    ["a non-ASCII character", "23é1", 2, '"é"'],
    ["a non-ASCII character at the start", "€231", 0, '"€"'],
    ["a lone surrogate", "23\ud8001", 2, '"\\ud800"'],
    ["a non-ASCII character after a continuation character", "2`é", 2, '"é"'],
  ])("rejects %s with invalid_counts_string naming its index", (_what, counts, index, shown) => {
    let error: unknown;
    try {
      fromCountsString(counts, 7, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RleError);
    expect(error).toMatchObject({ code: "invalid_counts_string" });
    expect((error as Error).message).toContain(`found ${shown} at index ${index}`);
  });

  it.each(["2`", "23`", "2311`"])("rejects %s, cut short after a continuation character", (counts) => {
    expect(() => fromCountsString(counts, 7, 1)).toThrow(
      expect.objectContaining({ code: "truncated_counts_string" }),
    );
  });

  it("parses a long string after a short one (reused buffers are grown and not stale)", () => {
    const long = { height: 100000, width: 1, counts: new Uint32Array(5000).fill(20) };
    expect(fromCountsString("231N", 7, 1).counts).toEqual(new Uint32Array([2, 3, 1, 1]));
    const parsed = fromCountsString(toCountsString(long), 100000, 1);
    expect(parsed.counts).toEqual(long.counts);
    expect(fromCountsString("231N", 7, 1).counts).toEqual(new Uint32Array([2, 3, 1, 1]));
  });
});

describe("toCountsString", () => {
  it("writes each delta in the fewest characters, for every width from 1 to 7 characters", () => {
    // Deltas straddling each 5-bit boundary, positive and negative, checked against the
    // per-character definition (5 bits a character, continuation bit 0x20, sign bit 0x10).
    const values: number[] = [0, 2 ** 30 - 1, -(2 ** 30)];
    for (let n = 1; n <= 6; n++) {
      const edge = 2 ** (5 * n - 1);
      values.push(edge - 1, edge, -edge, -edge - 1);
    }
    for (const delta of values) {
      const base = 2 ** 30;
      const counts = [1, base, 1, base + delta];
      const rle = { height: 1, width: 1, counts: new Uint32Array(counts) };
      const want = [1, base, 1, delta].map(referenceChars).join("");
      expect(toCountsString(rle)).toBe(want);
    }
  });
});

function referenceChars(x: number): string {
  let out = "";
  for (;;) {
    let c = x & 0x1f;
    x = Math.floor(x / 32);
    const more = c & 0x10 ? x !== -1 : x !== 0;
    if (more) c |= 0x20;
    out += String.fromCharCode(c + 48);
    if (!more) return out;
  }
}
