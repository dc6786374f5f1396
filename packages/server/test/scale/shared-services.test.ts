// The deployment the scale-out is for: API and worker processes that share nothing on disk —
// each has a --data folder of its own (temporaries only) — and meet through PostgreSQL (the
// store), Redis (the queue) and S3 (uploads, results, media). Real servers, real processes.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import JSZip from "jszip";
import { describe, expect, it, onTestFinished } from "vitest";
import { writeSyntheticCoco } from "../fixtures.js";
import { tempDataDir, testServer, VAL_INSTANCES } from "../helpers.js";
import { createDatabase, dropDatabase } from "../servers/postgres.js";
import { S3_CREDENTIALS } from "../servers/s3.js";
import {
  type Cluster,
  call,
  cluster,
  createDataset,
  runnerOf,
  type ServerProcess,
  startsOf,
  submitImport,
  waitForJob,
} from "./cluster.js";
import { W1_ANNOTATIONS, W1_IMAGES, writeW1Sized } from "./w1-sized.js";

/** A cluster on a fresh PostgreSQL database, a fresh S3 prefix and a fresh queue prefix. */
async function sharedServices(env: Record<string, string> = {}): Promise<Cluster> {
  const server = testServer("postgres");
  const name = `scale_${randomUUID().replaceAll("-", "")}`;
  const database = await createDatabase(server, name);
  onTestFinished(() => dropDatabase(server, name));
  const endpoint = encodeURIComponent(testServer("s3"));
  const storage = `s3://cocokit/${randomUUID()}?endpoint=${endpoint}&region=us-east-1`;
  return cluster({
    data: await tempDataDir(),
    queue: testServer("redis"),
    args: ["--database", database, "--storage", storage],
    env: { ...S3_CREDENTIALS, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
  });
}

/** A process of `c` with a data folder of its own (the last --data wins). */
async function own(c: Cluster, role: "api" | "worker"): Promise<ServerProcess> {
  return c.spawn(role, { args: ["--data", await tempDataDir()] });
}

async function download(api: ServerProcess, job: number): Promise<Buffer> {
  const response = await fetch(`${api.url}/api/jobs/${job}/result`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("APIs and workers on PostgreSQL, Redis and S3, no folder shared", () => {
  it("a job submitted through one API is visible, downloadable and cancellable through the other", async () => {
    const c = await sharedServices();
    const [api1, api2] = await Promise.all([
      own(c, "api"),
      own(c, "api"),
      own(c, "worker"),
      own(c, "worker"),
    ]);
    if (!api1 || !api2) throw new Error("expected two API processes");
    const dataset = await createDataset(api1);
    const imported = await submitImport(api1, dataset, await readFile(VAL_INSTANCES));
    expect(await waitForJob(api2, imported)).toMatchObject({ status: "finished", progress: 1 });
    const summary = (await call(api2, `/api/datasets/${dataset}`)).body;
    expect(summary.images_count).toBeGreaterThan(0);

    const exported = (await call(api2, `/api/datasets/${dataset}/export`, { json: { format: "COCO 1.0" } }))
      .body.id as number;
    expect(await waitForJob(api1, exported)).toMatchObject({ status: "finished" });
    const [zip1, zip2] = await Promise.all([download(api1, exported), download(api2, exported)]);
    expect(zip1.equals(zip2)).toBe(true);
    const zip = await JSZip.loadAsync(zip1);
    const instances = JSON.parse(
      (await zip.file("annotations/instances_default.json")?.async("string")) ?? "{}",
    );
    expect(instances.images).toHaveLength(summary.images_count as number);

    const big = join(c.settings.data, "big.json");
    await writeSyntheticCoco(big, 20_000, 10);
    const target = await createDataset(api2, "cancelled");
    const running = await submitImport(api1, target, await readFile(big));
    await waitForJob(api2, running, (job) => job.status !== "queued");
    expect((await call(api2, `/api/jobs/${running}/cancel`, { method: "POST", json: {} })).status).toBe(202);
    expect(await waitForJob(api1, running, undefined, 120_000)).toMatchObject({ status: "cancelled" });
    expect((await call(api1, `/api/datasets/${target}`)).body).toMatchObject({ images_count: 0 });
    expect(startsOf(c, running)).toBe(1);
  });

  it("kill -9 of a worker mid-import: another worker starts it over, the dataset gets it once", async () => {
    const c = await sharedServices();
    const [api] = await Promise.all([own(c, "api"), own(c, "worker"), own(c, "worker")]);
    if (!api) throw new Error("expected an API process");
    const big = join(c.settings.data, "big.json");
    await writeSyntheticCoco(big, 20_000, 10);
    const dataset = await createDataset(api, "big");
    const job = await submitImport(api, dataset, await readFile(big));
    await (await runnerOf(c, job)).stop("SIGKILL");
    expect(await waitForJob(api, job, undefined, 180_000)).toMatchObject({ status: "finished" });
    expect(startsOf(c, job)).toBe(2);
    // Each synthetic record is a box and a polygon: two stored shapes.
    expect((await call(api, `/api/datasets/${dataset}`)).body).toMatchObject({
      images_count: 20_000,
      annotations_count: 400_000,
    });
  });

  it("100 concurrent small jobs through two APIs all finish, none run twice", async () => {
    const c = await sharedServices();
    const apis = await Promise.all([own(c, "api"), own(c, "api")]);
    await Promise.all([own(c, "worker"), own(c, "worker")]);
    const small = await readFile(VAL_INSTANCES);
    const jobs = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const api = apis[i % 2] as ServerProcess;
        return { api, id: await submitImport(api, await createDataset(api, `d${i}`), small) };
      }),
    );
    const ended = await Promise.all(jobs.map(({ api, id }) => waitForJob(api, id, undefined, 300_000)));
    expect(ended.map((job) => job.status)).toEqual(jobs.map(() => "finished"));
    const starts = c.started();
    expect(starts.toSorted((a, b) => a - b)).toEqual(jobs.map((j) => j.id).toSorted((a, b) => a - b));
    // The test's own limit matches its waits: four processes on two loaded cores can take over 60 s.
  }, 300_000);

  it("a W1-sized file (118,287 images, 807,223 annotations) imports and exports through the cluster", async () => {
    const c = await sharedServices();
    const [api1, api2] = await Promise.all([
      own(c, "api"),
      own(c, "api"),
      own(c, "worker"),
      own(c, "worker"),
    ]);
    if (!api1 || !api2) throw new Error("expected two API processes");
    const path = join(c.settings.data, "w1-sized.json");
    await writeW1Sized(path);
    const dataset = await createDataset(api1, "w1");
    const imported = await submitImport(api1, dataset, await readFile(path));
    expect(await waitForJob(api2, imported, undefined, 600_000)).toMatchObject({ status: "finished" });
    expect((await call(api2, `/api/datasets/${dataset}`)).body).toMatchObject({
      images_count: W1_IMAGES,
      annotations_count: W1_ANNOTATIONS,
    });
    const exported = (await call(api2, `/api/datasets/${dataset}/export`, { json: { format: "COCO 1.0" } }))
      .body.id as number;
    expect(await waitForJob(api1, exported, undefined, 600_000)).toMatchObject({ status: "finished" });
    const zip = await JSZip.loadAsync(await download(api1, exported));
    const doc = JSON.parse((await zip.file("annotations/instances_default.json")?.async("string")) ?? "{}");
    expect(doc.images).toHaveLength(W1_IMAGES);
    expect(doc.annotations).toHaveLength(W1_ANNOTATIONS);
  }, 1_500_000);
});
