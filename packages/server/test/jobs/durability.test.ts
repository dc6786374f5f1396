import { createReadStream } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateToLatest } from "../../src/db/migrations.js";
import { createJobsRepository } from "../../src/repositories/jobs-repository.js";
import { writeSyntheticCoco } from "../fixtures.js";
import { buildTestApp, createDataset, openTestDatabase, tempDataDir, waitForJob } from "../helpers.js";

describe("durable jobs", () => {
  it("on startup, a job a stopped server left started becomes failed 'interrupted', and a queued one runs", async () => {
    const data = await tempDataDir();
    const db = await openTestDatabase(data);
    await migrateToLatest(db as never);
    const jobs = createJobsRepository(db);
    const left = await jobs.create({
      type: "validate",
      dataset_id: null,
      params: { input_path: join(data, "gone.json"), name: "gone.json" },
    });
    await jobs.claimNext();
    const queued = await jobs.create({
      type: "validate",
      dataset_id: null,
      params: { input_path: join(data, "missing.json"), name: "missing.json" },
    });
    await db.destroy();

    const { app } = await buildTestApp({ data });
    const interrupted = (await app.inject({ url: `/api/jobs/${left.id}` })).json();
    expect(interrupted).toMatchObject({
      status: "failed",
      error_code: "interrupted",
      message: expect.stringContaining("interrupted"),
    });
    // The queued job ran (and failed: its upload does not exist), it was not forgotten.
    const ran = await waitForJob(app, queued.id);
    expect(ran.status).toBe("failed");
    expect(ran.started_at).not.toBeNull();
  });

  it("on startup, removes uploads no queued job reads and partial results, keeping a queued job's upload", async () => {
    const data = await tempDataDir();
    const db = await openTestDatabase(data);
    await migrateToLatest(db as never);
    const jobs = createJobsRepository(db);
    await mkdir(join(data, "uploads", "kept"), { recursive: true });
    await writeFile(join(data, "uploads", "kept", "instances_a.json"), "{");
    await mkdir(join(data, "uploads", "orphan"), { recursive: true });
    await writeFile(join(data, "uploads", "orphan", "x.json"), "{}");
    await mkdir(join(data, "results"), { recursive: true });
    await writeFile(join(data, "results", ".job-1.zip.abc.tmp"), "partial");
    await writeFile(join(data, "results", "job-2.zip"), "done");
    // Claimed by the queue only after the cleanup, so its upload must survive it.
    const queued = await jobs.create({
      type: "validate",
      dataset_id: null,
      params: { input_path: join(data, "uploads", "kept", "instances_a.json"), name: "instances_a.json" },
    });
    await db.destroy();

    const { app } = await buildTestApp({ data });
    const job = await waitForJob(app, queued.id);
    // It read its upload (a truncated file: a report with an error), it did not find it missing.
    expect(job.status).toBe("finished");
    expect((await app.inject({ url: `/api/jobs/${queued.id}/issues` })).json().results[0].code).toBe(
      "malformed_json",
    );
    // The worker removes its upload as it exits, just after it wrote the job's end.
    await app.queue.idle();
    expect(await readdir(join(data, "uploads"))).toEqual([]);
    expect(await readdir(join(data, "results"))).toEqual(expect.arrayContaining(["job-2.zip"]));
    expect(await readdir(join(data, "results"))).not.toContain(".job-1.zip.abc.tmp");
  });

  it("closing the server stops a running import, marks it interrupted and leaves the dataset as it was", async () => {
    const data = await tempDataDir();
    const { app } = await buildTestApp({ data, workers: 1 });
    const id = await createDataset(app);
    const path = join(data, "instances_big.json");
    await writeSyntheticCoco(path, 20_000, 20);
    const response = await app.inject({
      method: "POST",
      url: `/api/datasets/${id}/import?filename=instances_big.json`,
      headers: { "content-type": "application/json" },
      payload: createReadStream(path),
    });
    await waitForJob(app, response.json().id, ["started"]);
    await app.close();

    const { app: again } = await buildTestApp({ data });
    expect((await again.inject({ url: `/api/jobs/${response.json().id}` })).json()).toMatchObject({
      status: "failed",
      error_code: "interrupted",
    });
    expect((await again.inject({ url: `/api/datasets/${id}` })).json()).toMatchObject({
      images_count: 0,
      annotations_count: 0,
    });
  });
});
