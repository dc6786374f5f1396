import { cp, mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isCocokitError } from "../src/errors.js";
import { importPath } from "../src/node/import-path.js";
import { importDataset } from "../src/read/import-dataset.js";
import { withDeclaredSize, zipEntries } from "./zip-fixture.js";
import { ZIP_INPUTS, type ZipInputKind, zipInput } from "./zip-input.js";

const INSTANCES = fileURLToPath(
  new URL(
    "../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset/coco_instances/",
    import.meta.url,
  ),
);

const coco = (images: { id: number; file_name: string }[]) =>
  JSON.stringify({
    images: images.map((i) => ({ ...i, width: 4, height: 4 })),
    annotations: [],
    categories: [{ id: 1, name: "a" }],
  });
const ONE_IMAGE = coco([{ id: 1, file_name: "a.jpg" }]);

async function thrown(
  run: () => Promise<unknown>,
): Promise<{ code: string; file?: string; message: string }> {
  try {
    await run();
  } catch (e) {
    if (!isCocokitError(e)) throw e;
    return { code: e.code, ...(e.file === undefined ? {} : { file: e.file }), message: e.message };
  }
  throw new Error("expected the import to throw");
}

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cocokit-bad-"));
  scratch.push(dir);
  return dir;
}

describe("importDataset on unsafe zip entries", () => {
  // An unsafe entry is reported and never read: its JSON would add image 99 if it were.
  const table = [
    { entry: "../annotations/instances_evil.json" },
    { entry: "/annotations/instances_evil.json" },
    { entry: "C:\\annotations\\instances_evil.json" },
    { entry: "annotations/../../instances_evil.json" },
  ];
  for (const { entry } of table) {
    for (const engine of ZIP_INPUTS) {
      it(`reports unsafe_zip_entry for "${entry}" and never reads it (${engine})`, async () => {
        const bytes = await zipEntries({
          "annotations/instances_default.json": ONE_IMAGE,
          [entry]: coco([{ id: 99, file_name: "evil.jpg" }]),
        });
        const { dataset, report } = await importDataset(zipInput(bytes, engine), { mode: "lenient" });
        expect(dataset.items.map((i) => i.id)).toEqual([1]);
        const issue = report.issues.find((i) => i.code === "unsafe_zip_entry");
        expect(issue).toMatchObject({ severity: "error", file: entry, pointer: "" });
        const strict = await thrown(() => importDataset(zipInput(bytes, engine)));
        expect(strict.code).toBe("validation_failed");
      });
    }
  }
});

describe("importDataset on broken archives", () => {
  // The JSON pass reports a failed read as an issue of that file and goes on with the next one;
  // strict mode then fails with every issue.
  async function limitIssue(bytes: Uint8Array | Blob, zip: Record<string, unknown>) {
    const { report } = await importDataset(bytes, { mode: "lenient", zip });
    const strict = await thrown(() => importDataset(bytes, { zip }));
    expect(strict.code).toBe("validation_failed");
    return report.issues.find((i) => i.code === "zip_limit_exceeded");
  }

  // How far the JSON reader got before the read stopped.
  async function mostBytesRead(bytes: Uint8Array, engine: ZipInputKind): Promise<number> {
    let most = 0;
    await importDataset(zipInput(bytes, engine), {
      mode: "lenient",
      onProgress: (p) => {
        if (p.phase === "parse") most = Math.max(most, p.done);
      },
    });
    return most;
  }

  it("stops a zip bomb while inflating with zip_limit_exceeded (ratio limit, both engines)", async () => {
    // 64 MiB of spaces deflates to about 64 KiB: a ratio near 1000:1, over the default 200:1.
    const bomb = await zipEntries({ "annotations/instances_default.json": " ".repeat(64 * 1024 * 1024) });
    for (const engine of ZIP_INPUTS) {
      const issue = await limitIssue(zipInput(bomb, engine), {});
      expect(issue).toMatchObject({ severity: "error", file: "annotations/instances_default.json" });
      expect(issue?.message).toContain("compression ratio");
      // Stopped while inflating, once past 200 × the ~64 KiB compressed size: the JSON reader
      // sees about 13 of the 64 MiB.
      const most = await mostBytesRead(bomb, engine);
      expect(most).toBeLessThan(16 * 1024 * 1024);
    }
  });

  it("stops a zip bomb whose headers declare a small size as soon as it inflates past it (both engines)", async () => {
    // The headers claim 1,000 bytes; the entry inflates to 8 MiB. Limits judged on declared sizes
    // would let it through; counting inflated bytes stops it within the first chunks.
    const liar = withDeclaredSize(
      await zipEntries({ "annotations/instances_default.json": " ".repeat(8 * 1024 * 1024) }),
      1000,
    );
    for (const engine of ZIP_INPUTS) {
      const issue = await limitIssue(zipInput(liar, engine), { maxRatio: 1e9 });
      expect(issue).toMatchObject({ severity: "error", file: "annotations/instances_default.json" });
      expect(issue?.message).toContain("at most the declared 1000 bytes");
      const most = await mostBytesRead(liar, engine);
      expect(most).toBeLessThan(1024 * 1024);
    }
  });

  it("stops reading past the total uncompressed limit with zip_limit_exceeded", async () => {
    const bytes = await zipEntries({ "annotations/instances_default.json": ONE_IMAGE.padEnd(100_000, " ") });
    for (const engine of ZIP_INPUTS) {
      const issue = await limitIssue(zipInput(bytes, engine), { maxTotalBytes: 50_000 });
      expect(issue).toMatchObject({ severity: "error", file: "annotations/instances_default.json" });
      expect(issue?.message).toContain("at most 50000 uncompressed bytes");
    }
  });

  it("refuses an archive with more entries than maxEntries", async () => {
    const bytes = await zipEntries({ "annotations/instances_default.json": ONE_IMAGE, "images/a.jpg": "x" });
    const error = await thrown(() => importDataset(bytes, { zip: { maxEntries: 1 } }));
    expect(error.code).toBe("zip_limit_exceeded");
  });

  const cases: {
    name: string;
    input: () => Promise<Uint8Array>;
    code: string;
    file: string;
    says?: string[];
  }[] = [
    {
      name: "a truncated zip",
      input: async () =>
        (await zipEntries({ "annotations/instances_default.json": ONE_IMAGE })).subarray(0, 60),
      code: "invalid_zip",
      file: "broken.zip",
    },
    {
      name: "bytes that are not a zip, named .zip",
      input: async () => new TextEncoder().encode("this is not an archive"),
      code: "invalid_zip",
      file: "broken.zip",
    },
    {
      name: "a zip without annotations",
      input: () => zipEntries({ "images/a.jpg": "x", "notes.txt": "x" }),
      code: "annotations_not_found",
      file: "broken.zip",
      says: ["annotations/<task>_<subset>.json", "_annotations.coco.json", "images/a.jpg"],
    },
    {
      name: "a zip whose task file is outside an annotations folder",
      input: () => zipEntries({ "labels/instances_train.json": ONE_IMAGE }),
      code: "annotations_not_found",
      file: "broken.zip",
      says: ["labels/instances_train.json"],
    },
  ];
  for (const c of cases) {
    it(`throws ${c.code} for ${c.name}`, async () => {
      const bytes = await c.input();
      for (const engine of ZIP_INPUTS) {
        const error = await thrown(() => importDataset(zipInput(bytes, engine), { name: "broken.zip" }));
        expect(error).toMatchObject({ code: c.code, file: c.file });
        for (const text of c.says ?? []) expect(error.message).toContain(text);
      }
    });
  }
});

describe("importPath on broken directories", () => {
  it("throws annotations_not_found for an empty directory", async () => {
    const dir = await tempDir();
    const error = await thrown(() => importPath(dir));
    expect(error).toMatchObject({ code: "annotations_not_found", file: dir });
    expect(error.message).toContain("an empty directory");
  });

  it("throws annotations_not_found naming the files found when annotations/ is misnamed", async () => {
    const dir = await tempDir();
    await cp(INSTANCES, dir, { recursive: true });
    await rename(join(dir, "annotations"), join(dir, "labels"));
    const error = await thrown(() => importPath(dir));
    expect(error).toMatchObject({ code: "annotations_not_found", file: dir });
    expect(error.message).toContain("labels/instances_train.json");
    expect(error.message).toContain("annotations/<task>_<subset>.json");
  });

  it("throws input_not_found for a path that does not exist", async () => {
    const dir = await tempDir();
    const error = await thrown(() => importPath(join(dir, "nothing.zip")));
    expect(error.code).toBe("input_not_found");
  });
});

describe("importDataset on bad panoptic PNGs and image names", () => {
  it("reports invalid_png naming the PNG that cannot be decoded", async () => {
    const bytes = await zipEntries({
      "annotations/panoptic_default.json": JSON.stringify({
        images: [{ id: 1, file_name: "a.jpg", width: 2, height: 2 }],
        annotations: [
          { image_id: 1, file_name: "a.png", segments_info: [{ id: 1, category_id: 1, iscrowd: 0 }] },
        ],
        categories: [{ id: 1, name: "a" }],
      }),
      "annotations/panoptic_default/a.png": "not a png",
    });
    const result = await importDataset(bytes, { mode: "lenient" }).catch((e: unknown) => e);
    const found = isCocokitError(result)
      ? { code: result.code, file: result.file }
      : (result as { report: { issues: { code: string; file?: string }[] } }).report.issues.find(
          (i) => i.file === "annotations/panoptic_default/a.png",
        );
    expect(found).toMatchObject({ code: "invalid_png", file: "annotations/panoptic_default/a.png" });
  });

  it("reports ambiguous_image_file listing every candidate and attaches none", async () => {
    const bytes = await zipEntries({
      "annotations/instances_default.json": ONE_IMAGE,
      "images/default/a.png": "x",
      "images/default/a.jpeg": "x",
    });
    const { dataset, report, media } = await importDataset(bytes, { mode: "lenient", readImageSizes: false });
    expect(dataset.items[0]?.media).toBeUndefined();
    expect(media?.ambiguous).toEqual([
      {
        subset: "default",
        itemId: 1,
        fileName: "a.jpg",
        candidates: ["images/default/a.png", "images/default/a.jpeg"],
      },
    ]);
    const issue = report.issues.find((i) => i.code === "ambiguous_image_file");
    expect(issue).toMatchObject({
      severity: "warning",
      file: "annotations/instances_default.json",
      pointer: "/images/0/file_name",
    });
    expect(issue?.message).toContain("images/default/a.jpeg");
  });

  it("reports missing_image_file when the archive has images but not the item's", async () => {
    const bytes = await zipEntries({
      "annotations/instances_default.json": coco([
        { id: 1, file_name: "a.jpg" },
        { id: 2, file_name: "b.jpg" },
      ]),
      "images/default/a.jpg": "x",
    });
    const { report, media } = await importDataset(bytes, { mode: "lenient", readImageSizes: false });
    expect(media?.missing).toEqual([{ subset: "default", itemId: 2, fileName: "b.jpg" }]);
    expect(report.issues.filter((i) => i.code === "missing_image_file")).toMatchObject([
      { severity: "warning", file: "annotations/instances_default.json", pointer: "/images/1/file_name" },
    ]);
    // Warnings never fail a strict import.
    await expect(importDataset(bytes, { readImageSizes: false })).resolves.toBeDefined();
  });
});
