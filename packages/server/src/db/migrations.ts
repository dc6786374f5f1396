import {
  type ColumnDefinitionBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  Migrator,
  sql,
} from "kysely";
import { isPostgres } from "./dialect.js";

// The same tables on both databases. SQLite's AUTOINCREMENT (ids never reused) is an identity
// column in PostgreSQL; SQLite's `real` is 8 bytes, PostgreSQL's is 4, so it becomes `double
// precision` there; a file size may pass 2^31 bytes, a bigint there (SQLite's integers are 8 bytes).
const serialId = (db: Kysely<unknown>) => (c: ColumnDefinitionBuilder) =>
  isPostgres(db) ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
const realType = (db: Kysely<unknown>) => (isPostgres(db) ? "double precision" : "real");
const bigType = (db: Kysely<unknown>) => (isPostgres(db) ? "bigint" : "integer");

// Migrations live in code (not files) so the bundle carries them; names sort in order.
/** Every migration by name, for `migrateToLatest` and tests that migrate down. */
export const MIGRATIONS: Record<string, Migration> = {
  "0001-initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("datasets")
        .addColumn("id", "integer", serialId(db))
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("meta_json", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("categories")
        .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
        .addColumn("category_id", "integer", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("data_json", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("categories_pk", ["dataset_id", "category_id"])
        .execute();
      await db.schema
        .createTable("images")
        .addColumn("id", "integer", serialId(db))
        .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
        .addColumn("subset", "text", (c) => c.notNull())
        .addColumn("image_id", "integer", (c) => c.notNull())
        .addColumn("file_name", "text", (c) => c.notNull())
        .addColumn("width", "integer")
        .addColumn("height", "integer")
        .addColumn("data_json", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("images_dataset_subset_image")
        .on("images")
        .columns(["dataset_id", "subset", "image_id"])
        .unique()
        .execute();
      await db.schema
        .createTable("annotations")
        .addColumn("id", "integer", serialId(db))
        .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
        .addColumn("image_row", "integer", (c) => c.notNull().references("images.id").onDelete("cascade"))
        .addColumn("category_id", "integer")
        .addColumn("data_json", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("annotations_image").on("annotations").columns(["image_row"]).execute();
      await db.schema
        .createIndex("annotations_dataset_category")
        .on("annotations")
        .columns(["dataset_id", "category_id"])
        .execute();
      await db.schema
        .createTable("jobs")
        .addColumn("id", "integer", serialId(db))
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("dataset_id", "integer", (c) => c.references("datasets.id").onDelete("set null"))
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("progress", realType(db), (c) => c.notNull().defaultTo(0))
        .addColumn("phase", "text")
        .addColumn("message", "text")
        .addColumn("params_json", "text", (c) => c.notNull())
        .addColumn("result_json", "text")
        .addColumn("result_path", "text")
        .addColumn("error_code", "text")
        .addColumn("issues_count", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("started_at", "text")
        .addColumn("finished_at", "text")
        .addColumn("expires_at", "text")
        .execute();
      await db.schema.createIndex("jobs_status").on("jobs").columns(["status", "id"]).execute();
      await db.schema
        .createTable("job_issues")
        .addColumn("job_id", "integer", (c) => c.notNull().references("jobs.id").onDelete("cascade"))
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("severity", "text", (c) => c.notNull())
        .addColumn("message", "text", (c) => c.notNull())
        .addColumn("file", "text")
        .addColumn("pointer", "text")
        .addPrimaryKeyConstraint("job_issues_pk", ["job_id", "seq"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ["job_issues", "jobs", "annotations", "images", "categories", "datasets"])
        await sql`drop table if exists ${sql.table(table)}`.execute(db);
    },
  },
  // Images attached by a media job: one file per item, under the data folder's media/.
  "0002-media": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("media")
        .addColumn("image_row", "integer", (c) => c.primaryKey().references("images.id").onDelete("cascade"))
        .addColumn("dataset_id", "integer", (c) => c.notNull().references("datasets.id").onDelete("cascade"))
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("size", bigType(db), (c) => c.notNull())
        .addColumn("source", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("media_dataset").on("media").columns(["dataset_id"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists media`.execute(db);
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the database to the latest schema; throws the first migration error. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
