import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, importBytes, VAL_INSTANCES, waitForJob } from "../helpers.js";

async function counts(app: Awaited<ReturnType<typeof buildTestApp>>["app"], id: number) {
  const d = (await app.inject({ url: `/api/datasets/${id}` })).json();
  return { images: d.images_count, annotations: d.annotations_count, labels: d.labels };
}

describe("POST /api/datasets/{id}/import", () => {
  it("answers 202 with the job and its Location, and the job finishes with the counts as its result", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "val", preset: "coco-80" });
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import?format=COCO%201.0&filename=instances_val2017.json`,
      headers: { "content-type": "application/json" },
      payload: await readFile(VAL_INSTANCES),
    });
    expect(response.statusCode).toBe(202);
    const job = response.json();
    expect(response.headers.location).toBe(`/api/jobs/${job.id}`);
    expect(job).toMatchObject({ type: "import", dataset_id: id, status: "queued", progress: 0 });
    const done = await waitForJob(app, job.id);
    expect(done).toMatchObject({ status: "finished", progress: 1, result_url: `/api/jobs/${job.id}/result` });
    const result = (await app.inject({ url: `/api/jobs/${job.id}/result` })).json();
    const source = JSON.parse(await readFile(VAL_INSTANCES, "utf8"));
    expect(result).toMatchObject({ images: source.images.length, layout: expect.any(String) });
  });

  it("replace empties the dataset first; append adds, and refuses an image id the dataset has", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "val" });
    const bytes = await readFile(VAL_INSTANCES);
    await importBytes(app, id, bytes, { filename: "instances_val2017.json" });
    const once = await counts(app, id);
    expect(
      (await importBytes(app, id, bytes, { filename: "instances_val2017.json", mode: "replace" })).status,
    ).toBe("finished");
    expect(await counts(app, id)).toEqual(once);
    const again = await importBytes(app, id, bytes, { filename: "instances_val2017.json", mode: "append" });
    expect(again).toMatchObject({ status: "failed", error_code: "duplicate_image_id" });
    expect(await counts(app, id)).toEqual(once);
    const other = await importBytes(app, id, bytes, { filename: "instances_train2017.json", mode: "append" });
    expect(other.status).toBe("finished");
    expect((await counts(app, id)).images).toBe(once.images * 2);
  });

  it("a truncated JSON gives a failed job whose issues carry pointers, and leaves the dataset as it was", async () => {
    const { app, data } = await buildTestApp();
    const id = await createDataset(app, { name: "val" });
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const before = await counts(app, id);
    const text = await readFile(VAL_INSTANCES, "utf8");
    const job = await importBytes(app, id, text.slice(0, Math.floor(text.length * 0.6)), {
      filename: "instances_val2017.json",
    });
    expect(job.status).toBe("failed");
    expect(job.issues_count).toBeGreaterThan(0);
    const issues = (await app.inject({ url: `/api/jobs/${job.id}/issues` })).json();
    expect(issues.count).toBe(job.issues_count);
    const malformed = issues.results.find((i: { code: string }) => i.code === "malformed_json");
    expect(malformed).toMatchObject({
      severity: "error",
      file: "instances_val2017.json",
      pointer: expect.stringMatching(/^\//),
    });
    // Issues name the user's file, never the server's upload folder.
    expect(JSON.stringify(issues)).not.toContain(data);
    expect(await counts(app, id)).toEqual(before);
    // The upload is removed once its job ended (as its worker exits).
    await app.queue.idle();
    expect(await readdir(join(data, "uploads"))).toEqual([]);
  });

  it("a file that is not COCO fails with the validation issues, paged", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const bad = JSON.stringify({
      images: [{ id: 1, file_name: "a.jpg", width: 10, height: 10 }],
      annotations: [{ id: 1, image_id: 7, category_id: 1, bbox: [0, 0, -1, 2] }],
      categories: [{ id: 1, name: "a" }],
    });
    const job = await importBytes(app, id, bad, { filename: "instances_default.json" });
    expect(job).toMatchObject({ status: "failed", error_code: "validation_failed" });
    const page = (await app.inject({ url: `/api/jobs/${job.id}/issues?limit=1` })).json();
    expect(page.results).toHaveLength(1);
    expect(page.count).toBeGreaterThanOrEqual(1);
    expect(page.results[0].pointer).toMatch(/^\/annotations\/0/);
  });

  it("refuses another content type with 415 before reading the body", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import`,
      headers: { "content-type": "text/plain" },
      payload: "{}",
    });
    expect(response.statusCode).toBe(415);
    expect(response.headers["content-type"]).toMatch(/problem\+json/);
    expect(response.json().code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("refuses an oversize upload by its Content-Length with 413", async () => {
    const { app, data } = await buildTestApp({ maxUpload: 100 });
    const id = await createDataset(app);
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import`,
      headers: { "content-type": "application/json" },
      payload: "x".repeat(101),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: "UPLOAD_TOO_LARGE", status: 413 });
    expect(response.headers.connection).toBe("close");
    expect((await app.inject({ url: "/api/jobs" })).json().count).toBe(0);
    expect(await readdir(data)).not.toContain("uploads");
  });

  it("stops a body without Content-Length at the limit with 413 and keeps nothing", async () => {
    const { app, data } = await buildTestApp({ maxUpload: 1000 });
    const id = await createDataset(app);
    const chunks = Array.from({ length: 20 }, () => Buffer.alloc(100, 0x20));
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import`,
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      payload: Readable.from(chunks),
    });
    expect(response.statusCode).toBe(413);
    expect((await app.inject({ url: "/api/jobs" })).json().count).toBe(0);
    expect(await readdir(join(data, "uploads"))).toEqual([]);
  });

  it("refuses an empty body with 400, and an unknown dataset with 404", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const empty = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import`,
      headers: { "content-type": "application/json" },
      payload: "",
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe("EMPTY_BODY");
    const unknown = await app.inject({
      method: "POST",
      url: "/api/datasets/42/import",
      headers: { "content-type": "application/json" },
      payload: "{}",
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("refuses an import while another import of the dataset is queued or running, with 409", async () => {
    const { app } = await buildTestApp({ workers: 1 });
    const id = await createDataset(app);
    const bytes = await readFile(VAL_INSTANCES);
    const post = () =>
      app.inject({
        method: "POST",
        url: `/api/datasets/${id}/import?filename=instances_val2017.json`,
        headers: { "content-type": "application/json" },
        payload: bytes,
      });
    const first = await post();
    expect(first.statusCode).toBe(202);
    const second = await post();
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe("DATASET_BUSY");
    await waitForJob(app, first.json().id);
  });
});

describe("POST /api/validate", () => {
  it("runs a job whose result is the full report, without creating a dataset", async () => {
    const { app } = await buildTestApp();
    const bad = JSON.stringify({
      images: [{ id: 1, file_name: "a.jpg", width: 10, height: 10 }],
      annotations: [{ id: 1, image_id: 7, category_id: 1, bbox: [0, 0, 1, 2] }],
      categories: [{ id: 1, name: "a" }],
    });
    const response = await app.inject({
      method: "POST",
      url: "/api/validate?filename=instances_x.json",
      headers: { "content-type": "application/json" },
      payload: bad,
    });
    expect(response.statusCode).toBe(202);
    const job = await waitForJob(app, response.json().id);
    expect(job).toMatchObject({ type: "validate", dataset_id: null, status: "finished" });
    const report = (await app.inject({ url: `/api/jobs/${job.id}/result` })).json();
    expect(report.ok).toBe(false);
    expect(
      report.issues.some(
        (i: { code: string; pointer: string }) =>
          i.code === "unknown_image" && i.pointer.startsWith("/annotations/0"),
      ),
    ).toBe(true);
    expect((await app.inject({ url: `/api/jobs/${job.id}/issues` })).json().count).toBe(report.issues.length);
    expect((await app.inject({ url: "/api/datasets" })).json().count).toBe(0);
  });
});
