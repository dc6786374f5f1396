import { createReadStream } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ImportBatch, streamDatasetFile } from "../src/core-adapter.js";
import { writeSyntheticCoco } from "./fixtures.js";
import { buildTestApp, createDataset, tempDataDir, waitForJob } from "./helpers.js";

const IMAGES = 3000;
const PER_IMAGE = 2;
// Each synthetic record has a polygon and a box: the model keeps both shapes, one group.
const SHAPES = IMAGES * PER_IMAGE * 2;

async function syntheticFile(): Promise<string> {
  const path = join(await tempDataDir(), "instances_train.json");
  await writeSyntheticCoco(path, IMAGES, PER_IMAGE);
  return path;
}

describe("streamDatasetFile", () => {
  it("yields a file's rows in several batches, never all images at once, annotations after their images", async () => {
    const path = await syntheticFile();
    const kinds: ImportBatch["kind"][] = [];
    const itemBatches: number[] = [];
    const seen = new Set<number>();
    let annotations = 0;
    let records = 0;
    const phases = new Set<string>();
    for await (const batch of streamDatasetFile(path, {
      name: "instances_train.json",
      onProgress: (p) => phases.add(p.phase),
    })) {
      kinds.push(batch.kind);
      if (batch.kind === "items") {
        itemBatches.push(batch.rows.length);
        for (const row of batch.rows) {
          expect(row).toMatchObject({ subset: "train", fileName: `img_${row.imageId}.jpg`, width: 640 });
          seen.add(row.imageId);
        }
      } else if (batch.kind === "annotations") {
        expect(batch.subset).toBe("train");
        for (const record of batch.records) {
          expect(seen.has(record.imageId)).toBe(true);
          annotations += record.annotations.length;
          records++;
        }
      } else if (batch.kind === "end") {
        expect(batch.report).toMatchObject({ ok: true, errorCount: 0 });
        expect(batch.layout).toBe("json");
      }
    }
    expect(kinds[0]).toBe("head");
    expect(kinds.at(-1)).toBe("end");
    // The whole-dataset reader handed over every image in one piece.
    expect(itemBatches.length).toBeGreaterThan(1);
    expect(Math.max(...itemBatches)).toBeLessThan(IMAGES);
    expect(seen.size).toBe(IMAGES);
    expect(records).toBe(IMAGES * PER_IMAGE);
    expect(annotations).toBe(SHAPES);
    // The records pass reports as `store`: its rows are stored as they are parsed.
    expect(phases.has("parse")).toBe(false);
  });
});

describe("streamed import", () => {
  it("attaches every annotation to its image across batches, in replace and append mode", async () => {
    const { app } = await buildTestApp({ workers: 1 });
    const id = await createDataset(app);
    const path = await syntheticFile();
    const send = async (filename: string, mode: string) => {
      const response = await app.inject({
        method: "POST",
        url: `/api/datasets/${id}/import?filename=${filename}&mode=${mode}`,
        headers: { "content-type": "application/json" },
        payload: createReadStream(path),
      });
      expect(response.statusCode).toBe(202);
      const job = await waitForJob(app, response.json().id, ["finished", "failed", "cancelled"], 30_000);
      const result = (await app.inject({ url: `/api/jobs/${job.id}/result` })).json();
      const issues = (await app.inject({ url: `/api/jobs/${job.id}/issues?limit=1` })).json();
      return { ...job, result, issues };
    };
    const first = await send("instances_train.json", "replace");
    expect(first).toMatchObject({
      status: "finished",
      result: { images: IMAGES, annotations: SHAPES, categories: 1 },
      // The report's warnings keep their pointers and name the file as the user sent it.
      issues: {
        count: IMAGES * PER_IMAGE,
        results: [{ code: "area_mismatch", file: "instances_train.json", pointer: "/annotations/0/area" }],
      },
    });
    // The same images under another subset: new rows, their own annotations.
    expect(await send("instances_val.json", "append")).toMatchObject({ status: "finished" });
    const dataset = (await app.inject({ url: `/api/datasets/${id}` })).json();
    expect(dataset).toMatchObject({ images_count: 2 * IMAGES, annotations_count: 2 * SHAPES });
    const page = (
      await app.inject({ url: `/api/datasets/${id}/items?subset=val&offset=2999&limit=1` })
    ).json();
    expect(page.results[0]).toMatchObject({ subset: "val", image_id: IMAGES });
    // Image 3000's records are the file's last two (ids 5999 and 6000), each a box and a polygon.
    expect(page.results[0].annotations.map((a: { id: number; type: string }) => `${a.id} ${a.type}`)).toEqual(
      ["5999 bbox", "5999 polygon", "6000 bbox", "6000 polygon"],
    );
    // Appending a subset again fails on its first image id and keeps the dataset as it was.
    expect(await send("instances_val.json", "append")).toMatchObject({
      status: "failed",
      error_code: "duplicate_image_id",
    });
    expect((await app.inject({ url: `/api/datasets/${id}` })).json()).toMatchObject({
      images_count: 2 * IMAGES,
    });
  });
});
