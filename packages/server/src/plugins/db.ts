import fp from "fastify-plugin";
import type { Kysely } from "kysely";
import { migrateToLatest } from "../db/migrations.js";
import { openDatabase } from "../db/open.js";
import type { DB } from "../db/schema.js";
import { createDatasetsRepository, type DatasetsRepository } from "../repositories/datasets-repository.js";
import { createJobsRepository, type JobsRepository } from "../repositories/jobs-repository.js";

declare module "fastify" {
  interface FastifyInstance {
    db: Kysely<DB>;
    datasets: DatasetsRepository;
    jobs: JobsRepository;
    /** Jobs over a connection that never waits for a lock (progress writes). */
    progressJobs: JobsRepository;
  }
}

/** Opens and migrates the data folder's database, and installs the repositories; closes it on `onClose`. */
export const dbPlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const db = openDatabase(dataDir, { waitAsync: true });
    await migrateToLatest(db as Kysely<unknown>);
    const progressDb = openDatabase(dataDir, { busyTimeoutMs: 0 });
    app.decorate("db", db);
    app.decorate("datasets", createDatasetsRepository(db));
    app.decorate("jobs", createJobsRepository(db));
    app.decorate("progressJobs", createJobsRepository(progressDb));
    app.addHook("onClose", async () => {
      await progressDb.destroy();
      await db.destroy();
    });
  },
  { name: "db" },
);
