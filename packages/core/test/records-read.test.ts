import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../src/model/types.js";
import type { ProgressEvent } from "../src/progress/progress.js";
import { importDataset } from "../src/read/import-dataset.js";
import { readCocoRecords } from "../src/records/read-records.js";
import { ASSETS, fixtureJsonFiles } from "./fixture-files.js";
import { gather, issueKeys } from "./records-support.js";
import { zipDirectory } from "./zip-fixture.js";

const JSON_FILES = await fixtureJsonFiles();

// The same Dataset, with annotations in the order each item got them. Groups are renumbered per
// item in order of first use: the importer gives a record whose category never comes a group
// before dropping it, the reader (which knows every category by then) none.
const plain = (d: Dataset) => {
  const out = JSON.parse(JSON.stringify(d));
  for (const item of out.items) {
    const groups = new Map<number, number>();
    for (const a of item.annotations) {
      if (!groups.has(a.group)) groups.set(a.group, groups.size + 1);
      a.group = groups.get(a.group);
    }
  }
  return out;
};

describe("readCocoRecords gives what importDataset gives", () => {
  it.each(JSON_FILES)("for %s", async (path) => {
    const bytes = new Uint8Array(await readFile(join(ASSETS, path)));
    const name = path.split("/").pop() as string;
    const expected = await importDataset(bytes, { name, mode: "lenient" });
    const got = await gather(readCocoRecords(bytes, { name, mode: "lenient" }));
    expect(plain(got.dataset)).toEqual(plain(expected.dataset));
    expect(issueKeys(got.report)).toEqual(issueKeys(expected.report));
    expect(got.report.skipped).toBe(expected.report.skipped);
  });

  it.each([
    "coco",
    "coco_instances",
    "coco_person_keypoints",
    "coco_captions",
    "coco_panoptic",
  ])("for the zip of %s, one task file at a time", async (name) => {
    const zip = await zipDirectory(join(ASSETS, "coco_dataset", name));
    const expected = await importDataset(zip, { mode: "lenient", media: false });
    const got = await gather(readCocoRecords(zip, { mode: "lenient" }));
    // Media is matched by importDataset only; records carry none.
    expect(plain(got.dataset)).toEqual(plain(expected.dataset));
    expect(issueKeys(got.report)).toEqual(issueKeys(expected.report));
  });
});

const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
const image = (id: number) => ({ id, file_name: `${id}.jpg`, width: 10, height: 10 });
const box = (id: number, image_id: number, category_id: number, extra: object = {}) => ({
  id,
  image_id,
  category_id,
  bbox: [1, 1, 2, 2],
  area: 4,
  iscrowd: 0,
  ...extra,
});
const cats = [
  { id: 1, name: "a" },
  { id: 2, name: "b" },
];

// Files whose problems or member order take the reader off its usual path; each must give the
// importer's records and issues.
const BAD: Record<string, string | object> = {
  "categories last (COCO's own order)": { images: [image(1)], annotations: [box(1, 1, 2)], categories: cats },
  "annotations before images": {
    categories: cats,
    annotations: [box(1, 2, 1), box(2, 1, 2)],
    images: [image(1), image(2)],
  },
  "unknown image and category": {
    images: [image(1)],
    annotations: [box(1, 9, 1), box(2, 1, 7), box(3, 1, 1)],
    categories: cats,
  },
  "a labelled file without categories": { images: [image(1)], annotations: [box(1, 1, 1), { id: 2 }] },
  "annotations without images": { categories: cats, annotations: [box(1, 1, 1), 5] },
  "duplicate ids and names": {
    images: [image(1), image(1)],
    categories: [...cats, { id: 2, name: "c" }, { id: 3, name: "a" }],
    annotations: [box(1, 1, 1), box(1, 1, 2), box(2, 1, 1, { bbox: [1, 2] })],
  },
  "duplicate keys in records": `{"images":[{"id":1,"id":2,"file_name":"a.jpg"},${JSON.stringify(image(3))}],"categories":[{"id":1,"name":"a","name":"b"}],"annotations":[${JSON.stringify(box(1, 3, 1))}]}`,
  "keypoints of the wrong length": {
    images: [image(1)],
    annotations: [{ ...box(1, 1, 1), keypoints: [1, 1, 2], num_keypoints: 1 }],
    categories: [{ id: 1, name: "p", keypoints: ["a", "b"], skeleton: [] }],
  },
  "truncated JSON": `{"categories":[{"id":1,"name":"a"}],"images":[${JSON.stringify(image(1))}],"annotations":[${JSON.stringify(box(1, 1, 1))},{"id":`,
  "not COCO": { hello: 1 },
  "file-level fields": {
    info: { year: 1 },
    licenses: "",
    other: [1, 2],
    images: [],
    annotations: [],
    categories: [],
  },
};

describe("readCocoRecords on bad input gives the importer's issues", () => {
  it.each(Object.keys(BAD))("%s", async (title) => {
    const bytes = enc(BAD[title]);
    const name = "instances_default.json";
    const expected = await importDataset(bytes, { name, mode: "lenient" }).catch((e: Error) => e);
    const got = await gather(readCocoRecords(bytes, { name, mode: "lenient" })).catch((e: Error) => e);
    if (expected instanceof Error) {
      expect(got).toBeInstanceOf(Error);
      expect((got as Error).message).toBe(expected.message);
      return;
    }
    if (got instanceof Error) throw got;
    expect(plain(got.dataset)).toEqual(plain(expected.dataset));
    expect(issueKeys(got.report)).toEqual(issueKeys(expected.report));
    expect(got.report.skipped).toBe(expected.report.skipped);
  });

  it("throws validation_failed after the end batch in strict mode", async () => {
    const batches: string[] = [];
    const run = async () => {
      for await (const b of readCocoRecords(enc(BAD["unknown image and category"]), { name: "a.json" }))
        batches.push(b.kind);
    };
    await expect(run()).rejects.toMatchObject({ code: "validation_failed" });
    expect(batches.at(-1)).toBe("end");
  });

  it("reads a one-shot stream", async () => {
    const bytes = await readFile(
      join(ASSETS, "coco_dataset/coco_instances/annotations/instances_train.json"),
    );
    async function* once() {
      yield new Uint8Array(bytes);
    }
    const got = await gather(readCocoRecords(once(), { name: "instances_train.json" }));
    const expected = await importDataset(new Uint8Array(bytes), { name: "instances_train.json" });
    expect(plain(got.dataset)).toEqual(plain(expected.dataset));
  });
});

describe("readCocoRecords progress", () => {
  it("counts the bytes of the records pass up to the input's size", async () => {
    const bytes = await readFile(
      join(ASSETS, "coco_dataset/coco_instances/annotations/instances_train.json"),
    );
    const seen: ProgressEvent[] = [];
    for await (const _ of readCocoRecords(new Uint8Array(bytes), {
      name: "instances_train.json",
      onProgress: (p) => seen.push(p),
    }));
    expect(seen.at(-1)).toMatchObject({ phase: "parse", done: bytes.length, total: bytes.length });
  });
});

describe("readCocoRecords input", () => {
  it("refuses an input of the wrong kind (a path string) as importDataset does", async () => {
    const wrong = "instances_val.json" as unknown as Uint8Array;
    const read = async () => {
      for await (const _ of readCocoRecords(wrong));
    };
    await expect(importDataset(wrong)).rejects.toMatchObject({ code: "unsupported_input" });
    await expect(read()).rejects.toMatchObject({ code: "unsupported_input" });
  });
});
