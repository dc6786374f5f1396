import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely } from "kysely";
import { ImmediateSqliteDialect } from "./immediate-dialect.js";
import { PatientSqliteDialect } from "./patient-dialect.js";
import { openPostgres } from "./postgres.js";
import type { DB } from "./schema.js";

/** Where the SQLite file lives inside the data folder. */
export function databasePath(dataDir: string): string {
  return join(dataDir, "cocokit.sqlite");
}

/** Which database a process opens: the data folder's SQLite file, or PostgreSQL when `database` is set. */
export interface DatabaseSettings {
  dataDir: string;
  /** `postgres://…`; when absent, the embedded SQLite file in `dataDir`. */
  database?: string | undefined;
}

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** How long a write waits for another connection's transaction, in ms. */
  busyTimeoutMs?: number;
  /**
   * Wait for another connection's transaction on a timer instead of inside SQLite (which blocks
   * the thread): for the API thread, whose event loop must stay free. See `PatientSqliteDialect`.
   * PostgreSQL waits asynchronously anyway.
   */
  waitAsync?: boolean;
  /** Connections a PostgreSQL pool opens at most (default 10). */
  maxConnections?: number;
}

/**
 * Opens the store. SQLite: the data folder's file in WAL mode (readers never wait for the
 * writer, so the API reads while a worker thread imports) with foreign keys on. PostgreSQL: a
 * pool over `database` (see `openPostgres`); the tables and SQL are the same.
 */
export function openDatabase(settings: DatabaseSettings, options: OpenDatabaseOptions = {}): Kysely<DB> {
  if (settings.database !== undefined)
    return openPostgres(settings.database, {
      max: options.maxConnections ?? 10,
      ...(options.busyTimeoutMs === undefined ? {} : { lockTimeoutMs: options.busyTimeoutMs }),
    });
  mkdirSync(settings.dataDir, { recursive: true });
  const timeout = options.waitAsync ? 0 : (options.busyTimeoutMs ?? 10_000);
  const database = new Database(databasePath(settings.dataDir), { timeout });
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  const dialect = options.waitAsync
    ? new PatientSqliteDialect({ database })
    : new ImmediateSqliteDialect({ database });
  return new Kysely<DB>({ dialect });
}

/** The current time as the ISO text stored in rows. */
export function nowIso(): string {
  return new Date().toISOString();
}
