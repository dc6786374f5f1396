import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSyntheticCoco } from "../fixtures.js";
import { tempDataDir, testServer } from "../helpers.js";
import {
  call,
  cluster,
  createDataset,
  runnerOf,
  type ServerProcess,
  startsOf,
  submitImport,
  waitForJob,
} from "./cluster.js";

const IMAGES = 20_000;
const PER_IMAGE = 10;
// Each synthetic record holds a box and a polygon: the store keeps two shapes for it.
const SHAPES = IMAGES * PER_IMAGE * 2;

/** A long import (append mode, so a second complete run would fail) and its fresh dataset. */
async function bigImport(data: string, api: ServerProcess): Promise<{ dataset: number; job: number }> {
  const path = join(data, "big.json");
  await writeSyntheticCoco(path, IMAGES, PER_IMAGE);
  const dataset = await createDataset(api, "big");
  return { dataset, job: await submitImport(api, dataset, await readFile(path)) };
}

describe("workers that die or stop in the middle of a job", () => {
  it("kill -9 of a worker mid-import: another worker starts it over and the dataset ends as if it ran once", async () => {
    const data = await tempDataDir();
    const c = cluster({ data, queue: testServer("redis") });
    const [api] = await Promise.all([c.spawn("api"), c.spawn("worker"), c.spawn("worker")]);
    if (!api) throw new Error("expected an API process");
    const { dataset, job } = await bigImport(data, api);
    const mid = await waitForJob(
      api,
      job,
      (j) => j.status !== "queued" && (j.status !== "started" || (j.progress as number) > 0),
    );
    expect(mid).toMatchObject({ status: "started" });
    // An API booting now must leave the running job alone.
    const late = await c.spawn("api");
    expect((await call(late, `/api/jobs/${job}`)).body).toMatchObject({ status: "started" });
    const first = await runnerOf(c, job);
    await first.stop("SIGKILL");

    expect(await waitForJob(late, job, undefined, 120_000)).toMatchObject({ status: "finished" });
    expect(startsOf(c, job)).toBe(2);
    expect((await call(api, `/api/datasets/${dataset}`)).body).toMatchObject({
      images_count: IMAGES,
      annotations_count: SHAPES,
    });
  });

  it("a cancel while a dead worker's job waits for another worker is kept: the next worker stops it", async () => {
    const data = await tempDataDir();
    const c = cluster({ data, queue: testServer("redis") });
    const [api] = await Promise.all([c.spawn("api"), c.spawn("worker")]);
    if (!api) throw new Error("expected an API process");
    const { dataset, job } = await bigImport(data, api);
    await (await runnerOf(c, job)).stop("SIGKILL");
    // Nobody runs it now; the row still says started.
    const cancel = await call(api, `/api/jobs/${job}/cancel`, { method: "POST", json: {} });
    expect(cancel.status).toBe(202);
    await c.spawn("worker");
    expect(await waitForJob(api, job, undefined, 120_000)).toMatchObject({ status: "cancelled" });
    expect((await call(api, `/api/datasets/${dataset}`)).body).toMatchObject({ images_count: 0 });
  });

  it("a job that keeps killing its workers ends failed after --queue-attempts starts, not in a loop", async () => {
    const data = await tempDataDir();
    const c = cluster({ data, queue: testServer("redis"), env: { COCOKIT_QUEUE_ATTEMPTS: "2" } });
    const api = await c.spawn("api");
    const { dataset, job } = await bigImport(data, api);
    for (let kill = 0; kill < 2; kill++) {
      await c.spawn("worker");
      const worker = await runnerOf(c, job, kill);
      await worker.stop("SIGKILL");
    }
    await c.spawn("worker");
    expect(await waitForJob(api, job, undefined, 120_000)).toMatchObject({
      status: "failed",
      error_code: "worker_lost",
      message: expect.stringContaining("2 times"),
    });
    expect(startsOf(c, job)).toBe(2);
    expect((await call(api, `/api/datasets/${dataset}`)).body).toMatchObject({ images_count: 0 });
  });

  it("SIGTERM of a worker mid-import puts the job back in the queue; another worker runs it at once", async () => {
    const data = await tempDataDir();
    // Locks longer than the test: only the stop itself can hand the job on. One attempt: a
    // hand-back is not a stall, so it must not use it up.
    const c = cluster({
      data,
      queue: testServer("redis"),
      env: { COCOKIT_QUEUE_LOCK_MS: "600000", COCOKIT_QUEUE_ATTEMPTS: "1" },
    });
    const [api] = await Promise.all([c.spawn("api"), c.spawn("worker"), c.spawn("worker")]);
    if (!api) throw new Error("expected an API process");
    const { dataset, job } = await bigImport(data, api);
    const first = await runnerOf(c, job);
    await first.stop("SIGTERM");
    expect(first.child.exitCode).toBe(0);
    expect(await waitForJob(api, job, undefined, 120_000)).toMatchObject({ status: "finished" });
    expect(startsOf(c, job)).toBe(2);
    expect(first.started().filter((id) => id === job)).toHaveLength(1);
    expect((await call(api, `/api/datasets/${dataset}`)).body).toMatchObject({
      images_count: IMAGES,
      annotations_count: SHAPES,
    });
  });
});
