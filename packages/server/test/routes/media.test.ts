import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, importBytes, settledJob, waitForJob } from "../helpers.js";
import { multipartOf, pngOf, zipOf } from "../images.js";

// Three images: one matched by its exact path, one by its stem (.png for .jpg), one missing.
const COCO = JSON.stringify({
  images: [
    { id: 1, file_name: "a.png", width: 4, height: 3 },
    { id: 2, file_name: "sub/b.jpg" },
    { id: 3, file_name: "c.jpg", width: 2, height: 2 },
  ],
  annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 2, 2], area: 4, iscrowd: 0 }],
  categories: [{ id: 1, name: "thing" }],
});

async function datasetWithItems(app: FastifyInstance): Promise<number> {
  const id = await createDataset(app);
  const job = await importBytes(app, id, COCO, { filename: "instances_default.json" });
  expect(job.status).toBe("finished");
  return id;
}

async function postMedia(app: FastifyInstance, id: number, zip: Buffer, query = "") {
  const response = await app.inject({
    method: "POST",
    url: `/api/datasets/${id}/media${query}`,
    headers: { "content-type": "application/zip" },
    payload: zip,
  });
  expect(response.statusCode, response.body).toBe(202);
  return settledJob(app, response.json().id);
}

/** Attaches a zip and expects the job to finish (its row in the message when it does not). */
async function attached(app: FastifyInstance, id: number, zip: Buffer) {
  const job = await postMedia(app, id, zip);
  expect(job.status, JSON.stringify(job)).toBe("finished");
  return job;
}

async function items(app: FastifyInstance, id: number) {
  const page = (await app.inject({ url: `/api/datasets/${id}/items` })).json();
  return new Map<string, { id: number; width: number | null; image_url: string | null }>(
    page.results.map((i: { file_name: string; id: number }) => [i.file_name, i]),
  );
}

describe("POST /api/datasets/{id}/media", () => {
  it("attaches images by exact path, then stem; the result is the report, warnings are issues", async () => {
    const { app } = await buildTestApp();
    const id = await datasetWithItems(app);
    const a = pngOf(4, 3);
    const b = pngOf(5, 7, [0, 0, 255]);
    const job = await postMedia(app, id, await zipOf({ "a.png": a, "sub/b.png": b, "extra.png": a }));
    expect(job).toMatchObject({ type: "media", status: "finished", dataset_id: id, issues_count: 1 });
    const result = (await app.inject({ url: `/api/jobs/${job.id}/result` })).json();
    expect(result).toMatchObject({
      dry_run: false,
      images: 3,
      matched: 2,
      missing: 1,
      unmatched: 1,
      stored: 2,
    });
    expect(result.report.matched).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fileName: "a.png", path: "a.png", strategy: "exact" }),
        expect.objectContaining({ fileName: "sub/b.jpg", path: "sub/b.png", strategy: "stem" }),
      ]),
    );
    expect(result.report.unmatched).toEqual(["extra.png"]);
    const issues = (await app.inject({ url: `/api/jobs/${job.id}/issues` })).json();
    expect(issues.results).toEqual([
      expect.objectContaining({ code: "missing_image_file", severity: "warning" }),
    ]);
    const byName = await items(app, id);
    const image = await app.inject({ url: `/api/datasets/${id}/items/${byName.get("sub/b.jpg")?.id}/image` });
    expect(image.statusCode).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.rawPayload.equals(b)).toBe(true);
    // The size the JSON lacked was read from the PNG's header.
    expect(byName.get("sub/b.jpg")).toMatchObject({ width: 5 });
    expect(byName.get("a.png")?.image_url).toBe(`/api/datasets/${id}/items/${byName.get("a.png")?.id}/image`);
    expect(byName.get("c.jpg")?.image_url).toBeNull();
  });

  it("only reports with ?dry_run=true: nothing is stored", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    const job = await postMedia(app, id, await zipOf({ "a.png": pngOf(4, 3) }), "?dry_run=true");
    expect(job.status).toBe("finished");
    expect((await app.inject({ url: `/api/jobs/${job.id}/result` })).json()).toMatchObject({
      dry_run: true,
      matched: 1,
      stored: 0,
    });
    const item = (await items(app, id)).get("a.png");
    const image = await app.inject({ url: `/api/datasets/${id}/items/${item?.id}/image` });
    expect(image.statusCode).toBe(404);
    expect(await readdir(join(data, "media")).catch(() => [])).toEqual([]);
  });

  it("refuses a zip with a ../ entry: the job fails and nothing is written", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    const zip = await zipOf({ "a.png": pngOf(4, 3), "../../evil.png": pngOf(1, 1) });
    const job = await postMedia(app, id, zip);
    expect(job).toMatchObject({ status: "failed", error_code: "unsafe_zip_entry" });
    const issues = (await app.inject({ url: `/api/jobs/${job.id}/issues` })).json();
    expect(issues.results).toContainEqual(
      expect.objectContaining({ code: "unsafe_zip_entry", file: "../../evil.png" }),
    );
    expect(await readdir(join(data, "media")).catch(() => [])).toEqual([]);
    expect(await readdir(join(data, ".."))).not.toContain("evil.png");
  });

  it("replaces an item's image when attached again, removing the old file", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    await attached(app, id, await zipOf({ "a.png": pngOf(4, 3) }));
    const second = pngOf(4, 3, [1, 2, 3]);
    await attached(app, id, await zipOf({ "a.png": second }));
    const item = (await items(app, id)).get("a.png");
    const image = await app.inject({ url: `/api/datasets/${id}/items/${item?.id}/image` });
    expect(image.rawPayload.equals(second)).toBe(true);
    expect(await readdir(join(data, "media", String(id)))).toHaveLength(1);
  });

  it("removes the files of items a replacing import dropped at the next media job", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    await attached(app, id, await zipOf({ "a.png": pngOf(4, 3) }));
    expect((await importBytes(app, id, COCO, { filename: "instances_default.json" })).status).toBe(
      "finished",
    );
    const job = await attached(app, id, await zipOf({ "c.jpg": pngOf(2, 2) }));
    const stored = await readdir(join(data, "media", String(id)));
    const c = (await items(app, id)).get("c.jpg");
    expect(stored).toEqual([expect.stringMatching(new RegExp(`^${c?.id}-${job.id}`))]);
  });

  it("cleans up only files of its own or earlier jobs: a later job's files being stored stay", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    const dir = join(data, "media", String(id));
    await mkdir(dir, { recursive: true });
    // Left by an earlier job and no row's: removed. A later job's, not committed yet: kept.
    await writeFile(join(dir, "1-0.png"), "old");
    await writeFile(join(dir, "1-999999.png"), "in flight");
    await writeFile(join(dir, "1-999999.png.staged.tmp"), "in flight");
    const job = await attached(app, id, await zipOf({ "a.png": pngOf(4, 3) }));
    const stored = (await readdir(dir)).sort();
    expect(stored).toContain("1-999999.png");
    expect(stored).toContain("1-999999.png.staged.tmp");
    expect(stored).not.toContain("1-0.png");
    expect(stored.filter((name) => name.includes(`-${job.id}`))).toHaveLength(1);
  });

  it("removes a deleted dataset's images", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    await attached(app, id, await zipOf({ "a.png": pngOf(4, 3) }));
    expect(await readdir(join(data, "media", String(id)))).toHaveLength(1);
    expect((await app.inject({ method: "DELETE", url: `/api/datasets/${id}` })).statusCode).toBe(204);
    expect(await readdir(join(data, "media"))).toEqual([]);
  });

  it("takes the zip as the multipart field file", async () => {
    const { app } = await buildTestApp();
    const id = await datasetWithItems(app);
    const body = await multipartOf("file", await zipOf({ "a.png": pngOf(4, 3) }), "images.zip");
    const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/media`, ...body });
    expect(response.statusCode).toBe(202);
    const job = await waitForJob(app, response.json().id);
    expect((await app.inject({ url: `/api/jobs/${job.id}/result` })).json()).toMatchObject({ stored: 1 });
  });

  it("answers 400 for a JSON body that is not an upload reference, 404 for an unknown dataset", async () => {
    const { app } = await buildTestApp();
    const id = await datasetWithItems(app);
    const json = await app.inject({ method: "POST", url: `/api/datasets/${id}/media`, payload: { a: 1 } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: "BAD_REQUEST" });
    const unknown = await app.inject({
      method: "POST",
      url: "/api/datasets/999/media",
      headers: { "content-type": "application/zip" },
      payload: await zipOf({ "a.png": pngOf(1, 1) }),
    });
    expect(unknown.json()).toMatchObject({ status: 404, code: "DATASET_NOT_FOUND" });
  });
});

describe("GET /api/datasets/{id}/items/{item_id}/image", () => {
  it("answers 404 problems for an item without an image and for an unknown item", async () => {
    const { app } = await buildTestApp();
    const id = await datasetWithItems(app);
    const item = (await items(app, id)).get("c.jpg");
    const none = await app.inject({ url: `/api/datasets/${id}/items/${item?.id}/image` });
    expect(none.statusCode).toBe(404);
    expect(none.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(none.json()).toMatchObject({ code: "IMAGE_NOT_FOUND" });
    const unknown = await app.inject({ url: `/api/datasets/${id}/items/99999/image` });
    expect(unknown.json()).toMatchObject({ status: 404, code: "ITEM_NOT_FOUND" });
  });

  it("serves a JPEG as image/jpeg, and a file whose header says nothing by its extension", async () => {
    const { app, data } = await buildTestApp();
    const id = await datasetWithItems(app);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
    await postMedia(app, id, await zipOf({ "c.jpg": jpeg }));
    const item = (await items(app, id)).get("c.jpg");
    const image = await app.inject({ url: `/api/datasets/${id}/items/${item?.id}/image` });
    expect(image.headers["content-type"]).toBe("image/jpeg");
    expect(image.rawPayload.equals(jpeg)).toBe(true);
    const stored = await readdir(join(data, "media", String(id)));
    expect((await readFile(join(data, "media", String(id), stored[0] as string))).equals(jpeg)).toBe(true);
    await postMedia(app, id, await zipOf({ "a.gif": Buffer.from("not really a gif") }));
    const other = (await items(app, id)).get("a.png");
    const gif = await app.inject({ url: `/api/datasets/${id}/items/${other?.id}/image` });
    expect(gif.headers["content-type"]).toBe("image/gif");
  });
});
