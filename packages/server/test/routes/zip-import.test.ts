import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { buildTestApp, CORPUS, createDataset, importBytes } from "../helpers.js";

async function zipOf(entries: { path: string; bytes: Uint8Array }[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const e of entries) zip.file(e.path, e.bytes);
  return zip.generateAsync({ type: "nodebuffer" });
}

describe("POST /api/datasets/{id}/import with a zip", () => {
  it("imports every task file of a CVAT/Datumaro zip (application/zip)", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "coco", preset: "coco-80" });
    const dir = join(CORPUS, "coco2017-subset", "annotations");
    const names = ["instances_val2017.json", "person_keypoints_val2017.json", "captions_val2017.json"];
    const zip = await zipOf(
      await Promise.all(
        names.map(async (name) => ({ path: `annotations/${name}`, bytes: await readFile(join(dir, name)) })),
      ),
    );
    const job = await importBytes(app, id, zip, { filename: "coco.zip", contentType: "application/zip" });
    expect(job.status).toBe("finished");
    const result = (await app.inject({ url: `/api/jobs/${job.id}/result` })).json();
    expect(result.layout).toBeTruthy();
    const items = (await app.inject({ url: `/api/datasets/${id}/items?limit=1000` })).json();
    const types = new Set(
      items.results.flatMap((i: { annotations: { type: string }[] }) => i.annotations.map((a) => a.type)),
    );
    expect(types.has("caption")).toBe(true);
    expect(types.has("points")).toBe(true);
    // A crowd mask is shown with its RLE counts as plain numbers (the model's Uint32Array).
    const masks = items.results.flatMap((i: { annotations: { type: string; rle?: { counts: unknown } }[] }) =>
      i.annotations.filter((a) => a.type === "mask"),
    );
    expect(masks.length).toBeGreaterThan(0);
    expect(Array.isArray(masks[0].rle.counts)).toBe(true);
    expect(masks[0].rle.counts.every((n: unknown) => typeof n === "number")).toBe(true);
  });

  it.each([
    "../../evil.json",
    "annotations/../../evil.json",
    "/evil.json",
    "..\\..\\evil.json",
    "C:/evil.json",
  ])("fails a zip with the entry %s and reports it, storing nothing", async (entry) => {
    const { app, data } = await buildTestApp();
    const id = await createDataset(app);
    const bytes = await readFile(join(CORPUS, "coco2017-subset", "annotations", "instances_val2017.json"));
    const zip = await zipOf([
      { path: "annotations/instances_val2017.json", bytes },
      { path: entry, bytes: new TextEncoder().encode("{}") },
    ]);
    const job = await importBytes(app, id, zip, { filename: "evil.zip", contentType: "application/zip" });
    const issues = (await app.inject({ url: `/api/jobs/${job.id}/issues` })).json();
    expect(job).toMatchObject({ status: "failed", error_code: "validation_failed" });
    expect(issues.results).toContainEqual(
      expect.objectContaining({ code: "unsafe_zip_entry", severity: "error", file: entry }),
    );
    expect((await app.inject({ url: `/api/datasets/${id}` })).json().images_count).toBe(0);
    // Nothing was written where the entry points (the entries are read, never extracted).
    expect(existsSync(join(data, "uploads", "..", "..", "evil.json"))).toBe(false);
  });

  it("fails a file that is not a zip sent as application/zip", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const job = await importBytes(app, id, "not a zip at all", {
      filename: "x.zip",
      contentType: "application/zip",
    });
    expect(job).toMatchObject({ status: "failed", error_code: expect.stringMatching(/zip/) });
    expect((await app.inject({ url: `/api/datasets/${id}` })).json().images_count).toBe(0);
  });
});
