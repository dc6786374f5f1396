import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import Cursor from "pg-cursor";
import { reasonOf, redactUrl } from "../connection-errors.js";
import type { DB } from "./schema.js";

const INT8 = 20;
const NUMERIC = 1700;

// `count(*)` and `sum(…)` are bigint (or numeric) in PostgreSQL and node-postgres reads them as
// strings; every count here is far below 2^53, so they are read as numbers, as SQLite gives them.
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Options of `openPostgres`. */
export interface PostgresOptions {
  max: number;
  /** How long a statement waits for a row lock before it fails (the API's progress writes: 0 ≈ never waits). */
  lockTimeoutMs?: number;
}

/**
 * A Kysely over a node-postgres pool. Streams (the export's reads) use a server-side cursor on
 * a connection of their own (pg-cursor), released when the stream ends or is returned.
 */
export function openPostgres(url: string, options: PostgresOptions): Kysely<DB> {
  // lock_timeout 0 means "wait forever" in PostgreSQL: the smallest real bound is 1 ms.
  const lockTimeout =
    options.lockTimeoutMs === undefined ? undefined : Math.max(1, Math.round(options.lockTimeoutMs));
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max,
    types,
    ...(lockTimeout === undefined ? {} : { options: `-c lock_timeout=${lockTimeout}` }),
  });
  // An idle connection the server closed (restart, admin) must not crash the process; the pool
  // replaces it on the next query.
  pool.on("error", () => undefined);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
}

/**
 * Checks that the server answers, so a wrong URL fails at boot with one message naming it
 * (without its password) instead of at the first request.
 */
export async function checkPostgres(db: Kysely<DB>, url: string): Promise<void> {
  try {
    await db.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
  } catch (error) {
    throw new Error(`could not connect to PostgreSQL at ${redactUrl(url)}: ${reasonOf(error)}`);
  }
}
