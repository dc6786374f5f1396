import { describe, expect, it } from "vitest";
import type { FileTree, TreeFile } from "../layouts/file-tree.js";
import type { Item } from "../model/types.js";
import type { ProgressEvent } from "../progress/progress.js";
import { matchMedia } from "./match-media.js";

// The start of a PNG: signature and IHDR, enough for its size (7 wide, 3 high).
const PNG = Uint8Array.of(
  ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  ...[0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
  ...[0, 0, 0, 7, 0, 0, 0, 3, 8, 2, 0, 0, 0],
);

const file = (path: string): TreeFile => ({
  path,
  size: PNG.length,
  open: async function* () {
    yield PNG;
  },
});
const tree: FileTree = {
  container: "directory",
  name: "x",
  files: ["a.png", "b.png", "sub/b.png"].map(file),
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const item = (id: number, fileName: string, size?: [number, number]): Item => ({
  id,
  subset: "default",
  image: { fileName, ...(size ? { width: size[0], height: size[1] } : {}) },
  annotations: [],
  attributes: {},
  source: { file: "a.json", list: "images", index: id - 1 },
});

describe("matchMedia", () => {
  it("returns new items with media and header sizes, leaving the input items as they were", async () => {
    const items = deepFreeze([
      item(1, "a.png"),
      item(2, "b.png"),
      item(3, "c.png"),
      item(4, "a.png", [1, 1]),
    ]);
    const before = structuredClone(items);
    const seen: ProgressEvent[] = [];
    const result = await matchMedia(items, tree, {
      imageDirs: () => ["", "sub/"],
      onProgress: (e) => seen.push(e),
    });
    expect(items).toEqual(before);
    expect(result.items.map((i) => [i.media?.path, i.image.width, i.image.height])).toEqual([
      ["a.png", 7, 3],
      ["b.png", 7, 3],
      [undefined, undefined, undefined],
      ["a.png", 1, 1],
    ]);
    // An item without a file is passed on as it is; a matched one is a copy.
    expect(result.items[2]).toBe(items[2]);
    expect(result.items[0]).not.toBe(items[0]);
    expect(result.media.missing).toEqual([{ subset: "default", itemId: 3, fileName: "c.png" }]);
    expect(result.media.unmatched).toEqual(["sub/b.png"]);
    expect(result.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["missing_image_file", "/images/2/file_name"],
    ]);
    expect(seen.every((e) => e.phase === "media" && e.unit === "items" && e.total === 4)).toBe(true);
    expect(seen.at(-1)?.done).toBe(4);
  });

  it("throws aborted when the signal fires at a media progress event", async () => {
    const stop = new AbortController();
    const run = matchMedia([item(1, "a.png")], tree, {
      imageDirs: () => [""],
      signal: stop.signal,
      onProgress: () => stop.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: "aborted" });
  });
});
