import Database from "better-sqlite3";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { databasePath, openDatabase } from "../../src/db/open.js";
import { tempDataDir } from "../helpers.js";

// Another connection (a job thread's, here on the same thread) holds the write lock until a timer
// commits it. A connection that waits inside SQLite would block this thread, so the timer could
// never fire: the write would fail after its busy timeout. The API thread's connection waits on a
// timer instead, so the event loop runs, the other transaction commits, and the write goes through.
async function holdLockThenCommit(dataDir: string, events: string[]) {
  const other = new Database(databasePath(dataDir), { timeout: 0 });
  other.exec("BEGIN IMMEDIATE");
  other.prepare("INSERT INTO t (v) VALUES ('other')").run();
  setTimeout(() => {
    events.push("other committed");
    other.exec("COMMIT");
    other.close();
  }, 50);
  setTimeout(() => events.push("timer"), 1);
}

describe("the API thread's SQLite connection (waitAsync)", () => {
  it("waits for another connection's transaction without blocking the event loop", async () => {
    const data = await tempDataDir();
    const db = openDatabase({ dataDir: data }, { waitAsync: true });
    await sql`CREATE TABLE t (v TEXT)`.execute(db);
    const events: string[] = [];
    await holdLockThenCommit(data, events);
    await sql`INSERT INTO t (v) VALUES ('api')`.execute(db);
    events.push("api wrote");
    expect(events).toEqual(["timer", "other committed", "api wrote"]);
    const rows = await sql<{ v: string }>`SELECT v FROM t ORDER BY rowid`.execute(db);
    expect(rows.rows.map((r) => r.v)).toEqual(["other", "api"]);
    await db.destroy();
  });

  it("begins a transaction only once it holds the lock, so no statement inside it is refused", async () => {
    const data = await tempDataDir();
    const db = openDatabase({ dataDir: data }, { waitAsync: true });
    await sql`CREATE TABLE t (v TEXT)`.execute(db);
    const events: string[] = [];
    await holdLockThenCommit(data, events);
    await db.transaction().execute(async (trx) => {
      // A read first: in a deferred transaction the write after it could never succeed.
      await sql`SELECT count(*) FROM t`.execute(trx);
      await sql`INSERT INTO t (v) VALUES ('api')`.execute(trx);
    });
    events.push("api committed");
    expect(events).toEqual(["timer", "other committed", "api committed"]);
    await db.destroy();
  });

  it("still fails what is not a lock at once", async () => {
    const db = openDatabase({ dataDir: await tempDataDir() }, { waitAsync: true });
    await expect(sql`INSERT INTO missing (v) VALUES (1)`.execute(db)).rejects.toThrow(/no such table/);
    await db.destroy();
  });
});
