import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { writeSyntheticCoco } from "../fixtures.js";
import {
  buildTestApp,
  createDataset,
  importBytes,
  settledJob,
  tempDataDir,
  VAL_INSTANCES,
  waitForJob,
} from "../helpers.js";
import { multipartOf, pngOf, zipOf } from "../images.js";
import { freshStorage, keysUnder } from "./s3-test-bucket.js";

const COCO = JSON.stringify({
  images: [
    { id: 1, file_name: "a.png", width: 4, height: 3 },
    { id: 2, file_name: "c.png", width: 2, height: 2 },
  ],
  annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 2, 2], area: 4, iscrowd: 0 }],
  categories: [{ id: 1, name: "thing" }],
});

/** A server whose storage is a fresh prefix of the test bucket; `keys()` lists what it stored. */
async function s3App(config: Parameters<typeof buildTestApp>[0] = {}) {
  const s3 = freshStorage();
  const { app, data } = await buildTestApp({ storage: s3.url, ...config }, { forceCloseConnections: true });
  return { app, data, url: s3.url, keys: () => keysUnder(s3.endpoint, s3.prefix) };
}

async function localFiles(data: string, folder: string): Promise<string[]> {
  return readdir(join(data, folder), { recursive: true }).catch(() => []);
}

async function exportJob(app: FastifyInstance, id: number, body: Record<string, unknown> = {}) {
  const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/export`, payload: body });
  expect(response.statusCode, response.body).toBe(202);
  return settledJob(app, response.json().id);
}

async function postMedia(app: FastifyInstance, id: number, zip: Buffer) {
  const response = await app.inject({
    method: "POST",
    url: `/api/datasets/${id}/media`,
    headers: { "content-type": "application/zip" },
    payload: zip,
  });
  expect(response.statusCode, response.body).toBe(202);
  return settledJob(app, response.json().id);
}

describe("--storage s3:// (s3rver)", () => {
  it("imports a body, a multipart part and a tus upload through S3, keeping no upload behind", async () => {
    const { app, data, keys } = await s3App();
    const id = await createDataset(app);
    const body = await importBytes(app, id, await readFile(VAL_INSTANCES), {
      filename: "instances_val2017.json",
    });
    expect(body).toMatchObject({ status: "finished" });
    const summary = (await app.inject({ url: `/api/jobs/${body.id}/result` })).json();
    expect(summary.images).toBeGreaterThan(0);

    const part = await multipartOf("file", Buffer.from(COCO), "instances_default.json", "application/json");
    const posted = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import?mode=replace`,
      ...part,
    });
    expect(posted.statusCode, posted.body).toBe(202);
    expect(await settledJob(app, posted.json().id)).toMatchObject({ status: "finished" });

    // tus over a real socket: creation-with-upload, then the import names the upload.
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const created = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: {
        "tus-resumable": "1.0.0",
        "upload-length": String(Buffer.byteLength(COCO)),
        "upload-metadata": `filename ${Buffer.from("instances_default.json").toString("base64")}`,
        "content-type": "application/offset+octet-stream",
      },
      body: COCO,
    });
    expect(created.status).toBe(201);
    const uploadId = (created.headers.get("location") as string).split("/").pop();
    const byTus = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import?mode=replace`,
      payload: { upload_id: uploadId },
    });
    expect(byTus.statusCode, byTus.body).toBe(202);
    expect(await settledJob(app, byTus.json().id)).toMatchObject({ status: "finished" });
    const items = (await app.inject({ url: `/api/datasets/${id}/items` })).json();
    expect(items.count).toBe(2);
    // Each upload went to S3, was read by its job and removed; no local copy stays either.
    expect(await keys()).toEqual([]);
    expect(await localFiles(data, "uploads")).toEqual([]);
  });

  it("exports to S3 and streams the zip (whole and by range); --presign redirects to the same bytes", async () => {
    const { app, data, url, keys } = await s3App();
    const id = await createDataset(app);
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const job = await exportJob(app, id);
    expect(job.status).toBe("finished");
    expect(await keys()).toEqual([`results/job-${job.id}.zip`]);
    // The local zip was only a step on the way.
    expect(await localFiles(data, "results")).toEqual([]);
    const whole = await app.inject({ url: `/api/jobs/${job.id}/result` });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers["content-type"]).toBe("application/zip");
    expect(Number(whole.headers["content-length"])).toBe(whole.rawPayload.length);
    const zip = await JSZip.loadAsync(whole.rawPayload);
    expect(Object.keys(zip.files).some((name) => name.endsWith(".json"))).toBe(true);
    const range = await app.inject({ url: `/api/jobs/${job.id}/result`, headers: { range: "bytes=10-109" } });
    expect(range.statusCode).toBe(206);
    expect(range.rawPayload.equals(whole.rawPayload.subarray(10, 110))).toBe(true);
    await app.close();

    // The same data folder and bucket prefix, now answering with presigned URLs.
    const presigned = await buildTestApp({ data, storage: url, presign: true });
    const redirect = await presigned.app.inject({ url: `/api/jobs/${job.id}/result` });
    expect(redirect.statusCode).toBe(307);
    const download = await fetch(redirect.headers.location as string);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain(`job-${job.id}.zip`);
    expect(Buffer.from(await download.arrayBuffer()).equals(whole.rawPayload)).toBe(true);
    // A client that follows the redirect with a Range gets the range from S3.
    const ranged = await fetch(redirect.headers.location as string, { headers: { range: "bytes=10-109" } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(whole.rawPayload.subarray(10, 110))).toBe(true);
  });

  it("keeps a validation report in S3 and serves it; the expired-result sweep deletes it", async () => {
    const { app, keys } = await s3App({ resultTtlHours: 1 });
    const posted = await app.inject({
      method: "POST",
      url: "/api/validate?filename=instances_default.json",
      headers: { "content-type": "application/json" },
      payload: COCO,
    });
    const job = await settledJob(app, posted.json().id);
    expect(job.status).toBe("finished");
    expect(await keys()).toEqual([`results/job-${job.id}.json`]);
    const report = await app.inject({ url: `/api/jobs/${job.id}/result` });
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ issues: expect.any(Array) });
    // Expire it in the row; the sweep removes the object.
    await app.db
      .updateTable("jobs")
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", job.id as number)
      .execute();
    expect(await app.sweepExpired()).toBe(1);
    expect(await keys()).toEqual([]);
  });

  it("attaches media to S3, serves an item's image from it, exports it with save_images, deletes it with the dataset", async () => {
    const { app, keys } = await s3App();
    const id = await createDataset(app);
    await importBytes(app, id, COCO, { filename: "instances_default.json" });
    const a = pngOf(4, 3);
    const job = await postMedia(app, id, await zipOf({ "a.png": a, "c.png": pngOf(2, 2, [1, 2, 3]) }));
    expect(job).toMatchObject({ status: "finished" });
    const stored = await keys();
    expect(stored.filter((key) => key.startsWith(`media/${id}/`))).toHaveLength(2);
    const items = (await app.inject({ url: `/api/datasets/${id}/items` })).json();
    const itemA = items.results.find((i: { file_name: string }) => i.file_name === "a.png");
    const image = await app.inject({ url: `/api/datasets/${id}/items/${itemA.id}/image` });
    expect(image.statusCode).toBe(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.rawPayload.equals(a)).toBe(true);

    // A second attach replaces a.png: the old object goes.
    const a2 = pngOf(4, 3, [9, 9, 9]);
    const second = await postMedia(app, id, await zipOf({ "a.png": a2 }));
    expect(second.status).toBe("finished");
    const media = (await keys()).filter((key) => key.startsWith(`media/${id}/`));
    expect(media).toHaveLength(2);
    expect(media.some((key) => key.endsWith(`-${second.id}.png`))).toBe(true);

    const exported = await exportJob(app, id, { save_images: true });
    expect(exported.status, String(exported.message)).toBe("finished");
    const zip = await JSZip.loadAsync(
      (await app.inject({ url: `/api/jobs/${exported.id}/result` })).rawPayload,
    );
    const entry = Object.values(zip.files).find((file) => file.name.endsWith("a.png"));
    expect(entry).toBeDefined();
    expect(Buffer.from((await entry?.async("uint8array")) ?? []).equals(a2)).toBe(true);

    expect((await app.inject({ method: "DELETE", url: `/api/datasets/${id}` })).statusCode).toBe(204);
    expect((await keys()).filter((key) => key.startsWith("media/"))).toEqual([]);
  });

  it("a media job that fails midway removes the images it had stored", async () => {
    const { app, keys } = await s3App();
    const id = await createDataset(app);
    await importBytes(app, id, COCO, { filename: "instances_default.json" });
    const zip = await zipOf({ "a.png": pngOf(40, 30), "c.png": pngOf(60, 60, [5, 6, 7]) });
    // Breaks c.png's compressed bytes (the second entry's data, before the central directory):
    // a.png is stored first, then reading c.png fails its checksum.
    const second = zip.indexOf(Buffer.from("c.png")) + "c.png".length + 4;
    for (let at = second; at < second + 8; at++) zip[at] = (zip[at] as number) ^ 0xff;
    const job = await postMedia(app, id, zip);
    expect(job.status).toBe("failed");
    expect(await keys()).toEqual([]);
  });

  it("a cancelled export leaves nothing in S3, nor locally", async () => {
    const { app, data, keys } = await s3App({ workers: 1 });
    const id = await createDataset(app);
    const path = join(await tempDataDir(), "instances_big.json");
    await writeSyntheticCoco(path, 20_000, 5);
    expect(
      (await importBytes(app, id, await readFile(path), { filename: "instances_big.json" })).status,
    ).toBe("finished");
    const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/export`, payload: {} });
    const jobId = response.json().id;
    for (;;) {
      const job = await waitForJob(app, jobId, ["started", "finished", "failed", "cancelled"]);
      expect(job.status).toBe("started");
      if (job.phase === "write" && (job.progress as number) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await app.inject({ method: "POST", url: `/api/jobs/${jobId}/cancel` });
    expect(await settledJob(app, jobId)).toMatchObject({ status: "cancelled" });
    expect(await keys()).toEqual([]);
    expect(await localFiles(data, "results")).toEqual([]);
  });
});
