import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decode } from "@cocokit/rle";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "../src/model/types.js";
import { exportToPath } from "../src/node/export-to-path.js";
import { importPath } from "../src/node/import-path.js";

const coco = fileURLToPath(
  new URL("../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset/", import.meta.url),
);

// Every fixture directory in the CVAT/Datumaro layout, one per task, plus the combined one with
// every task in two subsets (panoptic with its PNG folders).
const FIXTURES = [
  "coco",
  "coco_captions",
  "coco_image_info",
  "coco_instances",
  "coco_labels",
  "coco_panoptic",
  "coco_person_keypoints",
  "coco_stuff",
] as const;

const ALL_TASKS = [
  "instances",
  "person_keypoints",
  "captions",
  "labels",
  "stuff",
  "panoptic",
  "image_info",
] as const;

/**
 * A dataset as plain JSON, without what an export changes by design: `source` (where each object
 * was read from) and `media` (the images found beside the files, which these exports don't copy).
 * Masks compare as their decoded pixels, so any RLE of the same mask is equal.
 */
function comparable(dataset: Dataset): unknown {
  return JSON.parse(
    JSON.stringify(dataset, (key, value) => {
      if (key === "source" || key === "media") return undefined;
      if (key === "rle")
        return { height: value.height, width: value.width, pixels: Array.from(decode(value)) };
      return value;
    }),
  );
}

async function jsonFilesOf(dir: string): Promise<string[]> {
  return (await readdir(join(dir, "annotations"))).filter((n) => n.endsWith(".json")).sort();
}

async function parsed(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, "utf8"));
}

describe("import → export → import of the conformance fixtures (importPath, exportToPath)", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "cocokit-round-trip-fixtures-"));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it.each(
    FIXTURES,
  )("gives the same Dataset and the same JSON files (key order aside) for %s", async (name) => {
    const source = join(coco, name);
    const first = await importPath(source);
    expect(first.report.errorCount).toBe(0);
    const target = join(out, name);
    // The model does not record which task files without annotations (image_info) the source had,
    // so the combined directory asks for every task; the single-task ones use the defaults.
    await exportToPath(first.dataset, target, name === "coco" ? { tasks: ALL_TASKS } : {});
    // The same annotation files, each equal as JSON to the one read. The combined directory's
    // files list different categories (and category fields), which the model keeps as one list:
    // every file gets it all, so only their ids and names are compared there.
    expect(await jsonFilesOf(target)).toEqual(await jsonFilesOf(source));
    for (const file of await jsonFilesOf(source)) {
      const written = (await parsed(join(target, "annotations", file))) as Record<string, unknown>;
      const read = (await parsed(join(source, "annotations", file))) as Record<string, unknown>;
      if (name === "coco" && written.categories !== undefined && read.categories !== undefined) {
        const named = (list: unknown) => (list as { id: number; name: string }[]).map((c) => [c.id, c.name]);
        expect(named(written.categories)).toEqual(expect.arrayContaining(named(read.categories)));
        delete written.categories;
        delete read.categories;
      }
      expect(written).toEqual(read);
    }
    const again = await importPath(target);
    expect(again.report.errorCount).toBe(0);
    expect(comparable(again.dataset)).toEqual(comparable(first.dataset));
  });

  it("saves the media with saveMedia, byte for byte, where a re-import finds it again", async () => {
    const first = await importPath(join(coco, "coco_instances"));
    const target = join(out, "with-media.zip");
    const media = first.mediaFiles;
    await exportToPath(first.dataset, target, { saveMedia: true, ...(media ? { media } : {}) });
    const again = await importPath(target);
    expect(comparable(again.dataset)).toEqual(comparable(first.dataset));
    for (const [i, item] of again.dataset.items.entries()) {
      const before = first.dataset.items[i]?.media;
      expect(item.media?.path).toBe(`images/${item.subset}/${item.image.fileName}`);
      expect(before).toBeDefined();
      expect(await again.mediaFiles?.read(item.media?.path ?? "")).toEqual(
        await first.mediaFiles?.read(before?.path ?? ""),
      );
    }
  });

  it("gives the same Dataset through a deflated zip and through a stored zip", async () => {
    const first = await importPath(join(coco, "coco"));
    for (const compression of ["deflate", "store"] as const) {
      const zip = join(out, `coco-${compression}.zip`);
      await exportToPath(first.dataset, zip, { compression });
      const again = await importPath(zip);
      expect(comparable(again.dataset)).toEqual(comparable(first.dataset));
    }
  });
});
