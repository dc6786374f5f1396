import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../src/model/types.js";
import { importPath } from "../src/node/import-path.js";
import { importDataset } from "../src/read/import-dataset.js";
import {
  CAPTIONS,
  type ExpectedDataset,
  IMAGE_INFO,
  INSTANCES,
  LABELS,
  normalized,
  onlySubset,
  PANOPTIC,
  PERSON_KEYPOINTS,
  ROBOFLOW,
  STUFF,
  viewOf,
} from "./conformance-fixtures.js";
import { zipDirectory } from "./zip-fixture.js";
import { ZIP_INPUTS, zipInput } from "./zip-input.js";

const ASSETS = new URL("../../../../shared/conformance/datumaro_coco/tests/assets/", import.meta.url);
const at = (path: string) => fileURLToPath(new URL(path, ASSETS));

interface Case {
  dir: string;
  layout: "coco" | "mmdet" | "roboflow";
  expected: ExpectedDataset;
  /** Annotation files, each with the subset it holds alone. */
  files: Record<string, string>;
}

const task = (name: string) => ({
  [`annotations/${name}_train.json`]: "train",
  [`annotations/${name}_val.json`]: "val",
});

const CASES: Case[] = [
  { dir: "coco_dataset/coco_instances", layout: "coco", expected: INSTANCES, files: task("instances") },
  { dir: "coco_dataset/coco_captions", layout: "coco", expected: CAPTIONS, files: task("captions") },
  { dir: "coco_dataset/coco_labels", layout: "coco", expected: LABELS, files: task("labels") },
  {
    dir: "coco_dataset/coco_person_keypoints",
    layout: "coco",
    expected: PERSON_KEYPOINTS,
    files: task("person_keypoints"),
  },
  { dir: "coco_dataset/coco_image_info", layout: "coco", expected: IMAGE_INFO, files: task("image_info") },
  { dir: "coco_dataset/coco_panoptic", layout: "coco", expected: PANOPTIC, files: task("panoptic") },
  { dir: "coco_dataset/coco_stuff", layout: "coco", expected: STUFF, files: task("stuff") },
  // mmdet and Roboflow hold the same JSON as coco_instances (EXPECTED.md).
  { dir: "coco_dataset/mmdet_coco", layout: "mmdet", expected: INSTANCES, files: task("instances") },
  {
    dir: "coco_dataset/coco_roboflow",
    layout: "roboflow",
    expected: INSTANCES,
    files: { "train/_annotations.coco.json": "default", "val/_annotations.coco.json": "default" },
  },
  {
    dir: "roboflow_dataset/coco",
    layout: "roboflow",
    expected: ROBOFLOW,
    files: { "train/_annotations.coco.json": "default", "val/_annotations.coco.json": "default" },
  },
];

// Functions and paths differ between containers; what was read must not.
function comparable(dataset: Dataset): unknown {
  return JSON.parse(
    JSON.stringify(dataset, (key, value) =>
      key === "media" ? undefined : key === "file" ? String(value).split("/").pop() : value,
    ),
  );
}

describe("importPath on Datumaro's fixtures", () => {
  for (const c of CASES) {
    it(`imports ${c.dir} as the ${c.layout} layout with every image matched`, async () => {
      const { dataset, layout, media, report } = await importPath(at(c.dir));
      expect(layout.name).toBe(c.layout);
      expect(layout.container).toBe("directory");
      expect(viewOf(dataset)).toEqual(normalized(c.expected));
      expect(media?.matched.length).toBe(c.expected.items.length);
      expect(media?.missing).toEqual([]);
      expect(report.issues.filter((i) => i.severity === "error")).toEqual([]);
    });

    for (const [file, subset] of Object.entries(c.files)) {
      it(`imports ${c.dir}/${file} alone as the ${subset === "default" ? "default" : subset} subset`, async () => {
        const { dataset, layout } = await importPath(at(`${c.dir}/${file}`));
        expect(layout).toMatchObject({ name: "json", container: "file" });
        // A Roboflow file alone has no split folder to name its subset: Datumaro's single-file rule
        // gives `default` (spec §2.2).
        const split = file.split("/")[0] as string;
        const want =
          subset === "default"
            ? {
                ...onlySubset(c.expected, split),
                items: onlySubset(c.expected, split).items.map((i) => ({ ...i, subset })),
              }
            : onlySubset(c.expected, subset);
        expect(viewOf(dataset)).toEqual(normalized(want));
      });
    }

    it(`imports ${c.dir} zipped the same with jszip and zip.js as from disk`, async () => {
      const bytes = await zipDirectory(at(c.dir));
      const fromDisk = await importPath(at(c.dir));
      for (const engine of ZIP_INPUTS) {
        const zipped = await importDataset(zipInput(bytes, engine), {
          name: `${c.dir.replace("/", "-")}.zip`,
        });
        expect(zipped.layout).toMatchObject({ name: c.layout, container: "zip" });
        expect(comparable(zipped.dataset)).toEqual(comparable(fromDisk.dataset));
        expect(zipped.media?.matched).toEqual(fromDisk.media?.matched);
      }
    });
  }

  it("reads the same Dataset from bytes, a Blob, a web stream and a file stream for every annotation file", async () => {
    for (const c of CASES) {
      for (const file of Object.keys(c.files)) {
        const path = at(`${c.dir}/${file}`);
        const bytes = new Uint8Array(await readFile(path));
        const name = file.split("/").pop() as string;
        const fromFile = comparable((await importPath(path, { mode: "lenient" })).dataset);
        const inputs = [bytes, bytes.buffer, new Blob([bytes]), new Blob([bytes]).stream()];
        for (const input of inputs) {
          // Panoptic PNGs are beside the file on disk only; in memory there are none to read.
          if (name.startsWith("panoptic")) continue;
          expect(comparable((await importDataset(input, { name, mode: "lenient" })).dataset)).toEqual(
            fromFile,
          );
        }
      }
    }
  });

  // Deliberate deviation (spec datumaro-coco §2.2, quirk 9): Datumaro's combined importer reads only
  // one label task (instances) plus captions and image_info; cocokit reads every task file and
  // unions items by image id, so each item also carries the other tasks' annotations.
  it("reads every task of the combined coco fixture, not only the first label task", async () => {
    const { dataset, layout } = await importPath(at("coco_dataset/coco"));
    expect(layout.name).toBe("coco");
    expect(layout.files).toHaveLength(14);
    const view = viewOf(dataset);
    expect(view.categories).toEqual([
      [1, "a"],
      [2, "b"],
      [4, "c"],
    ]);
    const datumaro = normalized({
      categories: INSTANCES.categories,
      items: INSTANCES.items.map((item, i) => ({
        ...item,
        annotations: [...item.annotations, ...(CAPTIONS.items[i]?.annotations ?? [])],
      })),
    });
    for (const item of datumaro.items) {
      const got = view.items.find((i) => i.subset === item.subset && i.fileName === item.fileName);
      expect(got?.annotations).toEqual(expect.arrayContaining(item.annotations));
    }
    const tasks = new Set(dataset.items.flatMap((i) => i.annotations.map((a) => a.task)));
    expect([...tasks].sort()).toEqual([
      "captions",
      "instances",
      "labels",
      "panoptic",
      "person_keypoints",
      "stuff",
    ]);
  });

  it("keeps the keypoint skeletons of person_keypoints categories as the file writes them", async () => {
    const { dataset } = await importPath(at("coco_dataset/coco_person_keypoints"));
    for (const category of dataset.categories) {
      expect(category.keypoints).toEqual([]);
      expect(category.skeleton).toEqual([
        [0, 1],
        [1, 2],
      ]);
    }
  });

  it("reads Kaggle's relaxed COCO file and matches its images with attachMediaFromPath", async () => {
    const { attachMediaFromPath } = await import("../src/node/import-path.js");
    const { dataset } = await importPath(at("kaggle_dataset/relaxed_coco/annotations.json"));
    const attached = await attachMediaFromPath(dataset, at("kaggle_dataset/relaxed_coco"));
    expect(attached.media.matched.map((m) => m.path).sort()).toEqual(["train_001.jpg", "train_002.jpg"]);
    expect(attached.dataset.items.every((i) => i.media !== undefined)).toBe(true);
    expect(dataset.items.every((i) => i.media === undefined)).toBe(true);
  });
});
