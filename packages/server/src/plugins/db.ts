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
 * and migrating take SQLite's write lock, and a migration that lost the race fails (busy, or
 * "table … already exists" once the winner committed, since kysely reads the applied migrations
 * before it locks). A process that loses waits a little and tries again: the next try finds the
 * lock free or the migrations applied. A migration that is really broken fails every try.
 */
async function retryWhileRacing<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = typeof code === "string" && code.startsWith("SQLITE_BUSY");
      if (attempt >= (busy ? 200 : 5)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 100));
    }
  }
}

/** Opens and migrates the data folder's database, and installs the repositories; closes it on `onClose`. */
export const dbPlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const db = await retryWhileRacing(async () => {
      const db = openDatabase(dataDir, { waitAsync: true });
      try {
        await migrateToLatest(db as Kysely<unknown>);
        return db;
      } catch (error) {
        await db.destroy();
        throw error;
      }
    });
    const progressDb = await retryWhileRacing(async () => openDatabase(dataDir, { busyTimeoutMs: 0 }));
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
