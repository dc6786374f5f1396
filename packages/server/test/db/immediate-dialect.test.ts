import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/open.js";
import { tempDataDir } from "../helpers.js";

describe("a job thread's SQLite connection", () => {
  it("takes the write lock when its transaction begins, so a write elsewhere cannot make it fail halfway", async () => {
    const data = await tempDataDir();
    const job = openDatabase({ dataDir: data });
    // The API's progress connection: it never waits for a lock.
    const progress = openDatabase({ dataDir: data }, { busyTimeoutMs: 0 });
    await sql`CREATE TABLE t (v INTEGER)`.execute(job);
    await sql`INSERT INTO t (v) VALUES (0)`.execute(job);
    let elsewhere = "";
    await job.transaction().execute(async (trx) => {
      // Read first, as a media job looks up the rows it replaces...
      await sql`SELECT v FROM t`.execute(trx);
      // ...while the API writes a progress row: it is refused and skips (the next report writes).
      elsewhere = await sql`UPDATE t SET v = 1`.execute(progress).then(
        () => "wrote",
        (error: { code?: string }) => error.code ?? "error",
      );
      // With a deferred BEGIN this write would fail at once ("database is locked"): the
      // transaction's snapshot is older than the other connection's commit.
      await sql`UPDATE t SET v = 2`.execute(trx);
    });
    expect(elsewhere).toMatch(/^SQLITE_BUSY/);
    const { rows } = await sql<{ v: number }>`SELECT v FROM t`.execute(job);
    expect(rows).toEqual([{ v: 2 }]);
    await progress.destroy();
    await job.destroy();
  });
});
