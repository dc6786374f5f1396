import { describe, expect, it } from "vitest";
import type { FileTree } from "../layouts/file-tree.js";
import { joinMediaFiles, mediaFilesFromMap, mediaFilesOfTree } from "./media-files.js";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("media files", () => {
  it("reads bytes and Blobs from a map, and refuses a path it does not have with input_not_found", async () => {
    const files = mediaFilesFromMap(
      structuredClone(
        new Map<string, Blob | Uint8Array>([
          ["a.jpg", Uint8Array.of(65)],
          ["b.jpg", new Blob(["B"])],
        ]),
      ),
    );
    expect(text(await files.read("a.jpg"))).toBe("A");
    expect(text(await files.read("b.jpg"))).toBe("B");
    expect(files.has("c.jpg")).toBe(false);
    await expect(files.read("c.jpg")).rejects.toMatchObject({ code: "input_not_found", file: "c.jpg" });
  });

  it("reads a tree's files by path, and a join asks the first table that has the path", async () => {
    const tree: FileTree = {
      container: "directory",
      name: "images",
      files: [
        {
          path: "a.jpg",
          open: async function* () {
            yield Uint8Array.of(84);
          },
        },
      ],
    };
    const joined = joinMediaFiles(
      mediaFilesOfTree(tree),
      undefined,
      mediaFilesFromMap(
        new Map([
          ["a.jpg", Uint8Array.of(77)],
          ["m.jpg", Uint8Array.of(77)],
        ]),
      ),
    );
    expect(text(await joined.read("a.jpg"))).toBe("T");
    expect(text(await joined.read("m.jpg"))).toBe("M");
    await expect(mediaFilesOfTree(tree).read("x.jpg")).rejects.toMatchObject({ code: "input_not_found" });
    await expect(joined.read("x.jpg")).rejects.toMatchObject({ code: "input_not_found" });
  });
});
