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

/**
 * Several processes may boot at once on one data folder (API and worker roles): switching to WAL
 * and migrating take SQLite's write lock, and a migration that lost the race must start over
 * (its transaction read a schema that changed), so a process that finds the lock taken waits a
 * little and tries again.
 */
async function retryWhileBusy<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code !== "string" || !code.startsWith("SQLITE_BUSY") || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 100));
    }
  }
}

/** Opens and migrates the data folder's database, and installs the repositories; closes it on `onClose`. */
export const dbPlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const db = await retryWhileBusy(async () => {
      const db = openDatabase(dataDir, { waitAsync: true });
      try {
        await migrateToLatest(db as Kysely<unknown>);
        return db;
      } catch (error) {
        await db.destroy();
        throw error;
      }
    });
    const progressDb = await retryWhileBusy(async () => openDatabase(dataDir, { busyTimeoutMs: 0 }));
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
