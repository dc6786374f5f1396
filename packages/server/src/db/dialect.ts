import { type Kysely, type RawBuilder, sql } from "kysely";

/**
 * True when `db` (or a transaction of it) talks to PostgreSQL. Told from the compiled query's
 * parameter style (`$1` there, `?` in SQLite), which Kysely's public API shows for a db and for
 * its transactions alike.
 */
export function isPostgres(db: Kysely<unknown>): boolean {
  return sql`${0}`.compile(db).sql === "$1";
}

type Path = readonly string[];

/** SQL that reads members of JSON text columns, per database. */
export interface JsonSql {
  /** The member at `path` (e.g. `["source", "file"]`) of a JSON text column, as text, or null. */
  text(column: string, path: Path): RawBuilder<string | null>;
  /** The member at `path` of a JSON text column as a number, or null when absent or not a number. */
  number(column: string, path: Path): RawBuilder<number | null>;
  /**
   * A JSON text column parsed once, for a query that reads many members of each row: select it
   * in a derived table that ends with `fence`, and read it with `parsedText`/`parsedNumber`.
   */
  parse(column: string): RawBuilder<unknown>;
  /** Ends the derived table of `parse`, so the planner does not parse the column again per member. */
  fence: RawBuilder<unknown>;
  parsedText(column: string, path: Path): RawBuilder<string | null>;
  parsedNumber(column: string, path: Path): RawBuilder<number | null>;
  /** The distinct values of an integer expression, joined by commas. */
  joinDistinct(expression: RawBuilder<unknown>): RawBuilder<string | null>;
}

// SQLite reads a member from the text (and caches the parse within a statement); a JSON text
// member compares unequal to a number, so numbers need no check.
const sqliteMember = <T>(column: string, path: Path) =>
  sql<T>`json_extract(${sql.ref(column)}, ${`$.${path.join(".")}`})`;

const sqliteJson: JsonSql = {
  text: sqliteMember,
  number: sqliteMember,
  parse: (column) => sql.ref(column),
  fence: sql``,
  parsedText: sqliteMember,
  parsedNumber: sqliteMember,
  joinDistinct: (expression) => sql`group_concat(distinct ${expression})`,
};

// `#>` and `#>>` take the path as a text array literal (`{source,file}`); members are plain names.
const pgPath = (path: Path) => sql.lit(`{${path.join(",")}}`);

// A member read once from the text is cheapest as `json` (scanned, not converted); `jsonb`
// converts the whole document (every number of a polygon) but then reads members for free.
const postgresJson: JsonSql = {
  text: (column, path) => sql`(${sql.ref(column)}::json #>> ${pgPath(path)})`,
  number: (column, path) =>
    sql`(case when json_typeof(${sql.ref(column)}::json #> ${pgPath(path)}) = 'number' then (${sql.ref(column)}::json #>> ${pgPath(path)})::double precision end)`,
  parse: (column) => sql`${sql.ref(column)}::jsonb`,
  // OFFSET 0 keeps PostgreSQL from pulling the derived table up into the outer query.
  fence: sql`offset 0`,
  parsedText: (column, path) => sql`(${sql.ref(column)} #>> ${pgPath(path)})`,
  parsedNumber: (column, path) =>
    sql`(case when jsonb_typeof(${sql.ref(column)} #> ${pgPath(path)}) = 'number' then (${sql.ref(column)} #>> ${pgPath(path)})::double precision end)`,
  joinDistinct: (expression) => sql`string_agg(distinct (${expression})::text, ',')`,
};

/** The JSON helpers of the database `db` talks to. */
export function jsonSql(db: Kysely<unknown>): JsonSql {
  return isPostgres(db) ? postgresJson : sqliteJson;
}
