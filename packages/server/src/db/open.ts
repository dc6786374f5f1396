import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { PatientSqliteDialect } from "./patient-dialect.js";
import type { DB } from "./schema.js";

/** Where the SQLite file lives inside the data folder. */
export function databasePath(dataDir: string): string {
  return join(dataDir, "cocokit.sqlite");
}

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** How long a write waits for another connection's transaction, in ms. */
  busyTimeoutMs?: number;
  /**
   * Wait for another connection's transaction on a timer instead of inside SQLite (which blocks
   * the thread): for the API thread, whose event loop must stay free. See `PatientSqliteDialect`.
   */
  waitAsync?: boolean;
}

/**
 * Opens the data folder's database in WAL mode (readers never wait for the writer, so the API
 * reads while a worker thread imports) with foreign keys on.
 */
export function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Kysely<DB> {
  mkdirSync(dataDir, { recursive: true });
  const timeout = options.waitAsync ? 0 : (options.busyTimeoutMs ?? 10_000);
  const database = new Database(databasePath(dataDir), { timeout });
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  const dialect = options.waitAsync
    ? new PatientSqliteDialect({ database })
    : new SqliteDialect({ database });
  return new Kysely<DB>({ dialect });
}

/** The current time as the ISO text stored in rows. */
export function nowIso(): string {
  return new Date().toISOString();
}
