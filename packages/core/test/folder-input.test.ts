// A browser folder (directory picker or dropped folder) read through importDataset: the same
// dataset and export as importPath on the same directory, paths relative to the picked folder.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { exportArchiveToBlob, folderInput, importDataset } from "../src/index.js";
import { importPath } from "../src/node/import-path.js";

const ASSETS = join(
  import.meta.dirname,
  "../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset",
);

/** The files under `dir` as a directory picker gives them: `webkitRelativePath` starts with its name. */
function pickedFolder(dir: string, folderName: string): File[] {
  const out: File[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const file = new File([readFileSync(path)], name);
        Object.defineProperty(file, "webkitRelativePath", { value: `${folderName}/${relative(dir, path)}` });
        out.push(file);
      }
    }
  };
  walk(dir);
  return out;
}

describe("folderInput", () => {
  it("reads a picked folder as importPath reads the directory: items, media and export bytes", async () => {
    const dir = join(ASSETS, "coco_instances");
    const folder = folderInput(pickedFolder(dir, "coco_instances"));
    expect(folder.name).toBe("coco_instances");
    expect(folder.files.map((f) => f.path).sort()).toContain("annotations/instances_train.json");
    const fromFolder = await importDataset(folder, { mode: "lenient" });
    const fromDisk = await importPath(dir, { mode: "lenient" });
    expect(fromFolder.layout.name).toBe(fromDisk.layout.name);
    expect(fromFolder.report.issues).toEqual(fromDisk.report.issues);
    const summary = (r: typeof fromDisk) =>
      r.dataset.items.map((i) => [i.subset, i.id, i.annotations.length, i.media?.path]);
    expect(summary(fromFolder)).toEqual(summary(fromDisk));
    expect(fromFolder.dataset.items.some((i) => i.media)).toBe(true);
    const bytes = async (r: typeof fromDisk) =>
      Buffer.from(
        await (
          await exportArchiveToBlob(r.dataset, { container: "zip", saveMedia: true, media: r.mediaFiles! })
        ).arrayBuffer(),
      );
    // Entry by entry: the archives' own bytes carry each entry's write time (2 s resolution), so
    // two exports a clock tick apart differ there and only there.
    const [a, b] = await Promise.all([
      JSZip.loadAsync(await bytes(fromFolder)),
      JSZip.loadAsync(await bytes(fromDisk)),
    ]);
    expect(Object.keys(a.files)).toEqual(Object.keys(b.files));
    for (const name of Object.keys(a.files)) {
      const [x, y] = await Promise.all([
        a.files[name]!.async("nodebuffer"),
        b.files[name]!.async("nodebuffer"),
      ]);
      expect(x.equals(y), name).toBe(true);
    }
  });

  it("keeps paths as given when the files share no top folder, and never reads an unsafe path", async () => {
    const json = readFileSync(join(ASSETS, "coco_instances/annotations/instances_val.json"));
    const loose = folderInput([new File([json], "instances_val.json")], "picked");
    expect(loose).toMatchObject({ name: "picked", files: [{ path: "instances_val.json" }] });
    let read = false;
    const trap = new Blob(["{}"]);
    trap.stream = () => {
      read = true;
      return new Blob(["{}"]).stream();
    };
    const result = await importDataset(
      {
        kind: "folder",
        name: "hostile",
        files: [
          { path: "annotations/instances_val.json", blob: new Blob([json]) },
          { path: "../escape.json", blob: trap },
        ],
      },
      { mode: "lenient" },
    );
    expect(read).toBe(false);
    expect(result.report.issues).toContainEqual(
      expect.objectContaining({ code: "unsafe_zip_entry", file: "../escape.json" }),
    );
    expect(result.dataset.items.length).toBeGreaterThan(0);
  });
});
