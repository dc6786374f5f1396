import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildTestApp,
  createDataset,
  importBytes,
  tempDataDir,
  VAL_INSTANCES,
  waitForJob,
} from "../helpers.js";
import { pngOf, zipOf } from "../images.js";
import { freePort } from "../servers/free-port.js";
import { S3_CREDENTIALS, startS3 } from "../servers/s3.js";

Object.assign(process.env, S3_CREDENTIALS);

async function entries(data: string, folder: string): Promise<string[]> {
  return readdir(join(data, folder), { recursive: true }).catch(() => []);
}

describe("S3 that cannot be reached", () => {
  it("a stopped server: the export fails with storage_unavailable, requests get 503, nothing partial stays", async () => {
    // A server of this test's own: the run's shared one must stay up for the other tests.
    const s3 = await startS3(["mine"]);
    const { app, data } = await buildTestApp({ storage: s3.storageUrl("mine") });
    const id = await createDataset(app);
    const imported = await importBytes(app, id, await readFile(VAL_INSTANCES), {
      filename: "instances_val2017.json",
    });
    expect(imported.status).toBe("finished");
    await s3.stop();

    const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/export`, payload: {} });
    const job = await waitForJob(app, response.json().id);
    expect(job).toMatchObject({ status: "failed", error_code: "storage_unavailable", result_url: null });
    expect(job.message).toMatch(
      new RegExp(
        `expected S3 upload of s3://mine/results/job-${job.id}\\.zip to succeed at ${s3.endpoint.replaceAll(".", "\\.")}, found: `,
      ),
    );
    expect(await entries(data, "results")).toEqual([]);

    // An upload cannot be kept: 503 with the storage's reason, and its local spool is gone.
    const media = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/media`,
      headers: { "content-type": "application/zip" },
      payload: await zipOf({ "a.png": pngOf(2, 2) }),
    });
    expect(media.statusCode).toBe(503);
    expect(media.json()).toMatchObject({
      code: "STORAGE_UNAVAILABLE",
      detail: expect.stringContaining("s3://mine/uploads/"),
    });
    expect(await entries(data, "uploads")).toEqual([]);
  });

  it("a wrong endpoint: a job whose result cannot be stored fails the same way", async () => {
    // The dataset is imported with the data folder as storage; then the server is restarted
    // on the same data folder with an S3 endpoint nothing listens on.
    const data = await tempDataDir();
    const first = await buildTestApp({ data });
    const id = await createDataset(first.app);
    await importBytes(first.app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    await first.app.close();
    const port = await freePort();
    const { app } = await buildTestApp({
      data,
      storage: `s3://cocokit?endpoint=http://127.0.0.1:${port}&region=us-east-1`,
    });
    const response = await app.inject({ method: "POST", url: `/api/datasets/${id}/export`, payload: {} });
    const job = await waitForJob(app, response.json().id);
    expect(job).toMatchObject({ status: "failed", error_code: "storage_unavailable" });
    expect(job.message).toContain(`127.0.0.1:${port}`);
    expect((await readdir(join(data, "results"))).filter((name) => name.includes(`job-${job.id}`))).toEqual(
      [],
    );
    const result = await app.inject({ url: `/api/jobs/${job.id}/result` });
    expect(result.statusCode).toBe(409);
  });
});
