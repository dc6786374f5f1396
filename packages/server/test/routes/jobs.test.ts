import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestApp, createDataset, importBytes, VAL_INSTANCES, waitForJob } from "../helpers.js";

async function exportJob(
  app: Awaited<ReturnType<typeof buildTestApp>>["app"],
  id: number,
  body: Record<string, unknown> = {},
) {
  const response = await app.inject({
    method: "POST",
    url: `/api/datasets/${id}/export`,
    payload: { format: "COCO 1.0", ...body },
  });
  expect(response.statusCode).toBe(202);
  expect(response.headers.location).toBe(`/api/jobs/${response.json().id}`);
  return waitForJob(app, response.json().id);
}

describe("POST /api/datasets/{id}/export and GET /api/jobs/{id}/result", () => {
  it("exports the imported dataset as a COCO zip that gives back the same records", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "val", preset: "coco-80" });
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const job = await exportJob(app, id);
    expect(job).toMatchObject({
      type: "export",
      status: "finished",
      result_url: `/api/jobs/${job.id}/result`,
      expires_at: expect.any(String),
    });
    const result = await app.inject({ url: `/api/jobs/${job.id}/result` });
    expect(result.statusCode).toBe(200);
    expect(result.headers["content-type"]).toBe("application/zip");
    expect(result.headers["content-disposition"]).toMatch(/^attachment; filename=".*\.zip"$/);
    const dir = await mkdtemp(join(tmpdir(), "cocokit-export-"));
    try {
      await writeFile(join(dir, "out.zip"), result.rawPayload);
      execFileSync("unzip", ["-q", "out.zip"], { cwd: dir });
      const written = JSON.parse(await readFile(join(dir, "annotations", "instances_val2017.json"), "utf8"));
      const source = JSON.parse(await readFile(VAL_INSTANCES, "utf8"));
      expect(written.images).toEqual(source.images);
      expect(written.annotations).toEqual(source.annotations);
      expect(written.categories).toEqual(source.categories);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("serves a byte range of the zip (206), and refuses a range past its end (416)", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const job = await exportJob(app, id);
    const whole = (await app.inject({ url: `/api/jobs/${job.id}/result` })).rawPayload;
    const part = await app.inject({ url: `/api/jobs/${job.id}/result`, headers: { range: "bytes=10-19" } });
    expect(part.statusCode).toBe(206);
    expect(part.headers["content-range"]).toBe(`bytes 10-19/${whole.length}`);
    expect(part.rawPayload).toEqual(whole.subarray(10, 20));
    const bad = await app.inject({
      url: `/api/jobs/${job.id}/result`,
      headers: { range: `bytes=${whole.length + 5}-` },
    });
    expect(bad.statusCode).toBe(416);
    expect(bad.json().code).toBe("BAD_RANGE");
  });

  it("answers 409 for the result of a job that did not finish, and 404 for an unknown dataset", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const failed = await importBytes(app, id, "{", { filename: "instances_x.json" });
    const response = await app.inject({ url: `/api/jobs/${failed.id}/result` });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe("RESULT_NOT_READY");
    expect(
      (await app.inject({ method: "POST", url: "/api/datasets/77/export", payload: {} })).statusCode,
    ).toBe(404);
  });
});

describe("GET /api/jobs", () => {
  it("lists jobs newest first, filtered by status, type and dataset", async () => {
    const { app } = await buildTestApp();
    const a = await createDataset(app, { name: "a" });
    const b = await createDataset(app, { name: "b" });
    const bytes = await readFile(VAL_INSTANCES);
    await importBytes(app, a, bytes, { filename: "instances_val2017.json" });
    await importBytes(app, b, "{", { filename: "instances_x.json" });
    await exportJob(app, a);
    const all = (await app.inject({ url: "/api/jobs" })).json();
    expect(all.count).toBe(3);
    expect(all.results.map((j: { type: string }) => j.type)).toEqual(["export", "import", "import"]);
    expect(
      (await app.inject({ url: "/api/jobs?status=failed" }))
        .json()
        .results.map((j: { dataset_id: number }) => j.dataset_id),
    ).toEqual([b]);
    expect((await app.inject({ url: "/api/jobs?type=export" })).json().count).toBe(1);
    expect((await app.inject({ url: `/api/jobs?dataset_id=${a}` })).json().count).toBe(2);
  });
});

describe("GET /api/jobs/{id} and /issues", () => {
  it("answers 404 for an unknown job", async () => {
    const { app } = await buildTestApp();
    for (const url of ["/api/jobs/5", "/api/jobs/5/issues", "/api/jobs/5/result"]) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("JOB_NOT_FOUND");
    }
  });
});

describe("result expiry", () => {
  it("removes an expired export's file and answers 404 for its result", async () => {
    // 0.00001 h is 36 ms.
    const { app, data } = await buildTestApp({ resultTtlHours: 0.00001 });
    const id = await createDataset(app);
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const job = await exportJob(app, id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await app.sweepExpired()).toBeGreaterThanOrEqual(1);
    expect(await readdir(join(data, "results"))).not.toContain(`job-${job.id}.zip`);
    const response = await app.inject({ url: `/api/jobs/${job.id}/result` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      code: "RESULT_NOT_FOUND",
      detail: expect.stringContaining("expired"),
    });
  });
});

describe("export as COCO Keypoints 1.0", () => {
  it("writes only the person_keypoints files", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app, { name: "kp", preset: "coco-80" });
    const dir = join(VAL_INSTANCES, "..");
    await importBytes(app, id, await readFile(join(dir, "person_keypoints_val2017.json")), {
      filename: "person_keypoints_val2017.json",
    });
    const job = await exportJob(app, id, { format: "COCO Keypoints 1.0" });
    expect((await app.inject({ url: `/api/jobs/${job.id}/result` })).statusCode).toBe(200);
    const files = (await app.inject({ url: `/api/jobs?type=export` })).json().results[0];
    expect(files.status).toBe("finished");
    const dirOut = await mkdtemp(join(tmpdir(), "cocokit-kp-"));
    try {
      await writeFile(
        join(dirOut, "out.zip"),
        (await app.inject({ url: `/api/jobs/${job.id}/result` })).rawPayload,
      );
      const listing = execFileSync("unzip", ["-Z1", "out.zip"], { cwd: dirOut, encoding: "utf8" })
        .trim()
        .split("\n");
      expect(listing).toEqual(["annotations/person_keypoints_val2017.json"]);
    } finally {
      await rm(dirOut, { recursive: true, force: true });
    }
  });
});
