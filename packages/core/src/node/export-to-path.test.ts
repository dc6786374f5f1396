import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { exportArchive } from "../export/export-archive.js";
import type { MediaFiles } from "../media/media-files.js";
import type { Dataset, Item } from "../model/types.js";
import type { ProgressPhase } from "../progress/progress.js";
import { exportToPath } from "./export-to-path.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cocokit-export-to-path-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const item = (id: number, subset: string, over: Partial<Item> = {}): Item => ({
  id,
  subset,
  image: { fileName: `${id}.jpg`, width: 2, height: 2 },
  annotations: [{ id: 1, group: 1, categoryId: 1, attributes: {}, type: "bbox", bbox: [0, 0, 1, 1] }],
  attributes: {},
  ...over,
});
const dataset: Dataset = { categories: [{ id: 1, name: "a" }], items: [item(1, "train"), item(2, "val")] };
const failingMedia = { path: "x.jpg" };
// Media files whose read fails, as a disk would.
const failingFiles: MediaFiles = {
  has: () => true,
  read: async (): Promise<Uint8Array> => Promise.reject(new Error("disk gone")),
};

describe("exportToPath", () => {
  it("writes a zip for a .zip path, readable by Python's zipfile", async () => {
    const path = join(dir, "out.zip");
    const result = await exportToPath(dataset, path, { compression: "store" });
    expect(result.kind).toBe("zip");
    const names = execFileSync(
      "python3",
      ["-c", "import sys,zipfile;print(sorted(zipfile.ZipFile(sys.argv[1]).namelist()))", path],
      {
        encoding: "utf8",
      },
    );
    expect(names.trim()).toBe("['annotations/instances_train.json', 'annotations/instances_val.json']");
  });

  it("writes one JSON file for a .json path when a subset filter leaves one file", async () => {
    const path = join(dir, "one.json");
    await exportToPath(dataset, path, { subsets: ["val"] });
    const doc = JSON.parse(await readFile(path, "utf8"));
    expect(doc.images.map((i: { id: number }) => i.id)).toEqual([2]);
  });

  it("refuses a .json path when the dataset gives several files, writing nothing", async () => {
    const path = join(dir, "two.json");
    await expect(exportToPath(dataset, path)).rejects.toMatchObject({ code: "export_ambiguous" });
    expect((await readdir(dir)).filter((n) => n.includes("two.json"))).toEqual([]);
  });

  it("writes a directory for any other path", async () => {
    const path = join(dir, "tree");
    await exportToPath(dataset, path);
    expect((await readdir(join(path, "annotations"))).sort()).toEqual([
      "instances_train.json",
      "instances_val.json",
    ]);
  });

  it("leaves an existing file untouched and no temporary file behind when the export fails", async () => {
    const path = join(dir, "keep.zip");
    await writeFile(path, "old");
    const broken: Dataset = { ...dataset, items: [item(1, "train", { media: failingMedia })] };
    await expect(exportToPath(broken, path, { saveMedia: true, media: failingFiles })).rejects.toThrow(
      "disk gone",
    );
    expect(await readFile(path, "utf8")).toBe("old");
    expect((await readdir(dir)).filter((n) => n.includes("keep.zip"))).toEqual(["keep.zip"]);
  });

  it("leaves nothing behind when a directory export fails", async () => {
    const path = join(dir, "broken-tree");
    const broken: Dataset = { ...dataset, items: [item(1, "train", { media: failingMedia })] };
    await expect(exportToPath(broken, path, { saveMedia: true, media: failingFiles })).rejects.toThrow(
      "disk gone",
    );
    expect((await readdir(dir)).filter((n) => n.includes("broken-tree"))).toEqual([]);
  });

  it("leaves an existing directory as it was when an export over it fails, even with overwrite", async () => {
    const path = join(dir, "kept-tree");
    await mkdir(path, { recursive: true });
    await writeFile(join(path, "mine.txt"), "x");
    const broken: Dataset = { ...dataset, items: [item(1, "train", { media: failingMedia })] };
    await expect(
      exportToPath(broken, path, { saveMedia: true, media: failingFiles, overwrite: true }),
    ).rejects.toThrow("disk gone");
    expect(await readdir(path)).toEqual(["mine.txt"]);
    expect((await readdir(dir)).filter((n) => n.includes("kept-tree"))).toEqual(["kept-tree"]);
  });

  it("writes nothing and keeps an existing file when the dataset fails the export check, listing every issue", async () => {
    const path = join(dir, "checked.json");
    await writeFile(path, "old");
    const bad = (id: number): Item =>
      item(id, "train", {
        annotations: [
          { id: 1, group: 1, categoryId: 9, attributes: {}, type: "bbox", bbox: [0, 0, Number.NaN, 1] },
        ],
      });
    const error = await exportToPath({ ...dataset, items: [bad(1), bad(2)] }, path).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "export_failed" });
    const codes = (error as { issues: { code: string; pointer: string }[] }).issues.map((i) => [
      i.code,
      i.pointer,
    ]);
    expect(codes).toEqual([
      ["export_unknown_category", "/items/0/annotations/0/categoryId"],
      ["export_invalid_coordinates", "/items/0/annotations/0/bbox"],
      ["export_unknown_category", "/items/1/annotations/0/categoryId"],
      ["export_invalid_coordinates", "/items/1/annotations/0/bbox"],
    ]);
    expect(await readFile(path, "utf8")).toBe("old");
    expect((await readdir(dir)).filter((n) => n.includes("checked.json"))).toEqual(["checked.json"]);
  });

  it("leaves an existing zip untouched when the export is aborted", async () => {
    const path = join(dir, "aborted.zip");
    await writeFile(path, "old");
    const controller = new AbortController();
    controller.abort();
    await expect(exportToPath(dataset, path, { signal: controller.signal })).rejects.toMatchObject({
      code: "aborted",
    });
    expect(await readFile(path, "utf8")).toBe("old");
    expect((await readdir(dir)).filter((n) => n.includes("aborted.zip"))).toEqual(["aborted.zip"]);
  });

  it("refuses to replace a non-empty directory unless overwrite is set, then replaces it", async () => {
    const path = join(dir, "existing");
    await mkdir(path, { recursive: true });
    await writeFile(join(path, "mine.txt"), "x");
    await expect(exportToPath(dataset, path)).rejects.toMatchObject({ code: "export_target_exists" });
    expect(await readdir(path)).toEqual(["mine.txt"]);
    await exportToPath(dataset, path, { overwrite: true });
    expect(await readdir(path)).toEqual(["annotations"]);
  });

  it("replaces an existing zip atomically on success", async () => {
    const path = join(dir, "replace.zip");
    await writeFile(path, "old");
    await exportToPath(dataset, path);
    expect((await readFile(path)).subarray(0, 2).toString()).toBe("PK");
  });
});

/** `n` images of one box each in one subset: enough chunks for an abort to land mid-file. */
const large = (n: number): Dataset => ({
  categories: dataset.categories,
  items: Array.from({ length: n }, (_, i) => item(i + 1, "train")),
});

async function streamBytes(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return Buffer.concat(parts);
}

describe("exportToPath through exportArchive", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes the same zip bytes as exportArchive streams", async () => {
    // Entries carry the time they were written: one frozen clock for both.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-02T03:04:06Z") });
    const path = join(dir, "same.zip");
    await exportToPath(dataset, path);
    expect(await readFile(path)).toEqual(await streamBytes(exportArchive(dataset, { container: "zip" })));
    const stored = join(dir, "same-stored.zip");
    await exportToPath(dataset, stored, { compression: "store" });
    expect(await readFile(stored)).toEqual(
      await streamBytes(exportArchive(dataset, { container: "zip", compression: "store" })),
    );
  });

  it("writes the same JSON bytes as exportArchive streams", async () => {
    const path = join(dir, "same.json");
    const result = await exportToPath(dataset, path, { subsets: ["train"] });
    expect(result.files).toEqual(["same.json"]);
    expect(await readFile(path)).toEqual(
      await streamBytes(exportArchive(dataset, { container: "json", subsets: ["train"] })),
    );
  });

  const abortIn = (phase: ProgressPhase) => {
    const controller = new AbortController();
    return {
      signal: controller.signal,
      onProgress: (e: { phase: ProgressPhase }) => {
        if (e.phase === phase) controller.abort();
      },
    };
  };

  for (const [name, phase] of [
    ["big.zip", "write"],
    ["big.zip", "compress"],
    ["big.json", "write"],
    ["big-tree", "write"],
  ] as const) {
    it(`leaves nothing when aborted mid-way (${name}, ${phase}), and an existing target as it was`, async () => {
      const here = await mkdtemp(join(dir, "abort-"));
      const path = join(here, name);
      // Two subsets, so a zip has a second entry to stop before.
      const data = { ...large(4000), items: [...large(4000).items, item(9999, "val")] };
      const options = { ...abortIn(phase), ...(name.endsWith(".json") ? { subsets: ["train"] } : {}) };
      await expect(exportToPath(data, path, options)).rejects.toMatchObject({ code: "aborted" });
      expect(await readdir(here)).toEqual([]);
      if (name.endsWith("-tree")) await mkdir(path);
      else await writeFile(path, "old");
      if (name.endsWith("-tree")) await writeFile(join(path, "mine.txt"), "x");
      await expect(
        exportToPath(data, path, { ...options, ...abortIn(phase), overwrite: true }),
      ).rejects.toMatchObject({
        code: "aborted",
      });
      expect(await readdir(here)).toEqual([name]);
      if (name.endsWith("-tree")) expect(await readdir(path)).toEqual(["mine.txt"]);
      else expect(await readFile(path, "utf8")).toBe("old");
    });
  }
});
