import { mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { type Kysely, sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { ExportParams } from "../src/core-adapter.js";
import { planStreamedExport, writeStreamedZip } from "../src/core-export.js";
import { isPostgres } from "../src/db/dialect.js";
import { wholeDatasetZip } from "../src/jobs/processors/export-coco.js";
import { createDatasetsRepository } from "../src/repositories/datasets-repository.js";
import { createExportRows } from "../src/repositories/export-rows.js";
import { writeSyntheticCoco } from "./fixtures.js";
import { buildTestApp, CORPUS, createDataset, importBytes, openTestDatabase } from "./helpers.js";

const ASSETS = fileURLToPath(
  new URL("../../../../shared/conformance/datumaro_coco/tests/assets/coco_dataset/", import.meta.url),
);

/** A fixture's COCO files: its JSON, and the PNGs of panoptic annotations (no images). */
async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter(
      (e) =>
        e.isFile() &&
        (e.name.endsWith(".json") || (e.name.endsWith(".png") && e.parentPath.includes("panoptic"))),
    )
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A fixture as the server takes it: its one JSON as is, or its JSON files zipped with their paths. */
async function upload(dir: string): Promise<{ body: Buffer; filename: string; contentType: string }> {
  const files = await jsonFiles(dir);
  if (files.length === 1 && (files[0] as string).endsWith(".json")) {
    const file = files[0] as string;
    return { body: await readFile(file), filename: relative(dir, file), contentType: "application/json" };
  }
  const zip = new JSZip();
  for (const file of files) zip.file(relative(dir, file), await readFile(file));
  return {
    body: await zip.generateAsync({ type: "nodebuffer" }),
    filename: "fixture.zip",
    contentType: "application/zip",
  };
}

async function entries(path: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(await readFile(path));
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name] as JSZip.JSZipObject;
    if (!entry.dir) out[name] = await entry.async("string");
  }
  return out;
}

/** Imports a fixture, then exports it both ways: the streamed zip and the whole-dataset zip. */
async function bothExports(
  dir: string | ((app: FastifyInstance, id: number, data: string) => Promise<void>),
  params: ExportParams,
) {
  const { app, data } = await buildTestApp();
  const id = await createDataset(app);
  if (typeof dir === "function") await dir(app, id, data);
  else {
    const { body, filename, contentType } = await upload(dir);
    const job = await importBytes(app, id, body, { filename, contentType });
    expect(job.status, JSON.stringify(job)).toBe("finished");
  }
  const db = await openTestDatabase(data);
  try {
    const rows = createExportRows(db, id);
    const plan = await planStreamedExport(rows, params);
    const streamed = join(data, "streamed.zip");
    const whole = join(data, "whole.zip");
    if (plan.streamed) await writeStreamedZip(rows, plan, streamed, params);
    const context = {
      job: { dataset_id: id },
      datasets: createDatasetsRepository(db),
      signal: new AbortController().signal,
      progress: () => {},
    } as unknown as Parameters<typeof wholeDatasetZip>[0];
    await wholeDatasetZip(context, whole, params);
    return {
      plan,
      streamed: plan.streamed ? await entries(streamed) : undefined,
      whole: await entries(whole),
    };
  } finally {
    await db.destroy();
  }
}

const CONFORMANCE = [
  "coco_instances",
  "coco_person_keypoints",
  "coco_captions",
  "coco_labels",
  "coco_image_info",
  "coco_stuff",
  "mmdet_coco",
];
const CORPUS_DIRS = [
  "coco2017-subset",
  "obj365-unsorted",
  "cvat-export",
  "lvis-v1",
  "wholebody-extra-fields",
  "ochuman-rle-keypoints",
  "sahi-area",
];

describe("streamed export", () => {
  it.each([
    ...CONFORMANCE.map((name) => join(ASSETS, name)),
    ...CORPUS_DIRS.map((name) => join(CORPUS, name)),
  ])("writes what the whole-dataset export writes, entry for entry and byte for byte: %s", async (dir) => {
    const { plan, streamed, whole } = await bothExports(dir, {});
    expect(plan).toMatchObject({ streamed: true });
    expect(Object.keys(whole).length).toBeGreaterThan(0);
    expect(streamed).toEqual(whole);
  });

  it.each<[string, ExportParams]>([
    ["tasks", { tasks: ["instances", "captions"] }],
    ["subsets", { subsets: ["val2017"] }],
    ["segmentation_mode", { segmentation_mode: "polygons" }],
    ["all three", { tasks: ["person_keypoints"], subsets: ["val2017"], segmentation_mode: "mask" }],
  ])("keeps %s as the whole-dataset export does", async (_name, params) => {
    const { plan, streamed, whole } = await bothExports(join(CORPUS, "coco2017-subset"), params);
    expect(plan).toMatchObject({ streamed: true });
    expect(streamed).toEqual(whole);
  });

  it("writes a source's order when it is not the rows' order (one file name appended twice)", async () => {
    const part = (first: number) =>
      JSON.stringify({
        categories: [{ id: 1, name: "a", supercategory: "" }],
        images: [first, first + 1].map((id) => ({ id, file_name: `${id}.jpg`, width: 8, height: 8 })),
        annotations: [0, 1, 2, 3].map((k) => ({
          id: first * 10 + k,
          image_id: first + (k % 2),
          category_id: 1,
          bbox: [0, 0, 2, 2],
          area: 4,
          iscrowd: 0,
          segmentation: [[0, 0, 2, 0, 2, 2]],
        })),
      });
    const { plan, streamed, whole } = await bothExports(async (app, id) => {
      for (const [first, mode] of [
        [1, "replace"],
        [3, "append"],
      ] as const) {
        const job = await importBytes(app, id, part(first), { filename: "instances_val.json", mode });
        expect(job.status, JSON.stringify(job)).toBe("finished");
      }
    }, {});
    expect(plan).toMatchObject({ streamed: true });
    expect(streamed).toEqual(whole);
    // Both files' first annotations lead: the source's order, not the rows'.
    const ids = JSON.parse(whole["annotations/instances_val.json"] as string).annotations.map(
      (a: { id: number }) => a.id,
    );
    expect(ids.slice(0, 2)).toEqual([10, 30]);
  });

  it.each<[string, string[], boolean, string]>([
    ["without a task", ["task"], true, "instances_val2017.json"],
    ["without a task or a source", ["task", "source"], true, "instances_val2017.json"],
    ["without a task, of several task files", ["task"], false, "coco.zip"],
  ])("writes annotations made %s as the whole-dataset export does", async (_name, members, streams, input) => {
    const dir = join(CORPUS, "coco2017-subset");
    const { plan, streamed, whole } = await bothExports(async (app, id, data) => {
      const upload = input.endsWith(".zip")
        ? await (async () => {
            const zip = new JSZip();
            for (const name of ["instances_val2017.json", "person_keypoints_val2017.json"])
              zip.file(`annotations/${name}`, await readFile(join(dir, "annotations", name)));
            return { body: await zip.generateAsync({ type: "nodebuffer" }), contentType: "application/zip" };
          })()
        : { body: await readFile(join(dir, "annotations", input)), contentType: "application/json" };
      const job = await importBytes(app, id, upload.body, {
        filename: input,
        contentType: upload.contentType,
      });
      expect(job.status, JSON.stringify(job)).toBe("finished");
      // As an editor would store them: no task file (and no source record) of their own.
      const db = await openTestDatabase(data);
      const removed = isPostgres(db as Kysely<unknown>)
        ? sql.raw(`(data_json::jsonb ${members.map((m) => `- '${m}'`).join(" ")})::text`)
        : sql.raw(`json_remove(data_json, ${members.map((m) => `'$.${m}'`).join(", ")})`);
      await sql`update annotations set data_json = ${removed}`.execute(db);
      await db.destroy();
    }, {});
    expect(plan.streamed).toBe(streams);
    if (streams) expect(streamed).toEqual(whole);
    else expect(plan).toMatchObject({ reason: expect.stringContaining("several task files") });
  });

  it("streams every task file but panoptic of a dataset of every task", async () => {
    const tasks = ["instances", "person_keypoints", "captions", "labels", "image_info", "stuff"];
    const { plan, streamed, whole } = await bothExports(join(CORPUS, "datumaro-all-tasks"), { tasks });
    expect(plan).toMatchObject({ streamed: true });
    expect(streamed).toEqual(whole);
  });

  it.each<[string, string, ExportParams, string]>([
    ["reindex", join(CORPUS, "coco2017-subset"), { reindex: true }, "reindex"],
    ["save_images", join(CORPUS, "coco2017-subset"), { save_images: true }, "save_images"],
    ["id 0 annotations", join(CORPUS, "roboflow-zero-ids"), {}, "id 0"],
    ["panoptic", join(ASSETS, "coco_panoptic"), {}, "panoptic"],
  ])("falls back to the whole dataset for %s, saying why", async (_name, dir, params, reason) => {
    const { plan } = await bothExports(dir, params);
    expect(plan).toMatchObject({ streamed: false, reason: expect.stringContaining(reason) });
  });
});

describe("streamed export, cancelled", () => {
  it("stops when its signal fires and leaves nothing in the results folder", async () => {
    const { app, data } = await buildTestApp();
    const id = await createDataset(app);
    const file = join(data, "instances_big.json");
    await writeSyntheticCoco(file, 3000, 10);
    const job = await importBytes(app, id, await readFile(file), { filename: "instances_big.json" });
    expect(job.status).toBe("finished");
    const db = await openTestDatabase(data);
    try {
      const rows = createExportRows(db, id);
      const plan = await planStreamedExport(rows, {});
      if (!plan.streamed) throw new Error(plan.reason);
      const controller = new AbortController();
      const results = join(data, "results");
      await mkdir(results, { recursive: true });
      const written = writeStreamedZip(
        rows,
        plan,
        join(results, "job-1.zip"),
        {},
        {
          signal: controller.signal,
          // Cancelled once the first images are written: the zip is under way.
          onProgress: (p) => {
            if (p.done > 0) controller.abort();
          },
        },
      );
      await expect(written).rejects.toMatchObject({ name: expect.stringMatching(/Abort|CocokitError/) });
      expect(await readdir(results)).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

describe("streamed export, progress", () => {
  it("counts every row read, images then annotations, up to its total", async () => {
    const { app, data } = await buildTestApp();
    const id = await createDataset(app);
    const file = join(data, "instances_small.json");
    await writeSyntheticCoco(file, 1200, 3);
    expect(
      (await importBytes(app, id, await readFile(file), { filename: "instances_small.json" })).status,
    ).toBe("finished");
    const db = await openTestDatabase(data);
    try {
      const rows = createExportRows(db, id);
      const plan = await planStreamedExport(rows, {});
      if (!plan.streamed) throw new Error(plan.reason);
      const events: { done: number; total?: number }[] = [];
      await writeStreamedZip(rows, plan, join(data, "x.zip"), {}, { onProgress: (p) => events.push(p) });
      // 1,200 images, and 3 annotations each stored as a box and a polygon.
      expect(events.every((e) => e.total === 1200 + 1200 * 3 * 2)).toBe(true);
      expect(events.at(-1)?.done).toBe(events.at(-1)?.total);
      expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
      // Reported as it goes, not only at the ends.
      expect(events.filter((e) => e.done > 1200 && e.done < (e.total as number)).length).toBeGreaterThan(0);
    } finally {
      await db.destroy();
    }
  });
});
