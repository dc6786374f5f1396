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

/** Where the store is: the data folder's SQLite file, or PostgreSQL when `database` is set. */
export interface DbPluginOptions {
  dataDir: string;
  database?: string | undefined;
}

/** Opens and migrates the database, and installs the repositories; closes it on `onClose`. */
export const dbPlugin = fp<DbPluginOptions>(
  async (app, { dataDir, database }) => {
    const settings = { dataDir, database };
    // An unreachable PostgreSQL is not a race: it fails at once, with its one-line message.
    if (database !== undefined) {
      const probe = openDatabase(settings, { maxConnections: 1 });
      try {
        await checkPostgres(probe, database);
      } finally {
        await probe.destroy();
      }
    }
    const db = await retryWhileRacing(async () => {
      const opened = openDatabase(settings, { waitAsync: true });
      try {
        await migrateToLatest(opened as Kysely<unknown>);
        return opened;
      } catch (error) {
        await opened.destroy();
        throw error;
      }
    });
    // Progress writes skip while a worker's transaction holds the job's row (PostgreSQL) or
    // SQLite's write lock, instead of queueing behind it.
    const progressDb = await retryWhileRacing(async () =>
      openDatabase(settings, { busyTimeoutMs: 0, maxConnections: 2 }),
    );
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
