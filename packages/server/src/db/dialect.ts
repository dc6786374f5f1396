import { type Kysely, type RawBuilder, sql } from "kysely";

/**
 * True when `db` (or a transaction of it) talks to PostgreSQL. Told from the compiled query's
 * parameter style (`$1` there, `?` in SQLite), which Kysely's public API shows for a db and for
 * its transactions alike.
 */
export function isPostgres(db: Kysely<unknown>): boolean {
  return sql`${0}`.compile(db).sql === "$1";
}

/** SQL that reads one member of a JSON text column, per database. */
export interface JsonSql {
  /** The member at `path` (e.g. `["source", "file"]`) as text, or null. */
  text(column: string, path: readonly string[]): RawBuilder<string | null>;
  /** The member at `path` as a number, or null when it is absent or not a number. */
  number(column: string, path: readonly string[]): RawBuilder<number | null>;
  /** The distinct values of an integer expression, joined by commas. */
  joinDistinct(expression: RawBuilder<unknown>): RawBuilder<string | null>;
}

const sqliteJson: JsonSql = {
  text: (column, path) => sql`json_extract(${sql.ref(column)}, ${`$.${path.join(".")}`})`,
  // SQLite compares a JSON text member with a number as unequal, so no check is needed.
  number: (column, path) => sql`json_extract(${sql.ref(column)}, ${`$.${path.join(".")}`})`,
  joinDistinct: (expression) => sql`group_concat(distinct ${expression})`,
};

// `#>` and `#>>` take the path as a text array literal (`{source,file}`); members are plain names.
const pgPath = (path: readonly string[]) => sql.lit(`{${path.join(",")}}`);

const postgresJson: JsonSql = {
  text: (column, path) => sql`(${sql.ref(column)}::jsonb #>> ${pgPath(path)})`,
  number: (column, path) =>
    sql`(case when jsonb_typeof(${sql.ref(column)}::jsonb #> ${pgPath(path)}) = 'number' then (${sql.ref(column)}::jsonb #>> ${pgPath(path)})::double precision end)`,
  joinDistinct: (expression) => sql`string_agg(distinct (${expression})::text, ',')`,
};

/** The JSON helpers of the database `db` talks to. */
export function jsonSql(db: Kysely<unknown>): JsonSql {
  return isPostgres(db) ? postgresJson : sqliteJson;
}
