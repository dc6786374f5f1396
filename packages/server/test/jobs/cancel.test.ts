import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSyntheticCoco } from "../fixtures.js";
import {
  buildTestApp,
  createDataset,
  importBytes,
  tempDataDir,
  VAL_INSTANCES,
  waitForJob,
} from "../helpers.js";

async function bigFile(): Promise<string> {
  const path = join(await tempDataDir(), "instances_big.json");
  // About 40 MB: long enough to still be running when the test cancels it.
  await writeSyntheticCoco(path, 20_000, 20);
  return path;
}

describe("POST /api/jobs/{id}/cancel", () => {
  it("stops a running import within a second; the job is cancelled and the dataset is as it was", async () => {
    const { app, data } = await buildTestApp({ workers: 1 });
    const id = await createDataset(app);
    await importBytes(app, id, await readFile(VAL_INSTANCES), { filename: "instances_val2017.json" });
    const before = (await app.inject({ url: `/api/datasets/${id}` })).json();
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import?filename=instances_big.json`,
      headers: { "content-type": "application/json" },
      payload: createReadStream(await bigFile()),
    });
    expect(response.statusCode).toBe(202);
    const jobId = response.json().id;
    // Running, and far enough to have reported progress: the worker is in the middle of reading.
    for (;;) {
      const job = await waitForJob(app, jobId, ["started", "finished", "failed", "cancelled"]);
      expect(job.status).toBe("started");
      if ((job.progress as number) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const asked = Date.now();
    const cancel = await app.inject({ method: "POST", url: `/api/jobs/${jobId}/cancel` });
    expect(cancel.statusCode).toBe(202);
    const job = await waitForJob(app, jobId, ["finished", "failed", "cancelled"], 5000);
    // Stopped by its AbortSignal, not by terminating the thread.
    expect(job).toMatchObject({ status: "cancelled", message: "cancelled by request" });
    expect(Date.now() - asked).toBeLessThan(1500);
    const after = (await app.inject({ url: `/api/datasets/${id}` })).json();
    expect(after.images_count).toBe(before.images_count);
    expect(after.annotations_count).toBe(before.annotations_count);
    await app.queue.idle();
    expect(await readdir(join(data, "uploads"))).toEqual([]);
  });

  it("stops an import while it stores rows: the transaction rolls back and nothing partial stays", async () => {
    const { app } = await buildTestApp({ workers: 1 });
    const id = await createDataset(app);
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import?filename=instances_big.json`,
      headers: { "content-type": "application/json" },
      payload: createReadStream(await bigFile()),
    });
    const jobId = response.json().id;
    for (;;) {
      const job = (await app.inject({ url: `/api/jobs/${jobId}` })).json();
      // Queued until the queue claims it (an answer of the database later, on PostgreSQL).
      expect(["queued", "started"]).toContain(job.status);
      if (job.phase === "store") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const asked = Date.now();
    expect((await app.inject({ method: "POST", url: `/api/jobs/${jobId}/cancel` })).statusCode).toBe(202);
    const job = await waitForJob(app, jobId, ["finished", "failed", "cancelled"], 5000);
    expect(job).toMatchObject({ status: "cancelled", message: "cancelled by request" });
    expect(Date.now() - asked).toBeLessThan(1500);
    expect((await app.inject({ url: `/api/datasets/${id}` })).json()).toMatchObject({
      images_count: 0,
      annotations_count: 0,
      labels: [],
    });
  });

  it("stops a running streamed export; the job is cancelled and no zip, whole or partial, is left", async () => {
    const { app, data } = await buildTestApp({ workers: 1 });
    const id = await createDataset(app);
    const path = join(await tempDataDir(), "instances_big.json");
    await writeSyntheticCoco(path, 20_000, 5);
    const imported = await importBytes(app, id, await readFile(path), { filename: "instances_big.json" });
    expect(imported.status).toBe("finished");
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/export`,
      payload: { format: "COCO 1.0" },
    });
    const jobId = response.json().id;
    // Writing the zip: images counted out of the dataset's.
    for (;;) {
      const job = await waitForJob(app, jobId, ["started", "finished", "failed", "cancelled"]);
      expect(job.status).toBe("started");
      if (job.phase === "write" && (job.progress as number) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await app.inject({ method: "POST", url: `/api/jobs/${jobId}/cancel` });
    const job = await waitForJob(app, jobId, ["finished", "failed", "cancelled"], 5000);
    expect(job).toMatchObject({ status: "cancelled", message: "cancelled by request", result_url: null });
    await app.queue.idle();
    expect(await readdir(join(data, "results"))).toEqual([]);
  });

  it("cancels a queued job at once, and the queue runs the next one", async () => {
    const { app } = await buildTestApp({ workers: 1 });
    const busy = await createDataset(app, { name: "busy" });
    const other = await createDataset(app, { name: "other" });
    const first = await app.inject({
      method: "POST",
      url: `/api/datasets/${busy}/import?filename=instances_big.json`,
      headers: { "content-type": "application/json" },
      payload: createReadStream(await bigFile()),
    });
    const bytes = await readFile(VAL_INSTANCES);
    const queued = await app.inject({
      method: "POST",
      url: `/api/datasets/${other}/import?filename=instances_val2017.json`,
      headers: { "content-type": "application/json" },
      payload: bytes,
    });
    const third = await app.inject({
      method: "POST",
      url: "/api/validate?filename=instances_val2017.json",
      headers: { "content-type": "application/json" },
      payload: bytes,
    });
    expect(queued.json().status).toBe("queued");
    const cancel = await app.inject({ method: "POST", url: `/api/jobs/${queued.json().id}/cancel` });
    expect(cancel.statusCode).toBe(202);
    expect(cancel.json()).toMatchObject({ status: "cancelled", message: "cancelled while queued" });
    await app.inject({ method: "POST", url: `/api/jobs/${first.json().id}/cancel` });
    expect((await waitForJob(app, third.json().id)).status).toBe("finished");
    expect((await app.inject({ url: `/api/datasets/${other}` })).json().images_count).toBe(0);
  });

  it("refuses to cancel a finished job with 409, and an unknown one with 404", async () => {
    const { app } = await buildTestApp();
    const id = await createDataset(app);
    const job = await importBytes(app, id, await readFile(VAL_INSTANCES), {
      filename: "instances_val2017.json",
    });
    const response = await app.inject({ method: "POST", url: `/api/jobs/${job.id}/cancel` });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe("JOB_NOT_CANCELLABLE");
    expect((await app.inject({ method: "POST", url: "/api/jobs/999/cancel" })).statusCode).toBe(404);
  });
});
