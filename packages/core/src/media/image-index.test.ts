import { describe, expect, it } from "vitest";
import { baseName, ImageIndex, isImagePath, stripExtension } from "./image-index.js";

describe("ImageIndex", () => {
  const file = (path: string) => ({ path, open: async function* () {} });

  it("indexes image files by path, stem and base name, leaving out annotation folders and other files", () => {
    const index = new ImageIndex(
      [
        "images/a.JPG",
        "images/sub/a.png",
        "annotations/panoptic_x/a.png",
        "notes.txt",
        "x/my_annotations/b.png",
      ].map(file),
    );
    expect([...index.byPath.keys()]).toEqual(["images/a.JPG", "images/sub/a.png"]);
    expect(index.stem("images/a").map((f) => f.path)).toEqual(["images/a.JPG"]);
    expect(index.base("a.png").map((f) => f.path)).toEqual(["images/sub/a.png"]);
  });
});

describe("path helpers", () => {
  it("strip only the last extension and never a folder's dot", () => {
    expect(stripExtension("a/b.c.jpg")).toBe("a/b.c");
    expect(stripExtension("a.d/b")).toBe("a.d/b");
    expect(baseName("a\\b/c.jpg")).toBe("c.jpg");
    expect(isImagePath("x/y.WebP")).toBe(true);
    expect(isImagePath("x.jpg/y")).toBe(false);
  });
});
