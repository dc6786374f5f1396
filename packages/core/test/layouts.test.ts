import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { detectLayout, type LayoutName } from "../src/layouts/detect-layout.js";
import type { FileTree } from "../src/layouts/file-tree.js";
import { attachMedia } from "../src/media/attach-media.js";
import { importPath, validatePath } from "../src/node/import-path.js";
import type { ProgressEvent } from "../src/progress/progress.js";
import { importDataset, validateDataset } from "../src/read/import-dataset.js";
import type { DatasetInput } from "../src/read/open-input.js";
import { openZip, zipEngineOf } from "../src/zip/read-zip.js";
import { zipDirectory, zipEntries } from "./zip-fixture.js";
import { storedZip } from "./zip64-fixture.js";

const ASSETS = new URL("../../../../shared/conformance/datumaro_coco/tests/assets/", import.meta.url);
const at = (path: string) => fileURLToPath(new URL(path, ASSETS));

const tree = (container: FileTree["container"], paths: string[]): FileTree => ({
  container,
  name: "input",
  files: paths.map((path) => ({ path, open: async function* () {} })),
});

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

describe("detectLayout", () => {
  const table: { paths: string[]; name: string; files: [string, string | undefined, string, string[]][] }[] =
    [
      {
        paths: ["annotations/instances_train.json", "images/train/a.jpg"],
        name: "coco",
        files: [["annotations/instances_train.json", "instances", "train", ["images/train/", "images/"]]],
      },
      {
        // A zipped folder: the root is wherever annotations/ is; subsets keep underscores.
        paths: ["ds/annotations/person_keypoints_subset_1.json", "ds/images/x.jpg"],
        name: "coco",
        files: [
          [
            "ds/annotations/person_keypoints_subset_1.json",
            "person_keypoints",
            "subset_1",
            ["ds/images/subset_1/", "ds/images/"],
          ],
        ],
      },
      {
        paths: ["annotations/instances_val.json", "val/b.jpg"],
        name: "mmdet",
        files: [["annotations/instances_val.json", "instances", "val", ["val/"]]],
      },
      {
        paths: ["valid/_annotations.coco.json", "valid/x.jpg", "_annotations.coco.json"],
        name: "roboflow",
        files: [
          ["_annotations.coco.json", "instances", "default", [""]],
          ["valid/_annotations.coco.json", "instances", "valid", ["valid/"]],
        ],
      },
      {
        // Datumaro accepts any folder name ending in "annotations"; we also accept any case.
        paths: ["my_Annotations/captions_x.json", "Annotations/stuff_y.json"],
        name: "coco",
        files: [
          ["Annotations/stuff_y.json", "stuff", "y", ["images/y/", "images/"]],
          ["my_Annotations/captions_x.json", "captions", "x", ["images/x/", "images/"]],
        ],
      },
    ];
  for (const row of table) {
    it(`finds the ${row.name} layout in ${row.paths.join(", ")}`, () => {
      const layout = detectLayout(tree("directory", row.paths));
      expect(layout.name).toBe(row.name);
      expect(layout.files.map((f) => [f.file.path, f.task, f.subset, f.imageDirs])).toEqual(row.files);
    });
  }

  it("reads instances and stuff side by side and gives panoptic files their PNG folder", () => {
    const layout = detectLayout(
      tree("zip", [
        "annotations/instances_a.json",
        "annotations/stuff_a.json",
        "annotations/panoptic_a.json",
      ]),
    );
    expect(layout.files.map((f) => [f.task, f.pngDir])).toEqual([
      ["instances", undefined],
      ["panoptic", "annotations/panoptic_a/"],
      ["stuff", undefined],
    ]);
  });

  it("takes a bare file's task and subset from its name, or leaves the task to the content", () => {
    expect(detectLayout(tree("file", ["instances_val2017.json"])).files[0]).toMatchObject({
      task: "instances",
      subset: "val2017",
    });
    const any = detectLayout(tree("file", ["export (3).json"])).files[0];
    expect(any?.task).toBeUndefined();
    expect(any?.subset).toBe("default");
  });
});

describe("importDataset progress and abort", () => {
  it("reports JSON bytes parsed of the total across all annotation files, after the entries listed", async () => {
    const bytes = await zipDirectory(at("coco_dataset/coco"));
    const seen: ProgressEvent[] = [];
    await importDataset(bytes, { mode: "lenient", onProgress: (p) => seen.push(p) });
    expect(seen[0]).toMatchObject({ phase: "unzip", unit: "files" });
    expect(seen[0]?.done).toBe(seen[0]?.total);
    const parse = seen.filter((p) => p.phase === "parse");
    const last = parse.at(-1);
    expect(last?.total).toBeGreaterThan(0);
    expect(last?.done).toBe(last?.total);
    expect(last?.unit).toBe("bytes");
    for (let i = 1; i < parse.length; i++)
      expect((parse[i] as ProgressEvent).done).toBeGreaterThanOrEqual((parse[i - 1] as ProgressEvent).done);
    // The entries are listed first, files are parsed (panoptic PNGs decoded after their file), images matched last.
    const order = seen.map((p) => p.phase).filter((phase, i, all) => phase !== all[i - 1]);
    expect(order[0]).toBe("unzip");
    expect(order.at(-1)).toBe("media");
    expect(new Set(order)).toEqual(new Set(["unzip", "parse", "build", "media"]));
    const build = seen.filter((p) => p.phase === "build");
    expect(build.every((p) => p.unit === "files" && p.total !== undefined)).toBe(true);
  });

  it("throws aborted when the signal fires", async () => {
    const bytes = await zipDirectory(at("coco_dataset/coco_instances"));
    const controller = new AbortController();
    controller.abort();
    await expect(importDataset(bytes, { signal: controller.signal })).rejects.toMatchObject({
      code: "aborted",
    });
    const stopping = new AbortController();
    const run = importDataset(bytes, {
      signal: stopping.signal,
      onProgress: () => stopping.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: "aborted" });
  });
});

/** A one-shot web stream that hands the bytes over in small chunks, as a fetch body would. */
function webStream(bytes: Uint8Array, chunk = 4096): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

describe("importDataset on every browser input kind", () => {
  const kinds: [string, (bytes: Uint8Array, name: string) => DatasetInput][] = [
    ["Uint8Array", (bytes) => bytes],
    ["ArrayBuffer", (bytes) => bytes.slice().buffer],
    ["Blob", (bytes) => new Blob([bytes as BlobPart])],
    ["File", (bytes, name) => new File([bytes as BlobPart], name)],
    ["ReadableStream", (bytes) => webStream(bytes)],
  ];
  const sources: [string, () => Promise<Uint8Array>, string, string][] = [
    ["zip", () => zipDirectory(at("coco_dataset/coco_instances")), "export.zip", "coco"],
    [
      "bare JSON",
      () => readFile(at("coco_dataset/coco_instances/annotations/instances_val.json")),
      "val.json",
      "json",
    ],
  ];
  for (const [kind, wrap] of kinds) {
    for (const [source, load, name, layoutName] of sources) {
      it(`imports a ${source} given as ${kind}, with progress up to the last byte`, async () => {
        const bytes = new Uint8Array(await load());
        const expected = await importDataset(bytes, { mode: "lenient" });
        const seen: ProgressEvent[] = [];
        const result = await importDataset(wrap(bytes, name), {
          mode: "lenient",
          onProgress: (p) => seen.push(p),
        });
        expect(result.layout.name).toBe(layoutName);
        expect(result.dataset.items.map((item) => item.id)).toEqual(
          expected.dataset.items.map((item) => item.id),
        );
        expect(result.dataset.items.length).toBeGreaterThan(0);
        const last = seen.filter((p) => p.phase === "parse").at(-1);
        if (last?.total !== undefined) expect(last.done).toBe(last.total);
        else expect(last?.done).toBe(bytes.length);
        // A streamed zip is buffered first (its length unknown until the end).
        const read = seen.filter((p) => p.phase === "read");
        if (kind === "ReadableStream" && source === "zip") expect(read.at(-1)?.done).toBe(bytes.length);
        else expect(read).toEqual([]);
      });

      it(`throws aborted when the signal fires during the read of a ${source} given as ${kind}`, async () => {
        const bytes = new Uint8Array(await load());
        const stopping = new AbortController();
        const run = importDataset(wrap(bytes, name), {
          signal: stopping.signal,
          onProgress: () => stopping.abort(),
        });
        await expect(run).rejects.toMatchObject({ code: "aborted" });
      });
    }
  }
});

describe("importPath progress and abort", () => {
  const paths: [string, () => Promise<string>, string][] = [
    ["directory", async () => at("coco_dataset/coco_instances"), "coco"],
    [
      "zip file",
      async () => {
        const dir = await mkdtemp(join(tmpdir(), "cocokit-progress-"));
        scratch.push(dir);
        const path = join(dir, "export.zip");
        await writeFile(path, await zipDirectory(at("coco_dataset/coco_instances")));
        return path;
      },
      "coco",
    ],
    ["bare JSON", async () => at("coco_dataset/coco_instances/annotations/instances_val.json"), "json"],
  ];
  for (const [kind, make, layoutName] of paths) {
    it(`reports progress up to the total for a ${kind}`, async () => {
      const seen: ProgressEvent[] = [];
      const { layout } = await importPath(await make(), { mode: "lenient", onProgress: (p) => seen.push(p) });
      expect(layout.name).toBe(layoutName);
      const last = seen.filter((p) => p.phase === "parse").at(-1);
      expect(last?.total).toBeGreaterThan(0);
      expect(last?.done).toBe(last?.total);
    });

    it(`throws aborted for a ${kind} when the signal fires during the read, or before it`, async () => {
      const path = await make();
      const stopping = new AbortController();
      await expect(
        importPath(path, { signal: stopping.signal, onProgress: () => stopping.abort() }),
      ).rejects.toMatchObject({ code: "aborted" });
      await expect(importPath(path, { signal: AbortSignal.abort() })).rejects.toMatchObject({
        code: "aborted",
      });
    });
  }
});

describe("layout reported for real datasets in every container", () => {
  const table: [string, LayoutName][] = [
    ["coco_dataset/coco_instances", "coco"],
    ["coco_dataset/mmdet_coco", "mmdet"],
    ["coco_dataset/coco_roboflow", "roboflow"],
  ];
  for (const [dir, name] of table) {
    it(`reports ${name} for ${dir} as a directory, a zip, and a zip of its folder`, async () => {
      const fromDir = await importPath(at(dir), { mode: "lenient" });
      expect(fromDir.layout).toMatchObject({ name, container: "directory" });
      expect(fromDir.dataset.items.length).toBeGreaterThan(0);
      const fromZip = await importDataset(await zipDirectory(at(dir)), { mode: "lenient" });
      expect(fromZip.layout).toMatchObject({ name, container: "zip" });
      const nested = await importDataset(await zipDirectory(at(dir), "export-1/"), { mode: "lenient" });
      expect(nested.layout).toMatchObject({ name, container: "zip" });
      for (const other of [fromZip, nested])
        expect(other.dataset.items.map((item) => item.id)).toEqual(
          fromDir.dataset.items.map((item) => item.id),
        );
    });
  }

  it("reports json for a bare annotation file of any name, from a path and from bytes", async () => {
    const bytes = await readFile(at("coco_dataset/coco_instances/annotations/instances_val.json"));
    const scratchDir = await mkdtemp(join(tmpdir(), "cocokit-bare-"));
    scratch.push(scratchDir);
    const path = join(scratchDir, "export (3).json");
    await writeFile(path, bytes);
    const fromPath = await importPath(path, { mode: "lenient" });
    expect(fromPath.layout).toMatchObject({ name: "json", container: "file" });
    const fromBytes = await importDataset(new Uint8Array(bytes), { mode: "lenient" });
    expect(fromBytes.layout).toMatchObject({ name: "json", container: "file" });
    expect(fromPath.dataset.items.length).toBeGreaterThan(0);
  });
});

describe("panoptic PNGs in every container", () => {
  const masksOf = (result: Awaited<ReturnType<typeof importPath>>) =>
    result.dataset.items
      .filter((item) => item.subset === "val")
      .flatMap((item) => item.annotations.filter((a) => a.type === "mask").map((a) => [item.id, a.id]));

  it("finds the PNG folder for a directory, a zip and a bare panoptic JSON beside its folder", async () => {
    const dir = at("coco_dataset/coco_panoptic");
    const fromDir = masksOf(await importPath(dir, { mode: "lenient" }));
    expect(fromDir.length).toBeGreaterThan(0);
    const fromZip = masksOf(await importDataset(await zipDirectory(dir), { mode: "lenient" }));
    const fromJson = masksOf(
      await importPath(join(dir, "annotations", "panoptic_val.json"), { mode: "lenient" }),
    );
    expect(fromZip).toEqual(fromDir);
    expect(fromJson).toEqual(fromDir);
  });
});

describe("validateDataset and validatePath", () => {
  it("returns the report with the detected layout, without throwing on invalid data", async () => {
    const bytes = await zipEntries({
      "annotations/instances_default.json": JSON.stringify({
        images: [{ id: 1, file_name: "a.jpg" }],
        annotations: [{ id: 1, image_id: 7, category_id: 1, bbox: [0, 0, 1, 1] }],
        categories: [{ id: 1, name: "a" }],
      }),
    });
    const report = await validateDataset(bytes);
    expect(report.layout).toMatchObject({ name: "coco", container: "zip" });
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => [i.code, i.file, i.pointer])).toContainEqual([
      "unknown_image",
      "annotations/instances_default.json",
      "/annotations/0/image_id",
    ]);
    const fromDisk = await validatePath(at("coco_dataset/mmdet_coco"));
    expect(fromDisk).toMatchObject({ ok: true, layout: { name: "mmdet", container: "directory" } });
  });
});

describe("media matching", () => {
  it("matches by exact path, then without extension, then by base name, and reads missing sizes from headers", async () => {
    const jpeg = await import("node:fs/promises").then((fs) =>
      fs.readFile(at("coco_dataset/coco_instances/images/train/a.jpg")),
    );
    const bytes = await zipEntries({
      "annotations/instances_train.json": JSON.stringify({
        images: [
          { id: 1, file_name: "a.jpg" },
          { id: 2, file_name: "b.png" },
          { id: 3, file_name: "deep/c.jpg" },
          { id: 4, file_name: "d.jpg", width: 99, height: 77 },
        ],
        annotations: [],
        categories: [],
      }),
      "images/train/a.jpg": jpeg,
      "images/train/b.jpg": jpeg,
      "images/elsewhere/c.jpg": jpeg,
      "images/train/d.jpg": jpeg,
      "images/train/unused.jpg": jpeg,
    });
    const { dataset, media, mediaFiles } = await importDataset(bytes);
    expect(media?.matched.map((m) => [m.itemId, m.path, m.strategy])).toEqual([
      [1, "images/train/a.jpg", "exact"],
      [2, "images/train/b.jpg", "stem"],
      [3, "images/elsewhere/c.jpg", "basename"],
      [4, "images/train/d.jpg", "exact"],
    ]);
    expect(media?.unmatched).toEqual(["images/train/unused.jpg"]);
    // Sizes missing from the JSON come from the JPEG's header (10 wide, 5 high); sizes the JSON
    // gives are kept, even when the header disagrees.
    expect(dataset.items.map((i) => [i.image.width, i.image.height])).toEqual([
      [10, 5],
      [10, 5],
      [10, 5],
      [99, 77],
    ]);
    const read = await mediaFiles?.read(dataset.items[0]?.media?.path ?? "");
    expect(read?.length).toBe(jpeg.length);
  });

  it("attaches a standalone images zip to an imported JSON (attachMedia)", async () => {
    const json = new TextEncoder().encode(
      JSON.stringify({
        images: [
          { id: 1, file_name: "a.jpg", width: 1, height: 1 },
          { id: 2, file_name: "zzz.jpg", width: 1, height: 1 },
        ],
        annotations: [],
        categories: [],
      }),
    );
    const { dataset, media } = await importDataset(json, { name: "instances_train.json" });
    expect(media).toBeUndefined();
    const images = await zipEntries({ "train/a.jpg": "x", "other.jpg": "y" });
    const before = structuredClone(dataset);
    const attached = await attachMedia(dataset, new Blob([images as Uint8Array<ArrayBuffer>]), {
      readImageSizes: false,
    });
    expect(attached.media.matched.map((m) => [m.itemId, m.path])).toEqual([[1, "train/a.jpg"]]);
    expect(attached.media.missing).toEqual([{ subset: "train", itemId: 2, fileName: "zzz.jpg" }]);
    expect(attached.media.unmatched).toEqual(["other.jpg"]);
    expect(attached.report.issues.map((i) => [i.code, i.pointer])).toEqual([
      ["missing_image_file", "/images/1/file_name"],
    ]);
    expect(attached.dataset.items[0]?.media?.path).toBe("train/a.jpg");
    expect(new TextDecoder().decode(await attached.mediaFiles.read("train/a.jpg"))).toBe("x");
    // The input dataset is left as it was.
    expect(dataset).toEqual(before);
    expect(dataset.items[0]?.media).toBeUndefined();
  });
});

describe("importPath on a ZIP64 archive", () => {
  it("imports a zip of more than 65,535 entries with zip.js and matches every image", async () => {
    const count = 65_600;
    const images = Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      file_name: `${i}.jpg`,
      width: 1,
      height: 1,
    }));
    const json = JSON.stringify({ images, annotations: [], categories: [{ id: 1, name: "a" }] });
    const pixel = new Uint8Array([0xff]);
    const archive = storedZip([
      { name: "annotations/instances_default.json", data: new TextEncoder().encode(json) },
      ...images.map((image) => ({ name: `images/default/${image.file_name}`, data: pixel })),
    ]);
    const dir = await mkdtemp(join(tmpdir(), "cocokit-zip64-"));
    scratch.push(dir);
    const path = join(dir, "many.zip");
    await writeFile(path, archive);
    const { dataset, layout, media, mediaFiles } = await importPath(path);
    expect(layout).toMatchObject({ name: "coco", container: "zip" });
    expect(dataset.items).toHaveLength(count);
    expect(media?.matched).toHaveLength(count);
    expect(media?.missing).toEqual([]);
    expect(await mediaFiles?.read(dataset.items[count - 1]?.media?.path ?? "")).toEqual(pixel);
  });

  it("reads a ZIP64 archive in memory (zip.js) with the same entries as from a Blob", async () => {
    const entries = Array.from({ length: 65_536 }, (_, i) => ({
      name: `images/default/${i}.jpg`,
      data: new Uint8Array(0),
    }));
    const json = new TextEncoder().encode('{"images":[],"annotations":[],"categories":[]}');
    const archive = storedZip([{ name: "annotations/instances_default.json", data: json }, ...entries]);
    const auto = await importDataset(archive);
    expect(zipEngineOf(await openZip(archive))).toBe("zipjs");
    const blob = await importDataset(new Blob([archive as BlobPart]));
    expect(blob.media?.unmatched).toEqual(auto.media?.unmatched);
    expect(auto.media?.unmatched).toHaveLength(65_536);
  });
});
