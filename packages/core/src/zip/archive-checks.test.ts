import { describe, expect, it } from "vitest";
import { checkOverlaps, refuseDuplicates } from "./archive-checks.js";
import type { CentralRecord } from "./entry-checks.js";

const encoder = new TextEncoder();
// An entry occupying [offset, offset + 30 + name + compressedSize).
function record(index: number, path: string, offset: number, compressedSize: number): CentralRecord {
  const rawName = encoder.encode(path);
  return {
    index,
    path,
    rawName,
    directory: false,
    offset,
    compressedSize,
    size: 0,
    crc32: 0,
    method: 0,
    flags: 0,
  };
}
// Back-to-back entries, as every writer lays them out.
function packed(count: number, compressedSize: number): CentralRecord[] {
  const out: CentralRecord[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const r = record(i, `images/${i}.jpg`, offset, compressedSize);
    out.push(r);
    offset += 30 + r.rawName.length + compressedSize;
  }
  return out;
}

function thrown(run: () => void): { code?: string; file?: string; message: string } {
  try {
    run();
  } catch (e) {
    return e as { code?: string; file?: string; message: string };
  }
  throw new Error("expected a throw");
}

describe("checkOverlaps", () => {
  it("accepts entries packed back to back, in order or not", () => {
    const entries = packed(1000, 17);
    expect(() => checkOverlaps(entries)).not.toThrow();
    expect(() => checkOverlaps([...entries].reverse())).not.toThrow();
  });

  it("throws overlapping_zip_entries naming both entries when two share a local header", () => {
    const error = thrown(() =>
      checkOverlaps([record(0, "a.json", 0, 100), record(1, "b.json", 0, 100)], "x.zip"),
    );
    expect(error).toMatchObject({ code: "overlapping_zip_entries", file: "x.zip" });
    expect(error.message).toContain('"b.json" (entry 2, bytes 0-135) inside "a.json" (entry 1, bytes 0-135)');
  });

  it("throws when an entry starts inside another's data, even listed out of order, and counts the rest", () => {
    const outer = record(0, "outer", 0, 1000);
    const entries = [record(1, "c", 600, 10), outer, record(2, "d", 500, 10), record(3, "far", 5000, 1)];
    const error = thrown(() => checkOverlaps(entries));
    expect(error.code).toBe("overlapping_zip_entries");
    expect(error.message).toContain('"d" (entry 3, bytes 500-540) inside "outer" (entry 1');
    expect(error.message).toContain("and 1 more overlapping entries");
    expect(error.message).not.toMatch(/undefined|NaN|\[object/);
  });

  it("checks a million entries in one pass", () => {
    expect(() => checkOverlaps(packed(1_000_000, 1))).not.toThrow();
  });
});

describe("refuseDuplicates", () => {
  it("passes unique names through untouched", () => {
    const entries = packed(3, 1);
    const { unique, issues, byKey } = refuseDuplicates(entries);
    expect({ unique, issues }).toEqual({ unique: entries, issues: [] });
    expect(byKey.get("images/1.jpg")).toBe(entries[1]);
  });

  it("refuses every entry of a repeated name with one duplicate_zip_entry issue naming them", () => {
    const a = record(0, "images/a.jpg", 0, 1);
    const b = record(1, "images/b.jpg", 100, 1);
    const again = record(2, "images/a.jpg", 200, 1);
    const { unique, issues, byKey } = refuseDuplicates([a, b, again]);
    expect(unique).toEqual([b]);
    expect([...byKey.keys()]).toEqual(["images/b.jpg"]);
    expect(issues).toEqual([
      expect.objectContaining({
        code: "duplicate_zip_entry",
        severity: "error",
        file: "images/a.jpg",
        pointer: "",
        found: "2 entries (entries 1, 3)",
      }),
    ]);
    expect(issues[0]?.message).toContain('one zip entry named "images/a.jpg", found 2 (entries 1, 3)');
  });

  it("treats names that resolve to one path (a/./b, a//b) as the same, listing each spelling", () => {
    const { unique, issues } = refuseDuplicates([
      record(0, "images/a.jpg", 0, 1),
      record(1, "images/./a.jpg", 100, 1),
      record(2, "images//a.jpg", 200, 1),
    ]);
    expect(unique).toEqual([]);
    expect(issues[0]?.message).toContain(
      'entries 1, 2, 3: "images/a.jpg", "images/./a.jpg", "images//a.jpg"',
    );
  });
});
