import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { inject, onTestFinished } from "vitest";
import { buildApp } from "../src/app.js";
import { type ConfigInput, parseConfig } from "../src/config.js";
import { type OpenDatabaseOptions, openDatabase } from "../src/db/open.js";
import type { DB } from "../src/db/schema.js";
import { createDatabase, dropDatabase } from "./servers/postgres.js";

/**
 * The store this run tests: `COCOKIT_TEST_DATABASE=postgres` runs the suite on the global test
 * PostgreSQL server, otherwise on SQLite in each data folder.
 */
export const TEST_DATABASE: "sqlite" | "postgres" =
  process.env.COCOKIT_TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

// One PostgreSQL database per data folder, so a server restarted over the same folder (a test
// of durability) finds its rows again, as it would in the folder's SQLite file.
const databases = new Map<string, Promise<string>>();

/**
 * The `database` setting of a data folder in this run: a fresh PostgreSQL database, dropped after
 * the test, or undefined (SQLite in the folder).
 */
export function testDatabase(data: string): Promise<string | undefined> {
  return TEST_DATABASE === "sqlite" ? Promise.resolve(undefined) : postgresDatabase(data);
}

/** The URL of a data folder's own database on the test PostgreSQL server, made on first use and dropped after the test. */
export function postgresDatabase(data: string): Promise<string> {
  let url = databases.get(data);
  if (!url) {
    const server = testServer("postgres");
    const name = `test_${randomUUID().replaceAll("-", "")}`;
    url = createDatabase(server, name);
    databases.set(data, url);
    // Hooks run last-registered first: the apps of this folder close before their database goes.
    onTestFinished(async () => {
      databases.delete(data);
      await dropDatabase(server, name);
    });
  }
  return url;
}

/** Opens a data folder's store as the server would (SQLite or this run's PostgreSQL database). */
export async function openTestDatabase(data: string, options: OpenDatabaseOptions = {}): Promise<Kysely<DB>> {
  return openDatabase({ dataDir: data, database: await testDatabase(data) }, options);
}

/** The repository's COCO corpus (small real-world-shaped files). */
export const CORPUS = join(import.meta.dirname, "..", "..", "core", "test", "corpus");
/** A 2017 val subset: instances, person_keypoints and captions files. */
export const VAL_INSTANCES = join(CORPUS, "coco2017-subset", "annotations", "instances_val2017.json");

/** A fresh data folder in the OS temp dir, removed after the test. */
export async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cocokit-server-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `COCOKIT_TEST_STORAGE=s3` runs the suites with S3 storage: each app gets a fresh prefix of the
 * test s3rver's bucket (tests that look into the data folder's `results/` or `media/` expect
 * the data folder and fail there).
 */
function testStorage(config: Partial<ConfigInput>): Partial<ConfigInput> {
  if (process.env.COCOKIT_TEST_STORAGE !== "s3" || config.storage !== undefined) return {};
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  const endpoint = encodeURIComponent(testServer("s3"));
  return {
    storage: `s3://cocokit/t-${randomBytes(6).toString("hex")}?endpoint=${endpoint}&region=us-east-1`,
  };
}

/** A server over a temp data folder, closed after the test. */
export async function buildTestApp(
  config: Partial<ConfigInput> = {},
  options: { forceCloseConnections?: boolean } = {},
): Promise<{ app: FastifyInstance; data: string }> {
  const data = config.data ?? (await tempDataDir());
  const database = config.database ?? (await testDatabase(data));
  const settings = {
    workers: 2,
    progressIntervalMs: 0,
    ...testStorage(config),
    ...config,
    data,
    ...(database ? { database } : {}),
  };
  const app = await buildApp(parseConfig(settings), {
    logger: process.env.COCOKIT_TEST_LOG ? { level: "debug" } : false,
    workerUrl: pathToFileURL(inject("workerPath")),
    ...options,
  });
  onTestFinished(() => app.close());
  await app.ready();
  return { app, data };
}

/** Polls a job until it reaches one of `states`, or fails the test after `timeoutMs`. */
export async function waitForJob(
  app: FastifyInstance,
  id: number,
  states: string[] = ["finished", "failed", "cancelled"],
  timeoutMs = 30_000,
  headers: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const job = (await app.inject({ url: `/api/jobs/${id}`, headers })).json();
    if (states.includes(job.status)) return job;
    if (Date.now() > end)
      throw new Error(`job ${id} still ${job.status} (phase ${job.phase}) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits for a job's final state and then for its run to end: a job removes its upload and the
 * files it replaced after its final row is written, so a test looking at storage waits for both.
 */
export async function settledJob(app: FastifyInstance, id: number): Promise<Record<string, unknown>> {
  const job = await waitForJob(app, id);
  await app.queue.idle();
  return job;
}

/** Creates a dataset and returns its id. */
export async function createDataset(
  app: FastifyInstance,
  body: Record<string, unknown> = { name: "test" },
): Promise<number> {
  const response = await app.inject({ method: "POST", url: "/api/datasets", payload: body });
  if (response.statusCode !== 201) throw new Error(`dataset not created: ${response.body}`);
  return response.json().id;
}

/** Imports a file's bytes into a dataset and waits for the job. */
export async function importBytes(
  app: FastifyInstance,
  datasetId: number,
  body: Buffer | string,
  options: { filename?: string; contentType?: string; mode?: string } = {},
): Promise<Record<string, unknown>> {
  const query = new URLSearchParams({
    ...(options.filename ? { filename: options.filename } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  });
  const response = await app.inject({
    method: "POST",
    url: `/api/datasets/${datasetId}/import?${query}`,
    headers: { "content-type": options.contentType ?? "application/json" },
    payload: body,
  });
  if (response.statusCode !== 202)
    throw new Error(`import not accepted: ${response.statusCode} ${response.body}`);
  return waitForJob(app, response.json().id);
}

/** The URL of a real test server started by the global setup; fails the test when it could not start. */
export function testServer(name: "postgres" | "redis" | "s3"): string {
  const url = inject(name === "postgres" ? "postgresUrl" : name === "redis" ? "redisUrl" : "s3Endpoint");
  if (!url) throw new Error(`the test ${name} server did not start: ${inject("serverErrors")[name]}`);
  return url;
}
