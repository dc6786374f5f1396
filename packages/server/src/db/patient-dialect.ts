import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  type TransactionSettings,
} from "kysely";

// How long a write waits for another connection's transaction before it fails, as the busy
// timeout of the job threads' connections.
const PATIENCE_MS = 10_000;
const MAX_PAUSE_MS = 50;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/** Runs `attempt` until it is not refused for a lock, pausing without blocking the event loop. */
async function patiently<T>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * SQLite for the API thread: while a job thread holds the write lock (an import is one
 * transaction), better-sqlite3's busy timeout would sleep *synchronously*, and `/api/health` with
 * every other request would wait behind it. Opened with a busy timeout of 0, this dialect instead
 * retries a refused write on a timer. A statement on its own retries alone; a transaction starts
 * with `BEGIN IMMEDIATE` (retried the same way), so once begun it holds the lock and no statement
 * inside it can be refused halfway.
 */
export class PatientSqliteDialect extends SqliteDialect {
  constructor(config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new PatientDriver(super.createDriver());
  }
}

class PatientDriver implements Driver {
  readonly #inner: Driver;
  #inTransaction = false;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    return {
      executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
        this.#inTransaction
          ? connection.executeQuery<R>(query)
          : patiently(() => connection.executeQuery<R>(query)),
      streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
        connection.streamQuery<R>(query, chunkSize),
      // The inner driver's begin/commit compare the connection they get with theirs.
      inner: connection,
    } as DatabaseConnection & { inner: DatabaseConnection };
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    const inner = (connection as DatabaseConnection & { inner: DatabaseConnection }).inner;
    await patiently(() => inner.executeQuery(CompiledQuery.raw("begin immediate")));
    this.#inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.commitTransaction(innerOf(connection));
    } finally {
      this.#inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(innerOf(connection));
    } finally {
      this.#inTransaction = false;
    }
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return (connection as DatabaseConnection & { inner: DatabaseConnection }).inner;
}
