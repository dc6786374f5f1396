import fp from "fastify-plugin";
import type { Kysely } from "kysely";
import { migrateToLatest } from "../db/migrations.js";
import { openDatabase } from "../db/open.js";
import { checkPostgres } from "../db/postgres.js";
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

/** Where the store is: the data folder's SQLite file, or PostgreSQL when `database` is set. */
export interface DbPluginOptions {
  dataDir: string;
  database?: string | undefined;
}

/** Opens and migrates the database, and installs the repositories; closes it on `onClose`. */
export const dbPlugin = fp<DbPluginOptions>(
  async (app, { dataDir, database }) => {
    const settings = { dataDir, database };
    const db = openDatabase(settings, { waitAsync: true });
    // Progress writes skip while a worker's transaction holds the job's row (PostgreSQL) or
    // SQLite's write lock, instead of queueing behind it.
    const progressDb = openDatabase(settings, { busyTimeoutMs: 0, maxConnections: 2 });
    try {
      if (database !== undefined) await checkPostgres(db, database);
      await migrateToLatest(db as Kysely<unknown>);
    } catch (error) {
      await Promise.allSettled([progressDb.destroy(), db.destroy()]);
      throw error;
    }
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
