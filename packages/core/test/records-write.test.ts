import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportDataset } from "../src/export/export-dataset.js";
import type { Dataset } from "../src/model/types.js";
import { importDataset } from "../src/read/import-dataset.js";
import {
  type RecordsExportResult,
  recordsJson,
  recordsZip,
  recordTaskFiles,
} from "../src/records/export-records.js";
import { readCocoRecords } from "../src/records/read-records.js";
import { writeTaskFile } from "../src/records/write-task-file.js";
import { openZip } from "../src/zip/read-zip.js";
import { ASSETS, fixtureJsonFiles } from "./fixture-files.js";
import { zipDirectory } from "./zip-fixture.js";

const JSON_FILES = (await fixtureJsonFiles()).filter((p) => !p.split("/").pop()?.startsWith("panoptic"));

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts).toString("utf8");
}

/** Each JSON file `exportDataset` writes for a dataset, by path. */
async function exported(dataset: Dataset): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of exportDataset(dataset).files) out[f.path] = await text(f.open());
  return out;
}

describe("the records writer gives exportDataset's bytes", () => {
  it.each(JSON_FILES)("for %s", async (path) => {
    const bytes = new Uint8Array(await readFile(join(ASSETS, path)));
    const name = path.split("/").pop() as string;
    const { dataset } = await importDataset(bytes, { name, mode: "lenient" });
    const expected = await exported(dataset);
    const result: RecordsExportResult = { images: 0, annotations: 0, files: [] };
    const got: Record<string, string> = {};
    for await (const file of recordTaskFiles(readCocoRecords(bytes, { name, mode: "lenient" }), {}, result))
      got[file.path] = await text(file.open());
    expect(got).toEqual(expected);
    expect(result.images).toBe(dataset.items.length);
    expect(result.report?.errorCount).toBe(0);
  });

  it.each([
    "coco_instances",
    "coco_person_keypoints",
    "coco_captions",
    "coco_labels",
    "coco_stuff",
  ])("for the zip of %s, entry by entry", async (name) => {
    const zip = await zipDirectory(join(ASSETS, "coco_dataset", name));
    const { dataset } = await importDataset(zip, { media: false });
    const expected = await exported(dataset);
    const parts: Uint8Array[] = [];
    for await (const c of recordsZip(readCocoRecords(zip))) parts.push(c);
    const archive = await openZip(new Uint8Array(Buffer.concat(parts)));
    const got: Record<string, string> = {};
    for (const entry of archive.entries) got[entry.path] = await text(archive.open(entry));
    expect(got).toEqual(expected);
  });

  it("writes one file as JSON, and refuses a second", async () => {
    const one = await zipDirectory(join(ASSETS, "coco_dataset", "coco_instances"));
    await expect(text(recordsJson(readCocoRecords(one)))).rejects.toMatchObject({ code: "export_ambiguous" });
    const path = "coco_dataset/coco_instances/annotations/instances_train.json";
    const bytes = new Uint8Array(await readFile(join(ASSETS, path)));
    const { dataset } = await importDataset(bytes, { name: "instances_train.json" });
    const json = await text(recordsJson(readCocoRecords(bytes, { name: "instances_train.json" })));
    expect(json).toBe(Object.values(await exported(dataset))[0]);
  });
});

describe("writeTaskFile, item by item", () => {
  const dataset: Dataset = {
    categories: [{ id: 1, name: "cat" }],
    items: [
      {
        id: 7,
        subset: "train",
        image: { fileName: "a.jpg", width: 20, height: 10 },
        attributes: {},
        annotations: [
          // One object of two shapes: CVAT's rules merge them (the polygon is larger and leads).
          { type: "bbox", id: 3, group: 1, categoryId: 1, attributes: {}, bbox: [0, 0, 2, 2] },
          { type: "polygon", id: 4, group: 1, categoryId: 1, attributes: {}, points: [0, 0, 8, 0, 8, 8] },
          {
            type: "bbox",
            id: 5,
            group: 0,
            categoryId: 1,
            attributes: { is_crowd: true },
            bbox: [1, 1, 3, 3],
          },
        ],
      },
    ],
  };

  it("applies the group and crowd rules as exportDataset does", async () => {
    const expected = Object.values(await exported(dataset))[0];
    const head = {
      task: "instances" as const,
      subset: "train",
      categories: dataset.categories,
      sourceFiles: [],
    };
    const items = dataset.items;
    const got = await text(
      writeTaskFile(head, [items], [items.map((i) => ({ imageId: i.id, annotations: i.annotations }))]),
    );
    expect(got).toBe(expected);
  });

  it("refuses new annotations without ids, which need the whole file", async () => {
    const head = {
      task: "instances" as const,
      subset: "train",
      categories: dataset.categories,
      sourceFiles: [],
    };
    const item = dataset.items[0] as Dataset["items"][number];
    const annotations = [
      {
        type: "bbox" as const,
        id: 0,
        group: 0,
        categoryId: 1,
        attributes: {},
        bbox: [0, 0, 1, 1] as [number, number, number, number],
      },
    ];
    await expect(text(writeTaskFile(head, [[item]], [[{ imageId: 7, annotations }]]))).rejects.toMatchObject({
      code: "export_failed",
    });
  });

  it("checks an edited annotation as exportDataset does", async () => {
    const head = {
      task: "instances" as const,
      subset: "train",
      categories: dataset.categories,
      sourceFiles: [],
    };
    const item = dataset.items[0] as Dataset["items"][number];
    const annotations = [
      {
        type: "bbox" as const,
        id: 9,
        group: 0,
        categoryId: 5,
        attributes: {},
        bbox: [0, 0, 1, 1] as [number, number, number, number],
      },
    ];
    await expect(text(writeTaskFile(head, [[item]], [[{ imageId: 7, annotations }]]))).rejects.toMatchObject({
      code: "export_failed",
      issues: [expect.objectContaining({ code: "export_unknown_category" })],
    });
  });
});

describe("recordTaskFiles stopped early", () => {
  it("ends its input, so a reader stopped half way frees what it holds", async () => {
    const bytes = new Uint8Array(
      await readFile(join(ASSETS, JSON_FILES.find((p) => p.includes("instances")) as string)),
    );
    let closed = false;
    async function* tracked() {
      try {
        yield* readCocoRecords(bytes, { name: "instances_train.json", mode: "lenient" });
      } finally {
        closed = true;
      }
    }
    for await (const file of recordTaskFiles(tracked())) {
      expect(file.path).toMatch(/^annotations\//);
      break;
    }
    expect(closed).toBe(true);
  });
});
