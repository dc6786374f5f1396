import { Queue } from "bullmq";
import { describe, expect, it, onTestFinished } from "vitest";
import { tempDataDir, testServer } from "../helpers.js";
import { startRedis } from "../servers/redis.js";
import { type Cluster, call, cluster, createDataset, submitImport, waitForJob } from "./cluster.js";

/** A two-image COCO file: a small import. */
function smallCoco(seed: number): Uint8Array {
  const images = [1, 2].map((i) => ({
    id: seed * 10 + i,
    file_name: `${seed}-${i}.jpg`,
    width: 64,
    height: 48,
  }));
  const annotations = images.map((image, i) => ({
    id: i + 1,
    image_id: image.id,
    category_id: 1,
    bbox: [1, 2, 3, 4],
    area: 12,
    iscrowd: 0,
  }));
  return Buffer.from(JSON.stringify({ categories: [{ id: 1, name: "thing" }], images, annotations }));
}

/** The cluster's BullMQ queue, as the servers name it. */
function bullQueue(c: Cluster): Queue {
  const queue = new Queue("jobs", { connection: { url: c.settings.queue }, prefix: c.prefix });
  onTestFinished(() => queue.close());
  return queue;
}

describe("the shared queue under load and across a Redis restart", () => {
  it("100 concurrent small imports through two APIs all finish on two workers, none run twice", async () => {
    const data = await tempDataDir();
    const c = cluster({ data, queue: testServer("redis") });
    const apis = await Promise.all([c.spawn("api"), c.spawn("api")]);
    await Promise.all([
      c.spawn("worker", { env: { COCOKIT_WORKERS: "4" } }),
      // Role all: it runs jobs too.
      c.spawn("all", { env: { COCOKIT_WORKERS: "4" } }),
    ]);
    const api = (i: number) => apis[i % 2] as (typeof apis)[number];
    const datasets = await Promise.all(Array.from({ length: 100 }, (_, i) => createDataset(api(i), `d${i}`)));
    const jobs = await Promise.all(datasets.map((dataset, i) => submitImport(api(i), dataset, smallCoco(i))));
    const ended = await Promise.all(jobs.map((job, i) => waitForJob(api(i + 1), job, undefined, 120_000)));
    expect(ended.map((job) => job.status)).toEqual(jobs.map(() => "finished"));
    // Append mode: a second run of an import would have failed on its image ids.
    const counts = await Promise.all(
      datasets.map(async (id) => (await call(api(0), `/api/datasets/${id}`)).body.images_count),
    );
    expect(counts).toEqual(datasets.map(() => 2));
    expect([...c.started()].sort((a, b) => a - b)).toEqual([...jobs].sort((a, b) => a - b));
    // Both workers took part; the APIs ran nothing.
    for (const worker of c.processes.filter((p) => p.role !== "api"))
      expect(worker.started().length).toBeGreaterThan(0);
    for (const api of apis) expect(api.started()).toEqual([]);
  });

  it("a hard Redis restart loses no queued job; a queued row missing from the queue is added back at boot; a cancelled one leaves it", async () => {
    const redis = await startRedis();
    onTestFinished(() => redis.stop());
    const data = await tempDataDir();
    const c = cluster({ data, queue: redis.url });
    const api = await c.spawn("api");
    const queue = bullQueue(c);
    const datasets = await Promise.all([0, 1, 2, 3, 4].map((i) => createDataset(api, `d${i}`)));
    const jobs = await Promise.all(datasets.map((dataset, i) => submitImport(api, dataset, smallCoco(i))));
    const [cancelled, lost, ...kept] = jobs as [number, number, ...number[]];
    expect((await call(api, `/api/jobs/${cancelled}/cancel`, { method: "POST", json: {} })).status).toBe(202);
    expect(await queue.getJobState(`job-${cancelled}`)).toBe("unknown");
    expect(await queue.getWaitingCount()).toBe(4);

    await redis.restart({ hard: true });
    expect(await queue.getWaitingCount()).toBe(4);
    // The API reconnects by itself.
    const after = await submitImport(api, await createDataset(api, "after"), smallCoco(9));
    // As if an enqueue had been cut off between its row and its queue entry.
    expect(await queue.remove(`job-${lost}`)).toBe(1);

    await c.spawn("worker");
    for (const job of [lost, ...kept, after])
      expect(await waitForJob(api, job)).toMatchObject({ status: "finished" });
    expect((await call(api, `/api/jobs/${cancelled}`)).body).toMatchObject({ status: "cancelled" });
    expect(c.started().sort((a, b) => a - b)).toEqual([lost, ...kept, after].sort((a, b) => a - b));

    // A worker that lives through a restart takes jobs again once Redis is back.
    await redis.restart({ hard: true });
    const later = await submitImport(api, await createDataset(api, "later"), smallCoco(8));
    expect(await waitForJob(api, later)).toMatchObject({ status: "finished" });
  });
});
