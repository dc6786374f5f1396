import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeJobTemporaries } from "../src/storage/results.js";
import { tempDataDir } from "./helpers.js";

describe("removeJobTemporaries", () => {
  it("removes one job's temporary results, and nothing of other jobs or finished results", async () => {
    const results = join(await tempDataDir(), "results");
    await mkdir(results);
    const names = [
      ".job-7.zip.a1b2c3.tmp", // a streamed export stopped mid-write
      "job-7.json.tmp", // a validate report stopped mid-write
      "job-7.zip", // finished: kept
      ".job-17.zip.d4e5f6.tmp", // another job, whose id starts the same
      "job-70.json.tmp",
    ];
    for (const name of names) await writeFile(join(results, name), "x");
    await removeJobTemporaries(results, 7);
    expect((await readdir(results)).sort()).toEqual([
      ".job-17.zip.d4e5f6.tmp",
      "job-7.zip",
      "job-70.json.tmp",
    ]);
    // A missing folder is nothing to remove.
    await expect(removeJobTemporaries(join(results, "absent"), 7)).resolves.toBeUndefined();
  });
});
