import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from "kysely";

/**
 * SQLite for job threads: every transaction starts with `BEGIN IMMEDIATE`. Kysely's plain
 * `BEGIN` is deferred, so a transaction that reads before it writes (a media job looks up the
 * rows it replaces) takes the write lock only at its first write, and fails at once with
 * "database is locked" when another connection (the API writing the job's progress) wrote since
 * its read began: SQLite cannot upgrade a stale snapshot, and the busy timeout does not apply.
 * Taking the lock first makes the transaction wait its busy timeout instead. Every transaction of
 * a job thread writes, so none holds the lock for nothing.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateDriver(this.#config);
  }
}

class ImmediateDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}
