import { type Kysely, Migrator, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { isPostgres } from "../../src/db/dialect.js";
import { MIGRATIONS, migrateToLatest } from "../../src/db/migrations.js";
import { createJobsRepository } from "../../src/repositories/jobs-repository.js";
import { openTestDatabase, TEST_DATABASE, tempDataDir } from "../helpers.js";
import { freePort } from "../servers/free-port.js";

const TABLES = ["annotations", "categories", "datasets", "images", "job_issues", "jobs", "media"];

async function tables(db: Kysely<unknown>): Promise<string[]> {
  const all = await db.introspection.getTables();
  return all
    .map((t) => t.name)
    .filter((name) => !name.startsWith("kysely_"))
    .sort();
}

// Runs on the store of the run: SQLite, or PostgreSQL under COCOKIT_TEST_DATABASE=postgres.
describe(`the store (${TEST_DATABASE})`, () => {
  it("is the database the run asked for", async () => {
    const db = await openTestDatabase(await tempDataDir());
    try {
      expect(isPostgres(db as Kysely<unknown>)).toBe(TEST_DATABASE === "postgres");
    } finally {
      await db.destroy();
    }
  });

  it("migrates an empty database to the latest schema, again without change, and all the way down", async () => {
    const db = (await openTestDatabase(await tempDataDir())) as Kysely<unknown>;
    try {
      await migrateToLatest(db);
      await migrateToLatest(db);
      expect(await tables(db)).toEqual(TABLES);
      const columns = (await db.introspection.getTables()).find((t) => t.name === "jobs")?.columns;
      expect(columns?.find((c) => c.name === "id")).toMatchObject({ isAutoIncrementing: true });
      const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
      for (let step = 0; step < 2; step++) expect((await migrator.migrateDown()).error).toBeUndefined();
      expect(await tables(db)).toEqual([]);
      await migrateToLatest(db);
      expect(await tables(db)).toEqual(TABLES);
    } finally {
      await db.destroy();
    }
  });

  it("keeps fractions, large sizes and counts as numbers", async () => {
    const db = await openTestDatabase(await tempDataDir());
    try {
      await migrateToLatest(db as Kysely<unknown>);
      const jobs = createJobsRepository(db);
      const job = await jobs.create({ type: "validate", dataset_id: null, params: {} });
      await jobs.claimNext();
      await jobs.setProgress(job.id, 1 / 3, "read");
      expect((await jobs.get(job.id))?.progress).toBe(1 / 3);
      expect((await jobs.list({ offset: 0, limit: 10 })).count).toBe(1);
      const { rows } = await sql<{ n: number }>`select count(*) + ${2 ** 40} as n from jobs`.execute(db);
      expect(rows[0]?.n).toBe(2 ** 40 + 1);
    } finally {
      await db.destroy();
    }
  });

  it("hands each queued job to exactly one of several connections claiming at once", async () => {
    const data = await tempDataDir();
    const connections = await Promise.all([1, 2, 3].map(() => openTestDatabase(data)));
    try {
      await migrateToLatest(connections[0] as Kysely<unknown>);
      const repositories = connections.map((db) => createJobsRepository(db));
      const first = repositories[0] as ReturnType<typeof createJobsRepository>;
      for (let i = 0; i < 30; i++) await first.create({ type: "validate", dataset_id: null, params: { i } });
      const claimed = await Promise.all(
        repositories.map(async (jobs) => {
          const ids: number[] = [];
          for (let row = await jobs.claimNext(); row; row = await jobs.claimNext()) ids.push(row.id);
          return ids;
        }),
      );
      const all = claimed.flat().sort((a, b) => a - b);
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
    } finally {
      await Promise.all(connections.map((db) => db.destroy()));
    }
  });
});

describe("a PostgreSQL store that cannot be reached", () => {
  it("fails the boot with one message naming the URL without its password", async () => {
    const url = `postgres://cocokit:s3cret@127.0.0.1:${await freePort()}/nowhere`;
    const booting = buildApp(parseConfig({ data: await tempDataDir(), database: url }), { logger: false });
    const error = await booting.then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      /^could not connect to PostgreSQL at postgres:\/\/cocokit:\*\*\*@127\.0\.0\.1:\d+\/nowhere: /,
    );
    expect(error?.message).not.toContain("s3cret");
  });
});
