// A Dataset is plain data: structuredClone (what postMessage and a job queue do) keeps everything
// export needs, so a cloned dataset exports to the same bytes as the one imported. The image
// bytes live beside it, in the import's MediaFiles, or in a Map that is itself cloneable.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { exportDataset } from "../src/export/export-dataset.js";
import { type MediaFiles, mediaFilesFromMap } from "../src/media/media-files.js";
import { sourcePointer } from "../src/model/record-source.js";
import type { Dataset } from "../src/model/types.js";
import { attachMediaFromPath, importPath } from "../src/node/import-path.js";
import { CORPUS_FIXTURES } from "./corpus/fixtures.js";
import { ASSETS } from "./fixture-files.js";

const CORPUS = fileURLToPath(new URL("./corpus/", import.meta.url));

/** Every fixture folder or file the other tests import: Datumaro's assets and the corpus. */
async function fixtures(): Promise<string[]> {
  const out: string[] = [];
  for (const group of ["coco_dataset", "roboflow_dataset"]) {
    for (const entry of await readdir(join(ASSETS, group), { withFileTypes: true }))
      if (entry.isDirectory()) out.push(join(ASSETS, group, entry.name));
  }
  out.push(join(ASSETS, "kaggle_dataset/relaxed_coco/annotations.json"));
  for (const f of CORPUS_FIXTURES) out.push(join(CORPUS, f.name, f.input ?? ""));
  return out;
}

/** The export's files, each one's chunks joined, by path; or the code it failed with. */
async function exported(dataset: Dataset, media: MediaFiles | undefined): Promise<Record<string, string>> {
  let result: ReturnType<typeof exportDataset>;
  try {
    result = exportDataset(dataset, { saveMedia: true, ...(media ? { media } : {}) });
  } catch (e) {
    if (isCocokitError(e)) return { error: e.code };
    throw e;
  }
  const out: Record<string, string> = { report: JSON.stringify(result.report) };
  for (const file of result.files) {
    const parts: Uint8Array[] = [];
    for await (const chunk of file.open()) parts.push(chunk);
    out[file.path] = Buffer.concat(parts).toString("base64");
  }
  return out;
}

const all = await fixtures();

describe("a structuredClone of an imported Dataset", () => {
  let saved = 0;
  it.each(
    all.map((path) => [path.replace(/.*\/(assets|corpus)\//, ""), path]),
  )("exports to the same bytes as the original: %s", async (_, path) => {
    const imported = await importPath(path, { mode: "lenient" });
    // Kaggle's file has its images beside it, matched by attachMediaFromPath.
    const { dataset, mediaFiles } = path.endsWith("relaxed_coco/annotations.json")
      ? await attachMediaFromPath(imported.dataset, join(path, ".."))
      : imported;
    const copy = structuredClone(dataset);
    expect(copy).toEqual(dataset);
    const original = await exported(dataset, mediaFiles);
    saved += Object.keys(original).filter((p) => p.startsWith("images/")).length;
    expect(await exported(copy, mediaFiles)).toEqual(original);
    // The bytes from a Map of them (cloned too) are the bytes from the tree.
    if (mediaFiles) {
      const bytes = new Map<string, Uint8Array>();
      for (const item of dataset.items)
        if (item.media) bytes.set(item.media.path, await mediaFiles.read(item.media.path));
      const fromMap = mediaFilesFromMap(structuredClone(bytes));
      expect(await exported(copy, fromMap)).toEqual(original);
    }
  });

  it("saved images in some of them", () => expect(saved).toBeGreaterThan(10));

  it("keeps every source as plain data whose pointer names the record", async () => {
    const { dataset } = await importPath(join(ASSETS, "coco_dataset/coco_instances"));
    const item = structuredClone(dataset).items[0];
    expect(item?.source).toEqual({ file: "annotations/instances_train.json", list: "images", index: 0 });
    expect(Object.getPrototypeOf(item?.source)).toBe(Object.prototype);
    const annotation = item?.annotations[0];
    expect(annotation?.source && sourcePointer(annotation.source)).toBe("/annotations/0");
  });
});

describe("sourcePointer", () => {
  it("escapes ~ and / in the list name as RFC 6901 says", () => {
    expect(sourcePointer({ file: "x.json", list: "a/b~c", index: 3 })).toBe("/a~1b~0c/3");
  });
});
